import { EARTH_RADIUS_M, METERS_PER_DEGREE } from './great-circle.ts';

/**
 * A grid of cells about `cellM` metres on a side over the whole sphere. Rows are bands of equal
 * latitude height; each row has as many columns as fit its circumference (fewer towards the
 * poles, one at the poles), so cells stay near square everywhere and the poles need no special case.
 * Columns wrap at the antimeridian.
 */
export class CellGrid {
  /** Height of a row, in degrees of latitude. */
  readonly rowDeg: number;
  readonly rows: number;
  /** Columns in each row. */
  readonly rowCols: Int32Array;

  constructor(readonly cellM: number) {
    if (!Number.isFinite(cellM) || cellM < 5 || cellM > 1_000_000) {
      throw new RangeError(`CellGrid: cellM must be a cell size in metres within [5, 1e6], not ${String(cellM)}`);
    }
    this.rowDeg = cellM / METERS_PER_DEGREE;
    this.rows = Math.ceil(180 / this.rowDeg);
    this.rowCols = new Int32Array(this.rows);
    for (let r = 0; r < this.rows; r++) {
      const midLat = Math.min(90, -90 + (r + 0.5) * this.rowDeg);
      this.rowCols[r] = Math.max(1, Math.floor((360 * Math.cos((midLat * Math.PI) / 180)) / this.rowDeg));
    }
  }

  /** The row of a latitude (degrees, within [-90, 90]). */
  rowOf(lat: number): number {
    const r = Math.floor((lat + 90) / this.rowDeg);
    return r < 0 ? 0 : r >= this.rows ? this.rows - 1 : r;
  }

  /**
   * The column of a longitude in a row, not wrapped: lon outside [-180, 180] gives a column
   * outside [0, cols). The same expression as {@link colOf}, so that boxes and points agree.
   */
  unwrappedCol(row: number, lon: number): number {
    return Math.floor(((lon + 180) * this.rowCols[row]!) / 360);
  }

  /** The column of a longitude (degrees) in a row, wrapped into [0, cols). */
  colOf(row: number, lon: number): number {
    const cols = this.rowCols[row]!;
    const c = Math.floor(((lon + 180) * cols) / 360);
    return c >= cols ? c - cols : c < 0 ? c + cols : c;
  }

  /**
   * The box of cells that holds every point within `radiusM` (great-circle) of lat/lon: rows
   * [rowLo, rowHi] and, in each, the columns spanning lon ± dLonDeg (dLonDeg ≥ 180: whole rows).
   * The longitude span is the circle's exact extent, asin(sin δ / cos φ), plus a margin that
   * outweighs rounding.
   */
  boxAround(lat: number, lon: number, radiusM: number, out: CellBox): void {
    const delta = radiusM / EARTH_RADIUS_M;
    const deltaDeg = (delta * 180) / Math.PI;
    const latLo = lat - deltaDeg - MARGIN_DEG;
    const latHi = lat + deltaDeg + MARGIN_DEG;
    out.rowLo = this.rowOf(Math.max(-90, latLo));
    out.rowHi = this.rowOf(Math.min(90, latHi));
    if (latLo <= -90 || latHi >= 90) {
      out.dLonDeg = 360; // the circle holds a pole: every longitude
      return;
    }
    const s = Math.sin(delta) / Math.cos((lat * Math.PI) / 180);
    // Near s = 1 asin is too steep for its rounding to be bounded: take whole rows instead.
    out.dLonDeg = s >= 1 - 1e-9 ? 360 : (Math.asin(s) * 180) / Math.PI + MARGIN_DEG;
  }
}

/** Margin added to box edges (degrees, about 1 cm): far above the rounding of the cell arithmetic. */
const MARGIN_DEG = 1e-7;

/** A box of cells: see {@link CellGrid.boxAround}. Mutable so that queries reuse one. */
export interface CellBox {
  rowLo: number;
  rowHi: number;
  dLonDeg: number;
}

/** An empty box (no rows). */
export const emptyBox = (): CellBox => ({ rowLo: 1, rowHi: 0, dLonDeg: 0 });
