import type pg from 'pg';
import type { DeliveryMessageKind } from '../../core/events.ts';
import {
  OUTBOX_LEASE_MS,
  type AlertPosition,
  type NewMessage,
  type OutboxMessage,
  type OutboxState,
  type OutboxStore,
  type QueuedMessage,
  type ReceiptRow,
} from '../outbox-store.ts';
import type { RecordWrite } from '../record-writes.ts';
import { PostgresReceipts } from './postgres-receipts.ts';

interface Row {
  id: string | number;
  seq: string | number;
  kind: string;
  incident_id: string;
  volunteer_id: string;
  alert_id: string;
  payload: string | null;
  state: string;
  attempts: number;
  created_at: string | number;
  channels: string | null;
}

const COLUMNS = 'id, seq, kind, incident_id, volunteer_id, alert_id, payload, state, attempts, created_at, channels';

// BIGINT columns come as strings unless the pool parses them (pg-pool.ts does): Number() takes both.
const toMessage = (r: Row): OutboxMessage => ({
  id: Number(r.id),
  seq: Number(r.seq),
  kind: r.kind as DeliveryMessageKind,
  incidentId: r.incident_id,
  volunteerId: r.volunteer_id,
  alertId: r.alert_id,
  body: r.payload === null ? {} : (JSON.parse(r.payload) as Record<string, unknown>),
  attempts: r.attempts,
  createdAt: Number(r.created_at),
});

const toQueued = (r: Row): QueuedMessage => ({
  ...toMessage(r),
  state: r.state as OutboxState,
  ...(r.channels === null ? {} : { channels: r.channels }),
});

const FINISH_SQL = `UPDATE alert_outbox SET state = $2, attempts = $3, done_at = $4, channels = $5, last_error = $6, payload = NULL, leased_until = NULL
  WHERE id = $1 AND state = 'pending'`;

/**
 * Leases the pending messages due at $1 that no one holds, oldest first, at most $2, until $3.
 * SKIP LOCKED passes over rows another node is leasing this moment; a row leased by a commit
 * after this statement began is re-checked against the WHERE on its new version, and left out.
 */
const LEASE_SQL = `WITH picked AS MATERIALIZED (
    SELECT id FROM alert_outbox
    WHERE state = 'pending' AND due_at <= $1::bigint AND (leased_until IS NULL OR leased_until <= $1::bigint)
    ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED
  ), leased AS (
    UPDATE alert_outbox o SET leased_until = $3::bigint FROM picked WHERE o.id = picked.id
    RETURNING o.*
  )
  SELECT ${COLUMNS} FROM leased ORDER BY id`;

/**
 * The delivery queue, its receipts and the alert-position audit in PostgreSQL. The queue's own
 * writes (new messages with the cursor, retries, skips, followers' cursors) are derived from the
 * log, so they commit with synchronous_commit off, as SQLite's take synchronous=NORMAL: should the
 * server lose them, the cursor goes back with them and the messages are made again from the log.
 * Receipts and `outbox.finish`, which travel with events, commit with the log's durable appends.
 * One node (the leader) runs the delivery worker and the materializer, so the queue has one writer
 * but for a hand-over, when the old leader may still be sending what it took: hence the leases
 * `due` takes (see OutboxStore). A lease commits durably: lost, it would let a message go twice.
 */
export class PostgresOutbox implements OutboxStore {
  private readonly receipts: PostgresReceipts;

  constructor(private readonly pool: pg.Pool) {
    this.receipts = new PostgresReceipts(pool);
  }

  /** Applies `outbox.finish` and `receipt.mark` inside the append's transaction; false for other writes. */
  async apply(client: pg.PoolClient, w: RecordWrite): Promise<boolean> {
    if (w.type === 'outbox.finish') {
      await client.query(FINISH_SQL, [w.id, w.state, w.attempts, w.now, w.channels?.join(',') ?? null, w.error ?? null]);
      return true;
    }
    if (w.type === 'receipt.mark') {
      await this.receipts.mark(client, w);
      return true;
    }
    return false;
  }

