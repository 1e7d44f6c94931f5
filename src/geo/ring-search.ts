import type { AttrFilter } from './attr-bits.ts';
import { emptyBox, type CellBox, type CellGrid } from './cell-grid.ts';
import type { CellTable } from './cell-table.ts';
import { cosLat, EARTH_RADIUS_M, haversineM, METERS_PER_DEGREE } from './great-circle.ts';
import type { PointStore } from './point-store.ts';

const RAD = Math.PI / 180;
const HALF_RAD = Math.PI / 360;
/** Margin on cell edges (degrees) for the bounds: far above the rounding of row and column arithmetic. */
const BOUND_MARGIN_DEG = 1e-7;

const H_OF_1_MICROMETRE = (1e-6 / (2 * EARTH_RADIUS_M)) ** 2;
/** A lower bound by |Δlat| skips a point only when it exceeds the k-th by more than this (m). */
const SLACK_M = 1e-6;

/** The h (haversine term) at and beyond which a cell is skipped, for a distance bound d (m). */
const pruneHFor = (d: number): number => {
  if (d === Infinity) return Infinity;
  const s = Math.sin(Math.min(d / (2 * EARTH_RADIUS_M), Math.PI / 2));
  // The margins (relative, and absolute: the h of 1 µm) outweigh rounding and underflow, so that
  // ties at the bound (which the id decides) stay in.
  return s * s * (1 + 1e-9) + H_OF_1_MICROMETRE;
};

/**
 * The query engine of the live index: exact k-nearest and radius searches over the grid's cells,
 * ring by ring outwards from the query. One instance per index, reused by every query (its
 * scratch arrays are not reentrant; JavaScript runs one query at a time).
 *
 * Exactness: after the cells of box(R) are visited, every point within R (as haversineM
 * measures it) has been seen, so once the k-th best is within R no unvisited point can beat it.
 * A cell is skipped only when a lower bound of the distance of any point in it exceeds the k-th
 * best (or the radius): h ≥ sin²(gapφ/2) + cos²φmax · sin²(gapλ/2), with the gaps between the
 * query and the cell's edges and φmax the largest |latitude| of the query and the cell's row.
 */
export class RingSearch {
  private readonly box: CellBox = emptyBox();
  private readonly prev: CellBox = emptyBox();
  // The query in progress.
  private lat = 0;
  private lon = 0;
  private cos1 = 1;
  private k = 0;
  private maxDist = Infinity;
  private all = 0;
  private any = 0;
  private none = 0;
  private now = 0;
  private maxAge = 0;
  private collectAll = false;
  // Results: the k best (sorted) for nearest; every hit (unsorted) for within.
  dist = new Float64Array(16);
  slots = new Int32Array(16);
  found = 0;
  private worstD = Infinity;
  private pruneH = Infinity;

  constructor(
    private readonly grid: CellGrid,
    private readonly cells: CellTable,
    private readonly points: PointStore,
  ) {}

  /** The k nearest fresh points passing the filter within maxDist: `found` of them in `slots`/`dist`, nearest first. */
  nearest(lat: number, lon: number, k: number, maxDist: number, filter: AttrFilter, now: number, maxAge: number): void {
    this.start(lat, lon, filter, now, maxAge, maxDist, false);
    this.k = k;
    this.ensure(k);
    const { grid, box, prev } = this;
    const step = grid.cellM;
    // Give up on rings once they have considered more cells than are occupied: a scan of the whole
    // table is then cheaper (a filter matching fewer than k points, or a far-away query).
    const budget = 2 * this.cells.size + 64;
    let considered = 0;
    // Ring radii: 0 (the query's own cell), one cell, two cells, then ×1.5 each ring, so that a
    // query far from any match needs few rings; cells beyond the k-th so far are skipped anyway.
    for (let ring = 0, reach = 0; ; ring++, reach = ring <= 2 ? ring * step : reach * 1.5) {
      const radius = Math.min(reach, maxDist);
      grid.boxAround(lat, lon, radius, box);
      considered += this.scanNewCells();
      if (this.found === k && this.worstD <= radius) return;
      if (radius >= maxDist) return;
      if (box.rowLo === 0 && box.rowHi === grid.rows - 1 && box.dLonDeg >= 180) return;
      if (considered > budget) {
        this.found = 0;
        this.worstD = Infinity;
        this.pruneH = pruneHFor(maxDist);
        this.scanAllCells();
        return;
      }
      prev.rowLo = box.rowLo;
      prev.rowHi = box.rowHi;
      prev.dLonDeg = box.dLonDeg;
    }
  }

