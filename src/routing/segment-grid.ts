/**
 * A uniform grid over line segments in a local plane (metres), for the nearest segment to a
 * point. Good enough at city scale: the plane is an equirectangular projection around the
 * grid's own centre latitude, off by well under 1 % across 50 km.
 */
const EARTH_RADIUS_M = 6_371_008.8;
const M_PER_DEG = (Math.PI / 180) * EARTH_RADIUS_M;

export interface Projection {
  readonly kx: number;
  readonly ky: number;
}

/** Metres per degree of longitude (kx) and latitude (ky) around latitude `lat0`. */
export const projectionAt = (lat0: number): Projection => ({ kx: M_PER_DEG * Math.cos((lat0 * Math.PI) / 180), ky: M_PER_DEG });

export interface NearestSegment {
  /** The payload given for the segment at build time. */
  readonly id: number;
  /** 0 at the segment's first point, 1 at its second. */
  readonly t: number;
  /** Metres from the query point to the projection. */
  readonly distanceM: number;
}

export class SegmentGrid {
  readonly projection: Projection;
  private readonly x1: Float64Array;
  private readonly y1: Float64Array;
  private readonly x2: Float64Array;
  private readonly y2: Float64Array;
  private readonly ids: Int32Array;
  private readonly cellM: number;
  private readonly minX: number;
  private readonly minY: number;
  private readonly cols: number;
  private readonly rows: number;
  private readonly cellStart: Int32Array;
  private readonly cellItems: Int32Array;

  /**
   * @param lat1,lon1,lat2,lon2 the segments' end points in degrees, one entry per segment
   * @param ids a payload per segment, returned by queries
   * @param cellM the grid's cell size in metres
   */
  constructor(lat1: ArrayLike<number>, lon1: ArrayLike<number>, lat2: ArrayLike<number>, lon2: ArrayLike<number>, ids: Int32Array, cellM: number) {
    const n = ids.length;
    let sumLat = 0;
    for (let i = 0; i < n; i++) sumLat += lat1[i]!;
    this.projection = projectionAt(n === 0 ? 0 : sumLat / n);
    const { kx, ky } = this.projection;
    this.x1 = Float64Array.from({ length: n }, (_, i) => lon1[i]! * kx);
    this.y1 = Float64Array.from({ length: n }, (_, i) => lat1[i]! * ky);
    this.x2 = Float64Array.from({ length: n }, (_, i) => lon2[i]! * kx);
    this.y2 = Float64Array.from({ length: n }, (_, i) => lat2[i]! * ky);
    this.ids = ids;
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (let i = 0; i < n; i++) {
      minX = Math.min(minX, this.x1[i]!, this.x2[i]!);
      minY = Math.min(minY, this.y1[i]!, this.y2[i]!);
      maxX = Math.max(maxX, this.x1[i]!, this.x2[i]!);
      maxY = Math.max(maxY, this.y1[i]!, this.y2[i]!);
    }
    if (n === 0) [minX, minY, maxX, maxY] = [0, 0, 0, 0];
    this.cellM = cellM;
    this.minX = minX;
    this.minY = minY;
    this.cols = Math.floor((maxX - minX) / cellM) + 1;
    this.rows = Math.floor((maxY - minY) / cellM) + 1;
    const counts = new Int32Array(this.cols * this.rows + 1);
    this.eachCell(n, (cell) => counts[cell + 1]!++);
    for (let c = 0; c < this.cols * this.rows; c++) counts[c + 1]! += counts[c]!;
    this.cellStart = counts;
    this.cellItems = new Int32Array(counts[this.cols * this.rows]!);
    const fill = counts.slice(0, this.cols * this.rows);
    this.eachCell(n, (cell, i) => (this.cellItems[fill[cell]!++] = i));
  }

  private eachCell(n: number, visit: (cell: number, i: number) => void): void {
    for (let i = 0; i < n; i++) {
      const c0 = Math.floor((Math.min(this.x1[i]!, this.x2[i]!) - this.minX) / this.cellM);
      const c1 = Math.floor((Math.max(this.x1[i]!, this.x2[i]!) - this.minX) / this.cellM);
      const r0 = Math.floor((Math.min(this.y1[i]!, this.y2[i]!) - this.minY) / this.cellM);
      const r1 = Math.floor((Math.max(this.y1[i]!, this.y2[i]!) - this.minY) / this.cellM);
      for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) visit(r * this.cols + c, i);
    }
  }

  /**
   * The segment nearest to a point, within `maxDistanceM`, among those `accept` lets through;
   * ties go to the lower segment index. Undefined when there is none.
   */
  nearest(lat: number, lon: number, maxDistanceM: number, accept: (id: number) => boolean = () => true): NearestSegment | undefined {
    const px = lon * this.projection.kx;
    const py = lat * this.projection.ky;
    const col = Math.floor((px - this.minX) / this.cellM);
    const row = Math.floor((py - this.minY) / this.cellM);
    let best = -1;
    let bestT = 0;
    let bestD2 = maxDistanceM * maxDistanceM;
    const { x1, y1, x2, y2, ids, cellStart, cellItems } = this;
    const maxRing = Math.ceil(maxDistanceM / this.cellM) + 1;
    for (let ring = 0; ring <= maxRing; ring++) {
      // Every cell of this ring is at least (ring - 1) cells away from the point.
      const floor = Math.max(0, ring - 1) * this.cellM;
      if (best >= 0 && floor * floor > bestD2) break;
      for (let r = row - ring; r <= row + ring; r++) {
        if (r < 0 || r >= this.rows) continue;
        const step = ring === 0 || r === row - ring || r === row + ring ? 1 : 2 * ring;
        for (let c = col - ring; c <= col + ring; c += step) {
          if (c < 0 || c >= this.cols) continue;
          const cell = r * this.cols + c;
          const end = cellStart[cell + 1]!;
          for (let k = cellStart[cell]!; k < end; k++) {
            const i = cellItems[k]!;
            const ax = x1[i]!;
            const ay = y1[i]!;
            const dx = x2[i]! - ax;
            const dy = y2[i]! - ay;
            const len2 = dx * dx + dy * dy;
            let t = len2 === 0 ? 0 : ((px - ax) * dx + (py - ay) * dy) / len2;
            t = t < 0 ? 0 : t > 1 ? 1 : t;
            const ex = ax + t * dx - px;
            const ey = ay + t * dy - py;
            const d2 = ex * ex + ey * ey;
            if ((d2 < bestD2 || (d2 === bestD2 && (best < 0 || i < best))) && accept(ids[i]!)) {
              best = i;
              bestT = t;
              bestD2 = d2;
            }
          }
        }
      }
    }
    return best < 0 ? undefined : { id: this.ids[best]!, t: bestT, distanceM: Math.sqrt(bestD2) };
  }
}
