import { IDEMPOTENCY_TTL_MS, type IdempotencyRecord } from '../event-store.ts';
import type { Queryable } from './pg-pool.ts';

/**
 * Idempotency-Key records beside the log, read and written inside the append's transaction. A
 * record expires IDEMPOTENCY_TTL_MS after it was written: it is then not found, a new request under
 * its key replaces it, and the writes delete expired records (by age, on an index).
 */
export class PostgresIdempotency {
  private purgedAt = -Infinity;

  constructor(private readonly clock: () => number) {}

  /** The unexpired record under `key`. */
  async get(db: Queryable, key: string): Promise<IdempotencyRecord | undefined> {
    const { rows } = await db.query<{ fingerprint: string; result: unknown }>(
      'SELECT fingerprint, result FROM idempotency WHERE key = $1 AND created_at > $2',
      [key, this.cutoff()],
    );
    const row = rows[0];
    return row === undefined ? undefined : { fingerprint: row.fingerprint, result: row.result };
  }

  /** Writes a record (replacing an expired one), and at most once a minute deletes the expired. */
  async put(db: Queryable, key: string, fingerprint: string, result: unknown, recordedAt: string): Promise<void> {
    // Serialised here, not by pg, so that a result JSON cannot hold (a bigint) fails this request.
    const json = JSON.stringify(result);
    await db.query(
      `INSERT INTO idempotency (key, fingerprint, result, created_at) VALUES ($1, $2, $3::json, $4)
       ON CONFLICT (key) DO UPDATE SET fingerprint = excluded.fingerprint, result = excluded.result, created_at = excluded.created_at`,
      [key, fingerprint, json ?? 'null', recordedAt],
    );
    const now = this.clock();
    if (now - this.purgedAt < 60_000 && now >= this.purgedAt) return;
    this.purgedAt = now;
    await db.query('DELETE FROM idempotency WHERE created_at <= $1', [this.cutoff()]);
  }

  /** Records written at or before this instant have expired (ISO text compares in time order). */
  private cutoff(): string {
    return new Date(this.clock() - IDEMPOTENCY_TTL_MS).toISOString();
  }
}