  /** Every fresh point passing the filter within radius (m): `found` of them in `slots`/`dist`, in no order. */
  within(lat: number, lon: number, radius: number, filter: AttrFilter, now: number, maxAge: number): void {
    this.start(lat, lon, filter, now, maxAge, radius, true);
    this.grid.boxAround(lat, lon, radius, this.box);
    let cellsInBox = 0;
    for (let r = this.box.rowLo; r <= this.box.rowHi; r++) {
      const [a, b] = this.span(r, this.box.dLonDeg);
      cellsInBox += b - a + 1;
    }
    if (cellsInBox > this.cells.size) this.scanAllCells();
    else this.scanNewCells();
  }

  private start(lat: number, lon: number, filter: AttrFilter, now: number, maxAge: number, maxDist: number, collectAll: boolean): void {
    this.lat = lat;
    this.lon = lon;
    this.cos1 = cosLat(lat);
    this.all = filter.all;
    this.any = filter.any;
    this.none = filter.none;
    this.now = now;
    this.maxAge = maxAge;
    this.maxDist = maxDist;
    this.collectAll = collectAll;
    this.found = 0;
    this.worstD = Infinity;
    this.pruneH = pruneHFor(maxDist);
    const p = this.prev;
    p.rowLo = 1;
    p.rowHi = 0;
    p.dLonDeg = 0;
  }

  /** Columns [a, b] (unwrapped) of row r within lon ± dLonDeg, or the whole row as [0, cols - 1]. */
  private span(r: number, dLonDeg: number): [number, number] {
    const cols = this.grid.rowCols[r]!;
    if (dLonDeg >= 180) return [0, cols - 1];
    const a = this.grid.unwrappedCol(r, this.lon - dLonDeg);
    const b = this.grid.unwrappedCol(r, this.lon + dLonDeg);
    return b - a + 1 >= cols ? [0, cols - 1] : [a, b];
  }

  /** Visits the cells of `box` not in `prev` (prev lies inside box); returns the cells considered. */
  private scanNewCells(): number {
    const { box, prev } = this;
    let considered = 0;
    for (let r = box.rowLo; r <= box.rowHi; r++) {
      const cols = this.grid.rowCols[r]!;
      const [a, b] = this.span(r, box.dLonDeg);
      if (r < prev.rowLo || r > prev.rowHi) {
        considered += this.scanCols(r, a, b);
        continue;
      }
      const [pa, pb] = this.span(r, prev.dLonDeg);
      if (pb - pa + 1 >= cols) continue; // already whole
      if (b - a + 1 >= cols) {
        considered += this.scanCols(r, pb + 1, pa + cols - 1);
      } else {
        considered += this.scanCols(r, a, pa - 1) + this.scanCols(r, pb + 1, b);
      }
    }
    return considered;
  }

