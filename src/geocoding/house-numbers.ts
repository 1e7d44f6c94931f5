import type { LatLon } from '../core/lat-lon.ts';
import { pointAt, projectOnLine } from './polylines.ts';
import type { Street } from './street-index.ts';
import { streetKey } from './street-names.ts';

/** A block of a street ("1400 Block of MARKET ST") where a call was placed. */
export interface BlockPoint {
  readonly block: number;
  readonly location: LatLon;
}

export interface HouseLocation {
  readonly location: LatLon;
  /** `block`: a call was placed on this very block; `interpolated`: between (or beyond) known blocks along the street. */
  readonly precision: 'block' | 'interpolated';
  /** The known blocks the place was worked out from. */
  readonly from: readonly number[];
}

const BLOCK_ADDRESS = /^\s*(\d+)\s+block\s+of\s+(.+?)\s*$/i;
/** Beyond this many numbers from the nearest known block, a guess along the street is not worth showing. */
const MAX_REACH = 800;
/** A block point this far from the street's lines belongs to another stretch of it. */
const ON_STREET_M = 80;

/**
 * Where each known block of each street lies, from addresses written "<n> Block of <STREET>" with
 * a point (the DataSF calls put the point on the block, about 6 m off the centreline). A house
 * number is placed on its block, or along the street between the nearest known blocks on each side.
 */
export class BlockIndex {
  constructor(private readonly byStreet: ReadonlyMap<string, readonly BlockPoint[]>) {}

  /** Averages the points given for each block of each street. */
  static fromAddresses(rows: Iterable<{ readonly address: string; readonly location: LatLon }>): BlockIndex {
    const sums = new Map<string, Map<number, { lat: number; lon: number; n: number }>>();
    for (const r of rows) {
      const m = BLOCK_ADDRESS.exec(r.address);
      if (!m) continue;
      const key = streetKey(m[2]!);
      const block = Number(m[1]);
      const blocks = sums.get(key) ?? new Map<number, { lat: number; lon: number; n: number }>();
      const s = blocks.get(block) ?? { lat: 0, lon: 0, n: 0 };
      blocks.set(block, { lat: s.lat + r.location.lat, lon: s.lon + r.location.lon, n: s.n + 1 });
      sums.set(key, blocks);
    }
    const byStreet = new Map<string, BlockPoint[]>();
    for (const [key, blocks] of sums) {
      const points = [...blocks].map(([block, s]) => ({ block, location: { lat: s.lat / s.n, lon: s.lon / s.n } }));
      byStreet.set(key, points.sort((a, b) => a.block - b.block));
    }
    return new BlockIndex(byStreet);
  }

  get size(): number {
    let n = 0;
    for (const b of this.byStreet.values()) n += b.length;
    return n;
  }

  blocksOf(street: Street): readonly BlockPoint[] {
    return this.byStreet.get(street.key) ?? [];
  }

  /** Where house number `n` of a street is, or undefined when no known block is near enough to tell. */
  locate(street: Street, n: number): HouseLocation | undefined {
    const known = this.blocksOf(street).filter((b) => projectNearest(street, b.location).distanceM <= ON_STREET_M);
    const block = Math.floor(n / 100) * 100;
    const exact = known.find((b) => b.block === block);
    if (exact) return { location: exact.location, precision: 'block', from: [block] };
    const below = known.filter((b) => b.block < block);
    const above = known.filter((b) => b.block > block);
    let pair: [BlockPoint, BlockPoint] | undefined;
    if (below.length > 0 && above.length > 0) pair = [below[below.length - 1]!, above[0]!];
    else if (below.length >= 2) pair = [below[below.length - 2]!, below[below.length - 1]!];
    else if (above.length >= 2) pair = [above[0]!, above[1]!];
    if (pair === undefined) return undefined;
    const [a, b] = pair;
    const nearest = Math.min(Math.abs(n - a.block - 50), Math.abs(n - b.block - 50));
    if (nearest > MAX_REACH) return undefined;
    // Block points stand for the middle of their block (…50).
    const f = (n - (a.block + 50)) / (b.block - a.block);
    return { location: along(street, a.location, b.location, f), precision: 'interpolated', from: [a.block, b.block] };
  }
}

function projectNearest(street: Street, p: LatLon): { line: number; measure: number; distanceM: number; point: LatLon } {
  let best = { line: -1, measure: 0, distanceM: Infinity, point: p };
  street.lines.forEach((line, i) => {
    const on = projectOnLine(line, p);
    if (on.distanceM < best.distanceM) best = { line: i, ...on };
  });
  return best;
}

/**
 * The point a fraction `f` of the way from `a` to `b` (f may lie outside 0..1), measured along the
 * street when both lie on one of its lines, else on the straight line between them, put back on the street.
 */
function along(street: Street, a: LatLon, b: LatLon, f: number): LatLon {
  const pa = projectNearest(street, a);
  const pb = projectNearest(street, b);
  if (pa.line === pb.line && pa.line >= 0) return pointAt(street.lines[pa.line]!, Math.max(0, pa.measure + f * (pb.measure - pa.measure)));
  const straight = { lat: a.lat + f * (b.lat - a.lat), lon: a.lon + f * (b.lon - a.lon) };
  return projectNearest(street, straight).point;
}
