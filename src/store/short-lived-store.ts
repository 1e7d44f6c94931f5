/**
 * Records that matter for minutes or hours and must hold across every node on one database: the
 * sign-in throttle's failure counts, one-time secrets (stream tickets, enrolment codes). Each value
 * is kept as JSON under a key until it expires (epoch ms); an expired value is never read again,
 * and `purge` deletes it. What is read is always a fresh copy.
 */
export interface ShortLivedStore {
  /** Keeps `value` under `key` until `expiresAt` (epoch ms), replacing any. */
  put(key: string, value: unknown, expiresAt: number): Promise<void>;
  /** Removes and returns the value under key, unless missing or expired at `now` (single use across nodes). */
  take(key: string, now: number): Promise<unknown>;
  /** Reads, without removing. */
  get(key: string, now: number): Promise<unknown>;
  /**
   * Atomically reads the values under `keys`, gives them to `change`, and writes back what it returns
   * (undefined deletes); two nodes doing it at once are serialised per key. Returns change's result.
   */
  update<R>(
    keys: readonly string[],
    now: number,
    change: (current: readonly unknown[]) => { values: readonly (unknown | undefined)[]; expiresAt: number; result: R },
  ): Promise<R>;
  /** Deletes every key starting with `prefix` whose value matches (revoking a device's tickets). */
  deleteWhere(prefix: string, matches: (value: unknown) => boolean): Promise<number>;
  purge(now: number): Promise<number>;
}