  /** Visits columns lo..hi (unwrapped) of row r, skipping cells beyond the bound; returns the count considered. */
  private scanCols(r: number, lo: number, hi: number): number {
    if (hi < lo) return 0;
    const { grid, lat, lon } = this;
    const cols = grid.rowCols[r]!;
    const rowLat0 = -90 + r * grid.rowDeg - BOUND_MARGIN_DEG;
    const rowLat1 = rowLat0 + grid.rowDeg + 2 * BOUND_MARGIN_DEG;
    const sLat = Math.sin(Math.max(0, rowLat0 - lat, lat - rowLat1) * HALF_RAD);
    const hLat = sLat * sLat;
    if (hLat > this.pruneH) return hi - lo + 1;
    const cm = Math.cos(Math.min(90, Math.max(Math.abs(lat), Math.abs(rowLat0), Math.abs(rowLat1))) * RAD);
    const cm2 = cm * cm;
    const colDeg = 360 / cols;
    const width = colDeg + 2 * BOUND_MARGIN_DEG;
    for (let c = lo; c <= hi; c++) {
      const cellLon0 = c * colDeg - 180 - BOUND_MARGIN_DEG;
      const gapLon = Math.max(0, cellLon0 - lon, lon - (cellLon0 + width));
      // sin²(Δλ/2) grows with the gap only while the whole cell stays within 180° of the query.
      let hLon = 0;
      if (gapLon + width <= 180) {
        const sLon = Math.sin(gapLon * HALF_RAD);
        hLon = sLon * sLon;
      }
      if (hLat + cm2 * hLon > this.pruneH) continue;
      const head = this.cells.headOf(r, c < 0 ? c + cols : c >= cols ? c - cols : c);
      if (head !== -1) this.visit(head);
    }
    return hi - lo + 1;
  }

  private scanAllCells(): void {
    const cells = this.cells;
    for (let t = 0; t < cells.capacity; t++) {
      const head = cells.headAt(t);
      if (head !== -1) this.visit(head);
    }
  }

  /** Offers every point of one cell's list. */
  private visit(head: number): void {
    const { f, i } = this.points;
    const { all, any, none, now, maxAge, lat, lon, cos1 } = this;
    for (let s = head; s !== -1; s = i[s * 8 + 7]!) {
      const a = i[s * 8 + 6]!;
      if ((a & all) !== all || (any !== 0 && (a & any) === 0) || (a & none) !== 0) continue;
      if (!(now - f[s * 4 + 2]! <= maxAge)) continue;
      const plat = f[s * 4]!;
      // |Δlat| bounds the distance from below: skip the trigonometry for points surely farther
      // than the k-th. The margins keep ties, which the id decides, on the exact path, and so
      // points whose computed distance underflows to the k-th's (a query at lat 5e-324).
      if (Math.abs(plat - lat) * METERS_PER_DEGREE * (1 - 1e-9) - SLACK_M > this.worstD) continue;
      const d = haversineM(lat, lon, cos1, plat, f[s * 4 + 1]!);
      if (d > this.maxDist) continue;
      if (this.collectAll) this.push(d, s);
      else this.offer(d, s);
    }
  }

  private push(d: number, s: number): void {
    if (this.found === this.slots.length) this.ensure(this.found * 2);
    this.dist[this.found] = d;
    this.slots[this.found++] = s;
  }

  /** Inserts into the sorted k best, by distance then id. */
  private offer(d: number, s: number): void {
    const { dist, slots, k } = this;
    const ids = this.points.ids;
    let j: number;
    if (this.found < k) {
      j = this.found++;
    } else {
      const w = dist[k - 1]!;
      if (d > w || (d === w && ids[s]! >= ids[slots[k - 1]!]!)) return;
      j = k - 1;
    }
    while (j > 0) {
      const pd = dist[j - 1]!;
      if (pd < d || (pd === d && ids[slots[j - 1]!]! < ids[s]!)) break;
      dist[j] = pd;
      slots[j] = slots[j - 1]!;
      j--;
    }
    dist[j] = d;
    slots[j] = s;
    if (this.found === k) {
      this.worstD = dist[k - 1]!;
      this.pruneH = Math.min(pruneHFor(this.worstD), pruneHFor(this.maxDist));
    }
  }

  private ensure(n: number): void {
    if (this.slots.length >= n) return;
    const dist = new Float64Array(n);
    const slots = new Int32Array(n);
    dist.set(this.dist.subarray(0, this.found));
    slots.set(this.slots.subarray(0, this.found));
    this.dist = dist;
    this.slots = slots;
  }
}
