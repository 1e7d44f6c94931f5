import { checkAttrs, MATCH_ALL } from './attr-bits.ts';
import { CellGrid } from './cell-grid.ts';
import { CellTable, COL_SPAN } from './cell-table.ts';
import { isValidCoordinate } from './great-circle.ts';
import { type MovingPointIndex, type Neighbour, type NearestQuery, type PointFix, type WithinQuery } from './moving-point-index.ts';
import { PointStore } from './point-store.ts';
import { RingSearch } from './ring-search.ts';

export interface LiveIndexOptions {
  /** Side of a grid cell (m): smaller suits dense crowds, larger sparse fleets (bench/live-index.ts). */
  readonly cellSizeM?: number;
  /** Default staleness cut of queries (ms): fixes older than this at the query's `now` are left out. */
  readonly staleAfterMs?: number;
  /** Points to make room for at once (the arrays grow by doubling past it). */
  readonly initialCapacity?: number;
}

export const DEFAULT_CELL_SIZE_M = 50;
export const DEFAULT_STALE_AFTER_MS = 300_000;

/**
 * The live map of moving points (units and volunteers): a grid of cells about `cellSizeM` on a
 * side (cell-grid.ts), each cell a linked list of points threaded through typed arrays
 * (point-store.ts). An update that stays in its cell rewrites four numbers; one that changes cell
 * relinks it in O(1). Queries search ring by ring outwards from the query's cell and stop once no
 * unvisited cell can hold a nearer point (ring-search.ts), so results are exact: the same ids in
 * the same order as `BruteForceIndex`, which the tests hold it to.
 *
 * Memory at a million points, measured by bench/live-index.ts: about 106 bytes a point, of which
 * 66 are typed arrays (32 the record, 4 the back link, 8 the slot → id pointer, ~17 the id table,
 * the rest cells) and the rest the id string itself (16-character ids).
 *
 * Queries run on the caller's clock (`now` in each query): nothing here reads the time.
 * How the server feeds it: `PositionIntake` (position-intake.ts).
 */
export class LiveIndex implements MovingPointIndex {
  readonly grid: CellGrid;
  readonly staleAfterMs: number;
  private readonly cells: CellTable;
  private readonly points: PointStore;
  private readonly search: RingSearch;
  private readonly batch = new BatchScratch();
  /** Sum of the records read ahead by upsertMany (kept so that the reads are not optimised away). */
  private touched = 0;

  constructor(options: LiveIndexOptions = {}) {
    this.grid = new CellGrid(options.cellSizeM ?? DEFAULT_CELL_SIZE_M);
    this.staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
    this.points = new PointStore(options.initialCapacity ?? 1024);
    this.cells = new CellTable(Math.min(1 << 20, Math.max(1024, (options.initialCapacity ?? 1024) / 4)));
    this.search = new RingSearch(this.grid, this.cells, this.points);
  }

  get size(): number {
    return this.points.size;
  }

  /** Bytes held in typed arrays (points and cells); id strings and the id map come on top. */
  get typedArrayBytes(): number {
    return this.points.byteLength + this.cells.byteLength + this.grid.rowCols.byteLength;
  }

  upsert(id: string, lat: number, lon: number, atMs: number, attrs: number): boolean {
    checkFix(id, lat, lon, atMs, attrs, 'LiveIndex.upsert');
    return this.apply(this.points.slotOf(id), id, lat, lon, atMs, attrs);
  }

