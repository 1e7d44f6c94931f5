import type { AttrFilter } from './attr-bits.ts';

/** One point as the index holds it. Angles in degrees, time in epoch ms, attrs a uint32 word. */
export interface PointFix {
  readonly id: string;
  readonly lat: number;
  readonly lon: number;
  readonly atMs: number;
  readonly attrs: number;
}

/** A point found by a query, with its great-circle distance from the query point (m). */
export interface Neighbour extends PointFix {
  readonly distanceM: number;
}

/** What every query takes besides the place. */
export interface LiveQuery {
  /** The query's clock (epoch ms): a point is fresh when `now - atMs <= maxAgeMs`. */
  readonly now: number;
  /** Oldest accepted fix (ms before `now`); the index's `staleAfterMs` when absent. */
  readonly maxAgeMs?: number;
  /** Only points whose attribute word passes; every point when absent. */
  readonly filter?: AttrFilter;
}

/** A k-nearest query: also bounded by distance (m) when `maxDistanceM` is given. */
export interface NearestQuery extends LiveQuery {
  readonly maxDistanceM?: number;
}

/** A radius query: at most `limit` points, the nearest first. */
export interface WithinQuery extends LiveQuery {
  readonly limit?: number;
}

/**
 * The latest position of each moving point (unit or volunteer) with its attributes, and exact
 * nearest / radius queries on it. Results are ordered by distance, ties by id (code-unit order).
 * Implementations: `LiveIndex` (grid, the product) and `BruteForceIndex` (the test reference).
 */
export interface MovingPointIndex {
  readonly size: number;
  /**
   * Takes a fix. A fix older than the one held for the id is ignored (returns false): fixes
   * arrive out of order over mobile networks. Attributes change with {@link setAttrs}.
   */
  upsert(id: string, lat: number, lon: number, atMs: number, attrs: number): boolean;
  /**
   * Takes a batch of fixes in order, as {@link upsert} each; returns 1 per fix taken, 0 per fix
   * ignored. A bad fix throws before any is applied.
   */
  upsertMany(fixes: readonly PointFix[]): Uint8Array;
  /** Forgets a point; false when it was not there. */
  remove(id: string): boolean;
  /** Changes a point's attributes (a status change with no new fix); false when it is not there. */
  setAttrs(id: string, attrs: number): boolean;
  get(id: string): PointFix | undefined;
  /** The k nearest fresh points passing the filter, nearest first. */
  nearest(lat: number, lon: number, k: number, query: NearestQuery): Neighbour[];
  /** The fresh points passing the filter within radiusM (m, inclusive), nearest first. */
  within(lat: number, lon: number, radiusM: number, query: WithinQuery): Neighbour[];
}

/** Distance then id: the one order of every result. */
export const byDistanceThenId = (a: Neighbour, b: Neighbour): number =>
  a.distanceM - b.distanceM || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
