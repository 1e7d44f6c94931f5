/**
 * The occupied cells of the grid: (row, col) → the first point of the cell's list, in an
 * open-addressing hash table of typed arrays (linear probing, backward-shift deletion, so no
 * tombstones pile up as points move). A cell leaves the table when its last point leaves.
 */
/** Keys of sortedKeys(): above the most columns a row can have (8 million, 5 m cells at the equator). */
export const COL_SPAN = 2 ** 24;

export class CellTable {
  private rowKey: Int32Array;
  private colKey: Int32Array;
  private heads: Int32Array;
  private mask: number;
  /** Occupied cells. */
  size = 0;

  constructor(initialCapacity = 1024) {
    const cap = 2 ** Math.max(4, Math.ceil(Math.log2(initialCapacity)));
    this.rowKey = new Int32Array(cap).fill(-1);
    this.colKey = new Int32Array(cap);
    this.heads = new Int32Array(cap);
    this.mask = cap - 1;
  }

  /** Slots in the table (occupied or not); see {@link headAt}. */
  get capacity(): number {
    return this.mask + 1;
  }

  /** The head in table slot i, or -1 when that slot is empty (for whole-table scans). */
  headAt(i: number): number {
    return this.rowKey[i] === -1 ? -1 : this.heads[i]!;
  }

  /** The occupied cells as row · COL_SPAN + col, sorted: row by row, west to east. */
  sortedKeys(): Float64Array {
    const keys = new Float64Array(this.size);
    let n = 0;
    for (let i = 0; i < this.rowKey.length; i++) if (this.rowKey[i] !== -1) keys[n++] = this.rowKey[i]! * COL_SPAN + this.colKey[i]!;
    return keys.sort();
  }

  /** Bytes held by the table's arrays. */
  get byteLength(): number {
    return this.rowKey.byteLength + this.colKey.byteLength + this.heads.byteLength;
  }

  private home(row: number, col: number): number {
    let h = (Math.imul(row, 0x27d4eb2d) + col) | 0;
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 13;
    return h & this.mask;
  }

  /** The first point of the cell, or -1 when the cell is empty. */
  headOf(row: number, col: number): number {
    const rk = this.rowKey;
    for (let i = this.home(row, col); ; i = (i + 1) & this.mask) {
      const r = rk[i]!;
      if (r === -1) return -1;
      if (r === row && this.colKey[i] === col) return this.heads[i]!;
    }
  }

  /** Makes `head` the cell's first point (adding the cell if needed); returns the previous head or -1. */
  pushHead(row: number, col: number, head: number): number {
    const rk = this.rowKey;
    for (let i = this.home(row, col); ; i = (i + 1) & this.mask) {
      const r = rk[i]!;
      if (r === -1) {
        rk[i] = row;
        this.colKey[i] = col;
        this.heads[i] = head;
        if (++this.size * 2 > this.capacity) this.grow();
        return -1;
      }
      if (r === row && this.colKey[i] === col) {
        const old = this.heads[i]!;
        this.heads[i] = head;
        return old;
      }
    }
  }

  /** Sets the cell's first point; -1 removes the cell. The cell must be present. */
  setHead(row: number, col: number, head: number): void {
    const rk = this.rowKey;
    let i = this.home(row, col);
    while (!(rk[i] === row && this.colKey[i] === col)) {
      if (rk[i] === -1) throw new Error(`CellTable: cell ${row}/${col} is not in the table`);
      i = (i + 1) & this.mask;
    }
    if (head !== -1) {
      this.heads[i] = head;
      return;
    }
    this.size--;
    // Backward-shift deletion: pull later entries of the probe run into the hole.
    for (let j = (i + 1) & this.mask; rk[j] !== -1; j = (j + 1) & this.mask) {
      const k = this.home(rk[j]!, this.colKey[j]!);
      const movable = i <= j ? k <= i || k > j : k <= i && k > j;
      if (movable) {
        rk[i] = rk[j]!;
        this.colKey[i] = this.colKey[j]!;
        this.heads[i] = this.heads[j]!;
        i = j;
      }
    }
    rk[i] = -1;
  }

  private grow(): void {
    const { rowKey, colKey, heads } = this;
    const cap = this.capacity * 2;
    this.rowKey = new Int32Array(cap).fill(-1);
    this.colKey = new Int32Array(cap);
    this.heads = new Int32Array(cap);
    this.mask = cap - 1;
    for (let i = 0; i < rowKey.length; i++) {
      const row = rowKey[i]!;
      if (row === -1) continue;
      let j = this.home(row, colKey[i]!);
      while (this.rowKey[j] !== -1) j = (j + 1) & this.mask;
      this.rowKey[j] = row;
      this.colKey[j] = colKey[i]!;
      this.heads[j] = heads[i]!;
    }
  }
}