  /**
   * Takes a batch of fixes in order (the body of `POST /api/positions`); returns 1 for each fix
   * taken, 0 for one older than the fix held. Every fix is checked before any is applied: a bad
   * one throws, naming its position, and the batch changes nothing. Same result as calling
   * {@link upsert} for each, but faster: the id look-ups of the whole batch run first, so that
   * their cache misses overlap instead of queueing one behind the other. Build the fixes as object
   * literals of one shape: in V8, objects made by spreading parsed JSON (`{ ...item, attrs }`)
   * read several times slower than the whole update costs.
   */
  upsertMany(fixes: readonly PointFix[]): Uint8Array {
    const n = fixes.length;
    const b = this.batch.fit(n);
    // Check and read every fix first, into columns that the passes below scan.
    for (let j = 0; j < n; j++) {
      const x = fixes[j]!;
      const { id, lat, lon, atMs, attrs } = x;
      checkFix(id, lat, lon, atMs, attrs, `LiveIndex.upsertMany: fix ${j}`);
      b.ids[j] = id;
      b.lat[j] = lat;
      b.lon[j] = lon;
      b.at[j] = atMs;
      b.attrs[j] = attrs;
    }
    const p = this.points;
    const { ids, slots } = b;
    for (let j = 0; j < n; j++) slots[j] = p.candidateOf(ids[j]!);
    let touched = 0;
    for (let j = 0; j < n; j++) {
      const s = slots[j]!;
      if (s === -1) continue;
      touched += p.f[s * 4 + 2]!; // bring the record into cache alongside the id check
      if (p.ids[s] !== ids[j]) slots[j] = p.slotOf(ids[j]!);
    }
    this.touched = touched;
    const taken = new Uint8Array(n);
    for (let j = 0; j < n; j++) {
      const s = slots[j]!;
      const id = ids[j]!;
      // -1: a new id, perhaps added by an earlier fix of this batch.
      taken[j] = this.apply(s === -1 ? p.slotOf(id) : s, id, b.lat[j]!, b.lon[j]!, b.at[j]!, b.attrs[j]! >>> 0) ? 1 : 0;
    }
    b.ids.fill('', 0, n); // hold no caller strings
    return taken;
  }

  /** Applies a checked fix to slot s (-1: a new id). */
  private apply(s: number, id: string, lat: number, lon: number, atMs: number, attrs: number): boolean {
    const p = this.points;
    const grid = this.grid;
    const row = grid.rowOf(lat);
    const col = grid.colOf(row, lon);
    if (s === -1) {
      s = p.add(id);
      p.write(s, lat, lon, atMs, attrs);
      this.link(s, row, col);
      return true;
    }
    const f = p.f;
    if (atMs < f[s * 4 + 2]!) return false;
    const oldRow = grid.rowOf(f[s * 4]!);
    const oldCol = grid.colOf(oldRow, f[s * 4 + 1]!);
    p.write(s, lat, lon, atMs, attrs);
    if (oldRow !== row || oldCol !== col) {
      this.unlink(s, oldRow, oldCol);
      this.link(s, row, col);
    }
    return true;
  }

  remove(id: string): boolean {
    const p = this.points;
    const s = p.slotOf(id);
    if (s === -1) return false;
    const row = this.grid.rowOf(p.f[s * 4]!);
    this.unlink(s, row, this.grid.colOf(row, p.f[s * 4 + 1]!));
    p.free(s);
    return true;
  }

  setAttrs(id: string, attrs: number): boolean {
    checkAttrs(attrs, 'LiveIndex.setAttrs');
    const s = this.points.slotOf(id);
    if (s === -1) return false;
    this.points.i[s * 8 + 6] = attrs | 0;
    return true;
  }

  /** The attribute word held for an id (uint32), or undefined. */
  attrsOf(id: string): number | undefined {
    const s = this.points.slotOf(id);
    return s === -1 ? undefined : this.points.i[s * 8 + 6]! >>> 0;
  }

  get(id: string): PointFix | undefined {
    const s = this.points.slotOf(id);
    return s === -1 ? undefined : this.points.fixAt(s);
  }

  /**
   * Renumbers the points cell by cell, row by row, so that a query reads each cell's points from
   * adjacent memory instead of one cache miss per point (kNN about 6× faster at a million points).
   * Points stay near their cells as they move, so the order decays slowly: call it after the load
   * at start-up (about 0.5 s at a million points in random order) and then every few minutes
   * (about 0.1 s when the order has only decayed). It blocks for that long; results do not change.
   */
  compact(): void {
    const order = new Int32Array(this.points.size);
    let n = 0;
    const keys = this.cells.sortedKeys();
    const next = this.points.i;
    for (const key of keys) {
      const row = Math.floor(key / COL_SPAN);
      for (let s = this.cells.headOf(row, key - row * COL_SPAN); s !== -1; s = next[s * 8 + 7]!) order[n++] = s;
    }
    const map = this.points.renumber(order);
    for (const key of keys) {
      const row = Math.floor(key / COL_SPAN);
      const col = key - row * COL_SPAN;
      this.cells.setHead(row, col, map[this.cells.headOf(row, col)]!);
    }
  }

  /** Removes every point whose fix is older than `maxAgeMs` at `now` (ms); returns how many. */
  sweepStale(now: number, maxAgeMs: number = this.staleAfterMs): number {
    const stale: string[] = [];
    this.points.forEachSlot((s, id) => {
      if (!(now - this.points.f[s * 4 + 2]! <= maxAgeMs)) stale.push(id);
    });
    for (const id of stale) this.remove(id);
    return stale.length;
  }