  /** Runs a write of derived queue state in a transaction that does not wait for its WAL flush. */
  private async derived<T>(write: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN; SET LOCAL synchronous_commit = off');
      try {
        const result = await write(client);
        await client.query('COMMIT');
        return result;
      } catch (e) {
        await client.query('ROLLBACK').catch((lost: unknown) => {
          broken = lost instanceof Error ? lost : new Error(String(lost));
        });
        throw e;
      }
    } finally {
      client.release(broken);
    }
  }

  private async meta(key: string): Promise<number | undefined> {
    const r = await this.pool.query<{ value: string }>('SELECT value FROM alert_delivery_meta WHERE key = $1', [key]);
    const v = r.rows[0]?.value;
    return v === undefined ? undefined : Number(v);
  }

  private static async putMeta(client: pg.PoolClient, key: string, value: number): Promise<void> {
    await client.query('INSERT INTO alert_delivery_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [
      key,
      String(value),
    ]);
  }

  cursor(): Promise<number | undefined> {
    return this.meta('cursor');
  }

  followerCursor(name: string): Promise<number | undefined> {
    return this.meta(`follower:${name}`);
  }

  async moveFollowerCursor(name: string, seq: number): Promise<void> {
    await this.derived((c) => PostgresOutbox.putMeta(c, `follower:${name}`, seq));
  }

  enqueue(messages: readonly NewMessage[], cursor: number, now: number, positions: readonly AlertPosition[] = []): Promise<number> {
    return this.derived(async (c) => {
      let added = 0;
      if (messages.length > 0) {
        // One statement for the lot, in the order given: ids (and so `due` order) follow it.
        const r = await c.query(
          `INSERT INTO alert_outbox (seq, kind, incident_id, volunteer_id, alert_id, payload, due_at, created_at)
           SELECT seq, kind, incident_id, volunteer_id, alert_id, payload, $7, $7
           FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
             WITH ORDINALITY AS m(seq, kind, incident_id, volunteer_id, alert_id, payload, i)
           ORDER BY i
           ON CONFLICT (seq, volunteer_id) DO NOTHING`,
          [
            messages.map((m) => m.seq),
            messages.map((m) => m.kind),
            messages.map((m) => m.incidentId),
            messages.map((m) => m.volunteerId),
            messages.map((m) => m.alertId),
            messages.map((m) => JSON.stringify(m.body)),
            now,
          ],
        );
        added = r.rowCount ?? 0;
      }
      for (const p of positions) {
        await c.query(
          `INSERT INTO alert_position_audit (alert_id, incident_id, volunteer_id, lat, lon, fix_at, distance_m, alerted_at, purge_after)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (alert_id) DO NOTHING`,
          [
            p.alertId,
            p.incidentId,
            p.volunteerId,
            p.position?.lat ?? null,
            p.position?.lon ?? null,
            p.position?.fixAt ?? null,
            p.distanceM === undefined ? null : Math.round(p.distanceM),
            p.alertedAt,
            p.purgeAfter,
          ],
        );
      }
      await PostgresOutbox.putMeta(c, 'cursor', cursor);
      return added;
    });
  }

  async due(now: number, limit: number): Promise<OutboxMessage[]> {
    const r = await this.pool.query<Row>(LEASE_SQL, [now, limit, now + OUTBOX_LEASE_MS]);
    return r.rows.map(toMessage);
  }

  async nextDueAt(): Promise<number | undefined> {
    const r = await this.pool.query<{ due: string | number | null }>(
      `SELECT min(GREATEST(due_at, COALESCE(leased_until, due_at))) AS due FROM alert_outbox WHERE state = 'pending'`,
    );
    const due = r.rows[0]?.due ?? null;
    return due === null ? undefined : Number(due);
  }

  async get(id: number): Promise<QueuedMessage | undefined> {
    const r = await this.pool.query<Row>(`SELECT ${COLUMNS} FROM alert_outbox WHERE id = $1`, [id]);
    return r.rows[0] && toQueued(r.rows[0]);
  }

  async ofVolunteer(volunteerId: string): Promise<QueuedMessage[]> {
    const r = await this.pool.query<Row>(`SELECT ${COLUMNS} FROM alert_outbox WHERE volunteer_id = $1 ORDER BY id`, [volunteerId]);
    return r.rows.map(toQueued);
  }

  async finish(id: number, state: Exclude<OutboxState, 'pending'>, attempts: number, now: number, error?: string): Promise<void> {
    await this.derived((c) => c.query(FINISH_SQL, [id, state, attempts, now, null, error ?? null]));
  }

  async retry(id: number, attempts: number, dueAt: number, error: string): Promise<void> {
    await this.derived((c) =>
      c.query(`UPDATE alert_outbox SET attempts = $2, due_at = $3, last_error = $4, leased_until = NULL WHERE id = $1 AND state = 'pending'`, [
        id,
        attempts,
        dueAt,
        error,
      ]),
    );
  }

  hurry(volunteerId: string, now: number): Promise<number> {
    return this.derived(async (c) => {
      const r = await c.query(
        `UPDATE alert_outbox SET due_at = $2
         WHERE state = 'pending' AND volunteer_id = $1 AND due_at > $2 AND (leased_until IS NULL OR leased_until <= $2)`,
        [volunteerId, now],
      );
      return r.rowCount ?? 0;
    });
  }

  receipt(alertId: string, message: DeliveryMessageKind): Promise<ReceiptRow | undefined> {
    return this.receipts.receipt(alertId, message);
  }

  receiptsOfIncident(incidentId: string): Promise<ReceiptRow[]> {
    return this.receipts.ofIncident(incidentId);
  }

  async alertPosition(alertId: string): Promise<{ lat: number; lon: number; fixAt: string } | undefined> {
    const r = await this.pool.query<{ lat: number | null; lon: number | null; fix_at: string | null }>(
      'SELECT lat, lon, fix_at FROM alert_position_audit WHERE alert_id = $1',
      [alertId],
    );
    const row = r.rows[0];
    return row && row.lat !== null && row.lon !== null ? { lat: row.lat, lon: row.lon, fixAt: row.fix_at ?? '' } : undefined;
  }

  async purgeAlertPositions(nowMs: number): Promise<number> {
    const r = await this.pool.query('DELETE FROM alert_position_audit WHERE purge_after <= $1', [nowMs]);
    return r.rowCount ?? 0;
  }

  async anonymiseAlertPositions(volunteerId: string): Promise<number> {
    // A fresh random key per row: the alert id named the volunteer's alert, so it goes too.
    const r = await this.pool.query(
      `UPDATE alert_position_audit SET alert_id = 'erased-' || gen_random_uuid()::text, volunteer_id = NULL, lat = NULL, lon = NULL, fix_at = NULL
       WHERE volunteer_id = $1`,
      [volunteerId],
    );
    return r.rowCount ?? 0;
  }

  async alertPositionCount(): Promise<number> {
    const r = await this.pool.query<{ n: string | number }>('SELECT count(*) AS n FROM alert_position_audit');
    return Number(r.rows[0]?.n ?? 0);
  }
}
