/** A snapshot as the store folds it: the stream's own version and its state. */
export interface CachedSnapshot<S> {
  readonly version: number;
  readonly state: S | undefined;
}

/**
 * The most recently used snapshots, parsed, so that a command's load and the append's fold do not
 * parse the same JSON again and again. States are immutable (the core's evolve returns new ones),
 * so an entry is shared, never copied. Least recently used entries go first past `capacity`.
 */
export class SnapshotCache<S> {
  private readonly entries = new Map<string, CachedSnapshot<S>>();

  constructor(private readonly capacity = 50_000) {}

  get(stream: string): CachedSnapshot<S> | undefined {
    const e = this.entries.get(stream);
    if (e !== undefined) {
      this.entries.delete(stream);
      this.entries.set(stream, e);
    }
    return e;
  }

  set(stream: string, e: CachedSnapshot<S>): void {
    this.entries.delete(stream);
    this.entries.set(stream, e);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  delete(stream: string): void {
    this.entries.delete(stream);
  }

  clear(): void {
    this.entries.clear();
  }
}