  nearest(lat: number, lon: number, k: number, query: NearestQuery): Neighbour[] {
    checkQuery('nearest', lat, lon, query.now);
    const maxDist = query.maxDistanceM ?? Infinity;
    if (!(k >= 1) || !(maxDist >= 0) || this.size === 0) return [];
    const search = this.search;
    search.nearest(lat, lon, Math.min(Math.floor(k), this.size), maxDist, query.filter ?? MATCH_ALL, query.now, query.maxAgeMs ?? this.staleAfterMs);
    const out: Neighbour[] = [];
    for (let j = 0; j < search.found; j++) out.push(this.neighbourAt(search.slots[j]!, search.dist[j]!));
    return out;
  }

  within(lat: number, lon: number, radiusM: number, query: WithinQuery): Neighbour[] {
    checkQuery('within', lat, lon, query.now);
    const limit = Math.floor(query.limit ?? Infinity);
    if (!(radiusM >= 0) || !(limit >= 1)) return [];
    const search = this.search;
    search.within(lat, lon, radiusM, query.filter ?? MATCH_ALL, query.now, query.maxAgeMs ?? this.staleAfterMs);
    const { dist, slots, found } = search;
    const ids = this.points.ids;
    const order = new Int32Array(found);
    for (let j = 0; j < found; j++) order[j] = j;
    order.sort((a, b) => dist[a]! - dist[b]! || compareIds(ids[slots[a]!]!, ids[slots[b]!]!));
    const out: Neighbour[] = [];
    for (let j = 0; j < Math.min(found, limit); j++) out.push(this.neighbourAt(slots[order[j]!]!, dist[order[j]!]!));
    return out;
  }

  private neighbourAt(s: number, distanceM: number): Neighbour {
    const { f, i, ids } = this.points;
    return { id: ids[s]!, lat: f[s * 4]!, lon: f[s * 4 + 1]!, atMs: f[s * 4 + 2]!, attrs: i[s * 8 + 6]! >>> 0, distanceM };
  }

  private link(s: number, row: number, col: number): void {
    const { i, prev } = this.points;
    const old = this.cells.pushHead(row, col, s);
    i[s * 8 + 7] = old;
    prev[s] = -1;
    if (old !== -1) prev[old] = s;
  }

  private unlink(s: number, row: number, col: number): void {
    const { i, prev } = this.points;
    const p = prev[s]!;
    const n = i[s * 8 + 7]!;
    if (p === -1) this.cells.setHead(row, col, n);
    else i[p * 8 + 7] = n;
    if (n !== -1) prev[n] = p;
  }
}

function checkFix(id: string, lat: number, lon: number, atMs: number, attrs: number, where: string): void {
  if (typeof id !== 'string' || id === '') throw new RangeError(`${where}: id must be a non-empty string, not ${JSON.stringify(id)}`);
  if (!isValidCoordinate(lat, lon)) throw new RangeError(`${where}: ${id} has lat/lon ${lat},${lon}; expected degrees within ±90/±180`);
  if (!Number.isFinite(atMs)) throw new RangeError(`${where}: ${id} has atMs ${atMs}; expected epoch ms`);
  checkAttrs(attrs, where);
}

const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function checkQuery(what: string, lat: number, lon: number, now: number): void {
  if (!isValidCoordinate(lat, lon)) throw new RangeError(`LiveIndex.${what}: lat/lon ${lat},${lon}; expected degrees within ±90/±180`);
  if (!Number.isFinite(now)) throw new RangeError(`LiveIndex.${what}: now is ${now}; expected epoch ms`);
}

/** The columns of the batch in progress in upsertMany, grown as needed and reused. */
class BatchScratch {
  ids: string[] = [];
  lat = new Float64Array(0);
  lon = new Float64Array(0);
  at = new Float64Array(0);
  attrs = new Int32Array(0);
  slots = new Int32Array(0);

  fit(n: number): this {
    if (this.slots.length < n) {
      const cap = Math.max(n, 2 * this.slots.length, 256);
      this.ids = new Array<string>(cap).fill('');
      this.lat = new Float64Array(cap);
      this.lon = new Float64Array(cap);
      this.at = new Float64Array(cap);
      this.attrs = new Int32Array(cap);
      this.slots = new Int32Array(cap);
    }
    return this;
  }
}
