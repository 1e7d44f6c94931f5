import type Database from 'better-sqlite3';
import { IDEMPOTENCY_TTL_MS, type IdempotencyRecord } from '../event-store.ts';

/**
 * Idempotency-Key records in the log's file, read and written inside the append's transaction.
 * A record expires IDEMPOTENCY_TTL_MS after it was written: it is then not found, a new request
 * under its key replaces it, and the writes delete expired records (by age, on an index).
 */
export class SqliteIdempotency {
  private readonly q;
  private purgedAt = -Infinity;

  constructor(
    db: Database.Database,
    private readonly clock: () => number,
  ) {
    this.q = {
      get: db.prepare<[string, string], { fingerprint: string; result: string }>(
        'SELECT fingerprint, result FROM idempotency WHERE key = ? AND created_at > ?',
      ),
      put: db.prepare('INSERT OR REPLACE INTO idempotency (key, fingerprint, result, created_at) VALUES (?, ?, ?, ?)'),
      purge: db.prepare('DELETE FROM idempotency WHERE created_at <= ?'),
    };
  }

  /** The unexpired record under `key`, its result still as JSON text. */
  get(key: string): { fingerprint: string; result: string } | undefined {
    return this.q.get.get(key, this.cutoff());
  }

  record(key: string): IdempotencyRecord | undefined {
    const row = this.get(key);
    return row ? { fingerprint: row.fingerprint, result: JSON.parse(row.result) as unknown } : undefined;
  }

  /** Writes a record (replacing an expired one), and at most once a minute deletes the expired. */
  put(key: string, fingerprint: string, result: unknown, recordedAt: string): void {
    this.q.put.run(key, fingerprint, JSON.stringify(result), recordedAt);
    const now = this.clock();
    if (now - this.purgedAt < 60_000 && now >= this.purgedAt) return;
    this.purgedAt = now;
    this.q.purge.run(this.cutoff());
  }

  /** Records written at or before this instant have expired (ISO text compares in time order). */
  private cutoff(): string {
    return new Date(this.clock() - IDEMPOTENCY_TTL_MS).toISOString();
  }
}
