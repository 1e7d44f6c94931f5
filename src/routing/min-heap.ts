/**
 * A binary min-heap of item ids 0..capacity-1 keyed by a number, with decrease-key. Reused
 * across searches: clear() costs only what the last search touched.
 */
export class MinHeap {
  private readonly items: Int32Array;
  private readonly keys: Float64Array;
  /** Position of each item in `items`, or -1. */
  private readonly pos: Int32Array;
  private count = 0;

  constructor(capacity: number) {
    this.items = new Int32Array(capacity);
    this.keys = new Float64Array(capacity);
    this.pos = new Int32Array(capacity).fill(-1);
  }

  get size(): number {
    return this.count;
  }

  has(item: number): boolean {
    return this.pos[item]! >= 0;
  }

  /** The smallest key; Infinity when empty. */
  peekKey(): number {
    return this.count === 0 ? Infinity : this.keys[this.items[0]!]!;
  }

  /** Inserts the item, or lowers its key; a higher key is ignored. */
  push(item: number, key: number): void {
    const p = this.pos[item]!;
    if (p >= 0) {
      if (key >= this.keys[item]!) return;
      this.keys[item] = key;
      this.up(p);
      return;
    }
    this.keys[item] = key;
    this.items[this.count] = item;
    this.pos[item] = this.count;
    this.up(this.count++);
  }

  /** Inserts the item, or moves it to the new key, higher or lower. */
  set(item: number, key: number): void {
    const p = this.pos[item]!;
    if (p < 0 || key < this.keys[item]!) return this.push(item, key);
    this.keys[item] = key;
    this.down(p);
  }

  /** Removes and returns the item with the smallest key (ties in no set order); -1 when empty. */
  pop(): number {
    if (this.count === 0) return -1;
    const top = this.items[0]!;
    this.pos[top] = -1;
    const last = this.items[--this.count]!;
    if (this.count > 0) {
      this.items[0] = last;
      this.pos[last] = 0;
      this.down(0);
    }
    return top;
  }

  clear(): void {
    for (let i = 0; i < this.count; i++) this.pos[this.items[i]!] = -1;
    this.count = 0;
  }

  private up(i: number): void {
    const item = this.items[i]!;
    const key = this.keys[item]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pItem = this.items[parent]!;
      if (this.keys[pItem]! <= key) break;
      this.items[i] = pItem;
      this.pos[pItem] = i;
      i = parent;
    }
    this.items[i] = item;
    this.pos[item] = i;
  }

  private down(i: number): void {
    const item = this.items[i]!;
    const key = this.keys[item]!;
    const half = this.count >> 1;
    while (i < half) {
      let child = 2 * i + 1;
      const right = child + 1;
      if (right < this.count && this.keys[this.items[right]!]! < this.keys[this.items[child]!]!) child = right;
      const cItem = this.items[child]!;
      if (this.keys[cItem]! >= key) break;
      this.items[i] = cItem;
      this.pos[cItem] = i;
      i = child;
    }
    this.items[i] = item;
    this.pos[item] = i;
  }
}
