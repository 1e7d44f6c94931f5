/**
 * What makes an append atomic in memory: every change a request makes (its events, snapshots,
 * idempotency record and record writes) registers how to take it back, and a request that fails
 * part-way is rolled back whole, as a SQLite savepoint would be.
 */
export class UndoLog {
  private readonly steps: (() => void)[] = [];

  /** Sets `map[key]`, remembering what was there (a key that was present keeps its place in the order). */
  set<K, V>(map: Map<K, V>, key: K, value: V): void {
    if (map.has(key)) {
      const prior = map.get(key) as V;
      this.steps.push(() => map.set(key, prior));
    } else {
      this.steps.push(() => map.delete(key));
    }
    map.set(key, value);
  }

  delete<K, V>(map: Map<K, V>, key: K): void {
    if (!map.has(key)) return;
    const prior = map.get(key) as V;
    this.steps.push(() => map.set(key, prior));
    map.delete(key);
  }

  /** Registers any other change's undo. */
  onRollback(step: () => void): void {
    this.steps.push(step);
  }

  /** Takes back every change, newest first. */
  rollback(): void {
    for (let step = this.steps.pop(); step; step = this.steps.pop()) step();
  }
}

/** Thrown by a record write whose guard does not hold (a receipt already recorded): the request is refused. */
export class RecordGuardFailed extends Error {}

/** Thrown by a record write that breaks a table's rule (a second user of a name): the request is rejected. */
export class ConstraintFailed extends Error {}
