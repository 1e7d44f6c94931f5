import { IdTable } from './id-table.ts';
import type { PointFix } from './moving-point-index.ts';

/** Bytes of one point's hot record: lat, lon, atMs (float64), attrs, next (int32). */
const RECORD_BYTES = 32;

/**
 * The points of the live index, one dense slot per id. The fields a query reads sit together in
 * one 32-byte record (two per cache line), because a query walks cell lists that jump between
 * slots: with one array per field each point visited would cost a cache miss per field.
 *   f[4s+0] lat (deg)   f[4s+1] lon (deg)   f[4s+2] atMs
 *   i[8s+6] attrs (uint32 word as int32)    i[8s+7] next slot in the cell's list (-1: last)
 * `prev` (needed only to unlink) lives apart. Freed slots are chained through `next` for reuse.
 */
export class PointStore {
  f: Float64Array;
  i: Int32Array;
  prev: Int32Array;
  /** The id of each slot; '' for a free slot. */
  ids: string[];
  size = 0;
  private readonly slots: IdTable;
  private freeHead = -1;
  private used = 0;

  constructor(initialCapacity: number) {
    const cap = Math.max(16, Math.ceil(initialCapacity));
    const buf = new ArrayBuffer(cap * RECORD_BYTES);
    this.f = new Float64Array(buf);
    this.i = new Int32Array(buf);
    this.prev = new Int32Array(cap);
    this.ids = new Array<string>(cap).fill('');
    this.slots = new IdTable(this, cap);
  }

  get capacity(): number {
    return this.prev.length;
  }

  /** Bytes held in typed arrays, the id table and the ids array (the id strings not counted). */
  get byteLength(): number {
    return this.f.byteLength + this.prev.byteLength + this.ids.length * 8 + this.slots.byteLength;
  }

  /** The slot of an id, or -1. */
  slotOf(id: string): number {
    return this.slots.get(id);
  }

  /** The slot whose id hash matches (unconfirmed: compare `ids[slot]`), or -1: see IdTable.candidate. */
  candidateOf(id: string): number {
    return this.slots.candidate(id);
  }

  /** A slot for a new id (its fields are for the caller to write). */
  add(id: string): number {
    let s = this.freeHead;
    if (s !== -1) {
      this.freeHead = this.i[s * 8 + 7]!;
    } else {
      if (this.used === this.capacity) this.grow();
      s = this.used++;
    }
    this.ids[s] = id;
    this.slots.add(id, s);
    this.size++;
    return s;
  }

  /** Frees a slot that the caller has already taken out of its cell list. */
  free(s: number): void {
    this.slots.delete(this.ids[s]!);
    this.ids[s] = '';
    this.i[s * 8 + 7] = this.freeHead;
    this.freeHead = s;
    this.size--;
  }

  write(s: number, lat: number, lon: number, atMs: number, attrs: number): void {
    const f = this.f;
    f[s * 4] = lat;
    f[s * 4 + 1] = lon;
    f[s * 4 + 2] = atMs;
    this.i[s * 8 + 6] = attrs | 0;
  }

  fixAt(s: number): PointFix {
    const f = this.f;
    return { id: this.ids[s]!, lat: f[s * 4]!, lon: f[s * 4 + 1]!, atMs: f[s * 4 + 2]!, attrs: this.i[s * 8 + 6]! >>> 0 };
  }

  /** Calls fn for every occupied slot. */
  forEachSlot(fn: (s: number, id: string) => void): void {
    for (let s = 0; s < this.used; s++) {
      const id = this.ids[s]!;
      if (id !== '') fn(s, id);
    }
  }

  /**
   * Moves the occupied slots, listed in `order`, to slots 0, 1, …, keeping ids, fields and list
   * links; returns the map old slot → new slot (-1 for a slot that was free).
   */
  renumber(order: Int32Array): Int32Array {
    const cap = this.capacity;
    const map = new Int32Array(cap).fill(-1);
    for (let j = 0; j < order.length; j++) map[order[j]!] = j;
    const buf = new ArrayBuffer(cap * RECORD_BYTES);
    const f = new Float64Array(buf);
    const i = new Int32Array(buf);
    const prev = new Int32Array(cap);
    const ids = new Array<string>(cap).fill('');
    for (let j = 0; j < order.length; j++) {
      const s = order[j]!;
      f[j * 4] = this.f[s * 4]!;
      f[j * 4 + 1] = this.f[s * 4 + 1]!;
      f[j * 4 + 2] = this.f[s * 4 + 2]!;
      i[j * 8 + 6] = this.i[s * 8 + 6]!;
      const next = this.i[s * 8 + 7]!;
      i[j * 8 + 7] = next === -1 ? -1 : map[next]!;
      const p = this.prev[s]!;
      prev[j] = p === -1 ? -1 : map[p]!;
      ids[j] = this.ids[s]!;
    }
    this.f = f;
    this.i = i;
    this.prev = prev;
    this.ids = ids;
    this.used = order.length;
    this.freeHead = -1;
    this.slots.remap(map);
    return map;
  }

  private grow(): void {
    const cap = this.capacity * 2;
    const buf = new ArrayBuffer(cap * RECORD_BYTES);
    new Uint8Array(buf).set(new Uint8Array(this.f.buffer));
    this.f = new Float64Array(buf);
    this.i = new Int32Array(buf);
    const prev = new Int32Array(cap);
    prev.set(this.prev);
    this.prev = prev;
    const ids = new Array<string>(cap).fill('');
    for (let s = 0; s < this.used; s++) ids[s] = this.ids[s]!;
    this.ids = ids;
  }
}
