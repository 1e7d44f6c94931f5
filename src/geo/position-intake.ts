import { LiveIndex, type LiveIndexOptions } from './live-index.ts';
import { DEFAULT_SAMPLING, LivePositions, type SamplingPolicy } from './live-positions.ts';
import type { ResponderAttrs } from './responder-attrs.ts';

/** One position fix as it arrives (HTTP body item or WebSocket frame), validated at the edge. */
export interface PositionFix {
  readonly id: string;
  readonly lat: number;
  readonly lon: number;
  /** When the device took the fix (epoch ms), not when it arrived. */
  readonly atMs: number;
}

/**
 * Where the fixes taken here go besides this node's index: the other nodes (geo/position-relay.ts).
 * Forgetting is not passed on: an id is forgotten for what the log says (off duty, deleted), which
 * every node reads for itself; passed on, a node late on the log would undo a newer fix elsewhere.
 */
export interface PositionSink {
  taken(fix: PositionFix, unit: boolean): void;
}

/**
 * What became of a fix: `record` (indexed, and due for the store: append `UnitPositionRecorded`),
 * `live` (indexed only), `out_of_order` (older than the fix held: dropped).
 */
export type FixOutcome = 'record' | 'live' | 'out_of_order';

/**
 * The index adapter: how the server feeds positions to the live index and to the store.
 *
 * - Every fix updates the index at once, inside the request, before the answer: one fix
 *   (`POST /api/units/:id/position`, later a WebSocket frame) through {@link take}, a batch
 *   (`POST /api/positions`) through {@link takeMany}. The next recommendation sees it. No I/O here.
 * - Only a sample reaches the store: for a unit, the {@link LivePositions} sampling policy says
 *   whether this fix is due (every `everyMs`, or after moving `movedM`); the server appends a
 *   `UnitPositionRecorded` event only for a `record` outcome. Volunteers' fixes never reach the
 *   store: a citizen's whereabouts are kept in memory only.
 * - The attribute word comes from the server's read model with each fix (unit: status and
 *   capabilities; volunteer: on duty and qualifications, both via {@link ResponderAttrs}), and a
 *   status change without a fix calls {@link setAttrs} from the event-bus subscriber, so filters
 *   follow the one event stream.
 * - At start-up, {@link seedUnit} each unit from its projection (last written position, status),
 *   then call `index.compact()` once; again every few minutes if a pause of ~0.1–0.5 s per million
 *   points is acceptable (queries get several times faster; results are the same).
 * - Memory is bounded by the fleet and the volunteers signed in; `index.sweepStale(now)` drops
 *   points whose phones went quiet (e.g. hourly).
 * - Queries go straight to `index.nearest` / `index.within` with a filter from
 *   {@link ResponderAttrs} and the command's `now`; fixes older than `staleAfterMs` are left out.
 */
export class PositionIntake {
  readonly index: LiveIndex;
  /** Units' sampling state (last fix written to the store); volunteers are never sampled. */
  readonly units: LivePositions;
  private sink: PositionSink | undefined;

  constructor(
    readonly attrs: ResponderAttrs,
    readonly sampling: SamplingPolicy = DEFAULT_SAMPLING,
    indexOptions: Omit<LiveIndexOptions, 'staleAfterMs'> = {},
  ) {
    this.index = new LiveIndex({ ...indexOptions, staleAfterMs: sampling.staleAfterMs });
    this.units = new LivePositions(sampling);
  }

  /** Hands every fix taken from now on, and every id forgotten, to `sink` too (the other nodes). */
  relayTo(sink: PositionSink): void {
    this.sink = sink;
  }

  /**
   * A fix another node took: into the index only, with the attribute word this node's read model
   * gives. It is not sampled for the log (the node that took it did that) nor passed on.
   */
  takeRelayed(fix: PositionFix, attrs: number): boolean {
    if (!this.index.upsert(fix.id, fix.lat, fix.lon, fix.atMs, attrs)) return false;
    if (this.attrs.bits.has(attrs, 'unit')) this.units.relayed(fix.id, { location: { lat: fix.lat, lon: fix.lon }, at: fix.atMs });
    return true;
  }

  /** Seeds a unit with its last written fix: in the index, and as the sampling's starting point. */
  seedUnit(fix: PositionFix, attrs: number): void {
    this.index.upsert(fix.id, fix.lat, fix.lon, fix.atMs, attrs);
    this.units.seed(fix.id, { location: { lat: fix.lat, lon: fix.lon }, at: fix.atMs });
  }

  /** Takes one fix with the id's current attribute word: into the index at once; says whether it is due for the store. */
  take(fix: PositionFix, attrs: number): FixOutcome {
    if (!this.index.upsert(fix.id, fix.lat, fix.lon, fix.atMs, attrs)) return 'out_of_order';
    const unit = this.attrs.bits.has(attrs, 'unit');
    this.sink?.taken(fix, unit);
    if (!unit) return 'live';
    return this.units.update(fix.id, { location: { lat: fix.lat, lon: fix.lon }, at: fix.atMs }) ? 'record' : 'live';
  }

  /**
   * Takes a batch (`POST /api/positions`), each fix with its id's attribute word, through the
   * index's batch path; returns each fix's outcome, in order. A bad fix throws before any is taken.
   */
  takeMany(fixes: readonly (PositionFix & { readonly attrs: number })[]): FixOutcome[] {
    const taken = this.index.upsertMany(fixes);
    return fixes.map((f, j): FixOutcome => {
      if (taken[j] === 0) return 'out_of_order';
      const unit = this.attrs.bits.has(f.attrs, 'unit');
      this.sink?.taken(f, unit);
      if (!unit) return 'live';
      return this.units.update(f.id, { location: { lat: f.lat, lon: f.lon }, at: f.atMs }) ? 'record' : 'live';
    });
  }

  /** Changes an id's attribute word without a fix (a status change); false when it has no fix yet. */
  setAttrs(id: string, attrs: number): boolean {
    return this.index.setAttrs(id, attrs);
  }

  /** Forgets an id (unit decommissioned, volunteer signed off). */
  forget(id: string): void {
    this.index.remove(id);
  }
}
