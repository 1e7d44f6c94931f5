import { checkAttrs, matchesFilter, MATCH_ALL } from './attr-bits.ts';
import { cosLat, haversineM, isValidCoordinate } from './great-circle.ts';
import { byDistanceThenId, type LiveQuery, type MovingPointIndex, type Neighbour, type NearestQuery, type PointFix, type WithinQuery } from './moving-point-index.ts';

/**
 * The reference the live index is tested against: a plain map and a scan of every point per
 * query. Obviously right and O(n) per query; never used by the product.
 */
export class BruteForceIndex implements MovingPointIndex {
  private readonly points = new Map<string, PointFix>();

  constructor(private readonly staleAfterMs: number) {}

  get size(): number {
    return this.points.size;
  }

  upsert(id: string, lat: number, lon: number, atMs: number, attrs: number): boolean {
    check(id, lat, lon, atMs, attrs);
    const held = this.points.get(id);
    if (held && atMs < held.atMs) return false;
    this.points.set(id, { id, lat, lon, atMs, attrs: attrs >>> 0 });
    return true;
  }

  upsertMany(fixes: readonly PointFix[]): Uint8Array {
    for (const x of fixes) check(x.id, x.lat, x.lon, x.atMs, x.attrs);
    return Uint8Array.from(fixes, (x) => (this.upsert(x.id, x.lat, x.lon, x.atMs, x.attrs) ? 1 : 0));
  }

  remove(id: string): boolean {
    return this.points.delete(id);
  }

  setAttrs(id: string, attrs: number): boolean {
    checkAttrs(attrs, 'BruteForceIndex.setAttrs');
    const held = this.points.get(id);
    if (!held) return false;
    this.points.set(id, { ...held, attrs: attrs >>> 0 });
    return true;
  }

  get(id: string): PointFix | undefined {
    return this.points.get(id);
  }

  nearest(lat: number, lon: number, k: number, query: NearestQuery): Neighbour[] {
    return this.scan(lat, lon, query.maxDistanceM ?? Infinity, query).slice(0, Math.max(0, k));
  }

  within(lat: number, lon: number, radiusM: number, query: WithinQuery): Neighbour[] {
    return this.scan(lat, lon, radiusM, query).slice(0, query.limit ?? Infinity);
  }

  private scan(lat: number, lon: number, maxDistanceM: number, query: LiveQuery): Neighbour[] {
    const maxAge = query.maxAgeMs ?? this.staleAfterMs;
    const filter = query.filter ?? MATCH_ALL;
    const c = cosLat(lat);
    const found: Neighbour[] = [];
    for (const p of this.points.values()) {
      if (!matchesFilter(p.attrs, filter) || !(query.now - p.atMs <= maxAge)) continue;
      const distanceM = haversineM(lat, lon, c, p.lat, p.lon);
      if (distanceM <= maxDistanceM) found.push({ ...p, distanceM });
    }
    return found.sort(byDistanceThenId);
  }
}

function check(id: string, lat: number, lon: number, atMs: number, attrs: number): void {
  if (id === '' || !isValidCoordinate(lat, lon) || !Number.isFinite(atMs)) throw new RangeError(`BruteForceIndex: bad fix for ${id}`);
  checkAttrs(attrs, 'BruteForceIndex');
}
