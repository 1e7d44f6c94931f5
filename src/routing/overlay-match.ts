import type { RoadClass } from './road-class.ts';
import { SegmentGrid } from './segment-grid.ts';

/** Lines of another map that say "this road is a freeway" (or an arterial), by geometry alone. */
export interface Overlay {
  readonly roadClass: RoadClass;
  /** Each line as [lon, lat, ...] points (GeoJSON order; a third value is ignored). */
  readonly lines: readonly (readonly (readonly number[])[])[];
  /** How far (m) a street may lie from the overlay's line and still be the same road. */
  readonly toleranceM: number;
}

interface Indexed {
  readonly overlay: Overlay;
  readonly grid: SegmentGrid;
  /** Unit direction of each overlay segment in the grid's plane. */
  readonly dirX: Float64Array;
  readonly dirY: Float64Array;
}

/**
 * Tags street segments that lie on an overlay line: both ends and the middle within the
 * tolerance, and, for a segment too short for that to mean anything (under twice the
 * tolerance), also running along the overlay rather than across it. The first overlay that
 * matches wins, so list freeways before arterials.
 */
export class OverlayMatcher {
  private readonly indexed: Indexed[];

  constructor(overlays: readonly Overlay[]) {
    this.indexed = overlays.map((overlay) => {
      const lat1: number[] = [];
      const lon1: number[] = [];
      const lat2: number[] = [];
      const lon2: number[] = [];
      for (const line of overlay.lines) {
        for (let i = 0; i + 1 < line.length; i++) {
          const a = line[i]!;
          const b = line[i + 1]!;
          lon1.push(a[0]!);
          lat1.push(a[1]!);
          lon2.push(b[0]!);
          lat2.push(b[1]!);
        }
      }
      const grid = new SegmentGrid(lat1, lon1, lat2, lon2, Int32Array.from(lat1, (_, i) => i), 50);
      const { kx, ky } = grid.projection;
      const dirX = new Float64Array(lat1.length);
      const dirY = new Float64Array(lat1.length);
      for (let i = 0; i < lat1.length; i++) {
        const dx = (lon2[i]! - lon1[i]!) * kx;
        const dy = (lat2[i]! - lat1[i]!) * ky;
        const len = Math.hypot(dx, dy) || 1;
        [dirX[i], dirY[i]] = [dx / len, dy / len];
      }
      return { overlay, grid, dirX, dirY };
    });
  }

  /** The class of the first overlay the segment a–b lies on, or undefined. */
  classify(latA: number, lonA: number, latB: number, lonB: number): RoadClass | undefined {
    for (const { overlay, grid, dirX, dirY } of this.indexed) {
      const tol = overlay.toleranceM;
      if (grid.nearest(latA, lonA, tol) === undefined || grid.nearest(latB, lonB, tol) === undefined) continue;
      const mid = grid.nearest((latA + latB) / 2, (lonA + lonB) / 2, tol);
      if (mid === undefined) continue;
      const dx = (lonB - lonA) * grid.projection.kx;
      const dy = (latB - latA) * grid.projection.ky;
      const len = Math.hypot(dx, dy);
      if (len < 2 * tol && len > 0) {
        const cos = Math.abs((dx * dirX[mid.id]! + dy * dirY[mid.id]!) / len);
        if (cos < 0.9) continue;
      }
      return overlay.roadClass;
    }
    return undefined;
  }
}
