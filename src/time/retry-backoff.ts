export interface BackoffOptions {
  /** The first retry waits about this long (ms); each failure after it doubles the wait. */
  readonly baseMs?: number;
  /** No wait is longer than this (ms). */
  readonly maxMs?: number;
  /** Uniform in [0, 1): the jitter, injected so that a test gets the same waits every run. */
  readonly random: () => number;
}

/**
 * How long to wait (ms) after `failures` failures in a row: exponential, capped, with the upper half
 * jittered so that the retries of many workers spread out instead of arriving together when the
 * disk comes back.
 */
export function backoffDelay(failures: number, o: BackoffOptions): number {
  const base = o.baseMs ?? 500;
  const cap = o.maxMs ?? 30_000;
  const full = Math.min(cap, base * 2 ** Math.max(0, Math.min(failures - 1, 30)));
  return Math.round(full / 2 + (full / 2) * o.random());
}

/**
 * Retries of background work (timers, alert delivery, the response engine) after a failure: each
 * key (an incident, the queue) waits longer after each failure in a row. It writes one line when
 * the work starts failing and one when every key works again, never one per attempt: a full disk
 * retried for an hour says so twice, not thousands of times.
 */
export class RetryBackoff {
  private readonly failures = new Map<string, number>();
  private since = 0;
  private attempts = 0;

  constructor(
    private readonly what: string,
    private readonly write: (line: string) => void,
    private readonly o: BackoffOptions,
  ) {}

  /** Some key failed its last attempt. */
  get failing(): boolean {
    return this.failures.size > 0;
  }

  /** Notes a failed attempt of `key` at `now` (epoch ms); returns how long it should wait (ms). */
  failed(key: string, why: string, now: number): number {
    const n = (this.failures.get(key) ?? 0) + 1;
    if (this.failures.size === 0) {
      this.since = now;
      this.attempts = 0;
      this.write(`${this.what} failing, retrying with backoff: ${why}`);
    }
    this.failures.set(key, n);
    this.attempts++;
    return backoffDelay(n, this.o);
  }

  /** Notes a success of `key` at `now`. */
  succeeded(key: string, now: number): void {
    if (!this.failures.delete(key) || this.failures.size > 0) return;
    const s = Math.round((now - this.since) / 1000);
    this.write(`${this.what} working again after ${s} s and ${this.attempts} failed attempt${this.attempts === 1 ? '' : 's'}`);
  }
}
