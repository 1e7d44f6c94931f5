import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { DeliveryMessageKind } from '../../core/events.ts';
import type { AlertPosition, NewMessage, OutboxMessage, OutboxState, OutboxStore, QueuedMessage, ReceiptRow } from '../outbox-store.ts';
import type { RecordWrite } from '../record-writes.ts';
import { RecordGuardFailed } from './sqlite-store.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS alert_outbox (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  seq          INTEGER NOT NULL,
  kind         TEXT    NOT NULL,
  incident_id  TEXT    NOT NULL,
  volunteer_id TEXT    NOT NULL,
  alert_id     TEXT    NOT NULL,
  payload      TEXT,
  state        TEXT    NOT NULL DEFAULT 'pending',
  attempts     INTEGER NOT NULL DEFAULT 0,
  due_at       INTEGER NOT NULL,
  created_at   INTEGER NOT NULL,
  done_at      INTEGER,
  channels     TEXT,
  last_error   TEXT,
  UNIQUE (seq, volunteer_id)
);
CREATE INDEX IF NOT EXISTS alert_outbox_pending ON alert_outbox (due_at) WHERE state = 'pending';
CREATE INDEX IF NOT EXISTS alert_outbox_by_alert ON alert_outbox (alert_id);
CREATE INDEX IF NOT EXISTS alert_outbox_by_volunteer ON alert_outbox (volunteer_id);
CREATE TABLE IF NOT EXISTS alert_delivery_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS alert_receipts (
  alert_id      TEXT NOT NULL,
  message       TEXT NOT NULL,
  incident_id   TEXT NOT NULL,
  volunteer_id  TEXT NOT NULL,
  sent_at       TEXT,
  sent_via      TEXT,
  delivered_at  TEXT,
  delivered_via TEXT,
  seen_at       TEXT,
  suppressed    TEXT,
  PRIMARY KEY (alert_id, message)
);
CREATE INDEX IF NOT EXISTS alert_receipts_by_incident ON alert_receipts (incident_id);
CREATE TABLE IF NOT EXISTS alert_position_audit (
  alert_id     TEXT PRIMARY KEY,
  incident_id  TEXT NOT NULL,
  volunteer_id TEXT,
  lat          REAL,
  lon          REAL,
  fix_at       TEXT,
  distance_m   REAL,
  alerted_at   TEXT NOT NULL,
  purge_after  INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS alert_position_audit_purge ON alert_position_audit (purge_after);
CREATE INDEX IF NOT EXISTS alert_position_audit_volunteer ON alert_position_audit (volunteer_id);
`;

interface Row {
  id: number;
  seq: number;
  kind: string;
  incident_id: string;
  volunteer_id: string;
  alert_id: string;
  payload: string | null;
  state: string;
  attempts: number;
  due_at: number;
  created_at: number;
  channels: string | null;
}

const toMessage = (r: Row): OutboxMessage => ({
  id: r.id,
  seq: r.seq,
  kind: r.kind as DeliveryMessageKind,
  incidentId: r.incident_id,
  volunteerId: r.volunteer_id,
  alertId: r.alert_id,
  body: r.payload === null ? {} : (JSON.parse(r.payload) as Record<string, unknown>),
  attempts: r.attempts,
  createdAt: r.created_at,
});

const toQueued = (r: Row): QueuedMessage => ({
  ...toMessage(r),
  state: r.state as OutboxState,
  ...(r.channels === null ? {} : { channels: r.channels }),
});

function toReceipt(r: Record<string, string | null>): ReceiptRow {
  const opt = <K extends string>(k: K, v: string | null | undefined) => (v === null || v === undefined ? {} : { [k]: v });
  return {
    alertId: r['alert_id']!,
    message: r['message'] as DeliveryMessageKind,
    ...opt('sentAt', r['sent_at']),
    ...(r['sent_via'] ? { sentVia: r['sent_via'].split(',') } : {}),
    ...opt('deliveredAt', r['delivered_at']),
    ...opt('deliveredVia', r['delivered_via']),
    ...opt('seenAt', r['seen_at']),
    ...opt('suppressed', r['suppressed']),
  };
}

/** One UPDATE per receipt column: it sets the column only while it is still empty. */
const MARK_SQL: Readonly<Record<string, string>> = {
  sent: 'UPDATE alert_receipts SET sent_at = @at, sent_via = @via WHERE alert_id = @alertId AND message = @message AND sent_at IS NULL',
  delivered:
    'UPDATE alert_receipts SET delivered_at = @at, delivered_via = @via WHERE alert_id = @alertId AND message = @message AND delivered_at IS NULL',
  seen: 'UPDATE alert_receipts SET seen_at = @at WHERE alert_id = @alertId AND message = @message AND seen_at IS NULL',
  suppressed: 'UPDATE alert_receipts SET suppressed = @via WHERE alert_id = @alertId AND message = @message AND suppressed IS NULL',
};

/**
 * The delivery queue, its receipts and the alert-position audit, in the same SQLite file as the log.
 * The queue's own writes (new messages with the cursor, retries, skips) are derived from the log,
 * so they commit without an fsync of their own (synchronous=NORMAL for that transaction): the next
 * durable commit's fsync carries them to disk, and should the machine lose them first, the cursor
 * goes back with them and the messages are made again from the log. Receipts, which are events,
 * commit with the log's durable appends.
 */
export class SqliteOutbox implements OutboxStore {
  private readonly q;
  /** Runs a write of derived queue state in a transaction that does not wait for its own fsync. */
  private readonly derived: <T>(write: () => T) => T;

  constructor(private readonly db: Database.Database) {
    db.exec(SCHEMA);
    this.derived = <T>(write: () => T): T => {
      db.pragma('synchronous = NORMAL');
      try {
        return db.transaction(write)();
      } finally {
        db.pragma('synchronous = FULL');
      }
    };
    this.q = {
      insert: db.prepare(
        `INSERT OR IGNORE INTO alert_outbox (seq, kind, incident_id, volunteer_id, alert_id, payload, due_at, created_at)
         VALUES (@seq, @kind, @incidentId, @volunteerId, @alertId, @payload, @now, @now)`,
      ),
      due: db.prepare<[number, number], Row>(`SELECT * FROM alert_outbox WHERE state = 'pending' AND due_at <= ? ORDER BY id LIMIT ?`),
      nextDue: db.prepare<[], { due: number | null }>(`SELECT min(due_at) AS due FROM alert_outbox WHERE state = 'pending'`),
      get: db.prepare<[number], Row>('SELECT * FROM alert_outbox WHERE id = ?'),
      finish: db.prepare(
        `UPDATE alert_outbox SET state = @state, attempts = @attempts, done_at = @now, channels = @channels,
         last_error = @error, payload = NULL WHERE id = @id AND state = 'pending'`,
      ),
      retry: db.prepare(`UPDATE alert_outbox SET attempts = @attempts, due_at = @dueAt, last_error = @error WHERE id = @id AND state = 'pending'`),
      hurry: db.prepare(`UPDATE alert_outbox SET due_at = ? WHERE state = 'pending' AND volunteer_id = ? AND due_at > ?`),
      byVolunteer: db.prepare<[string], Row>(`SELECT * FROM alert_outbox WHERE volunteer_id = ? ORDER BY id`),
      metaGet: db.prepare<[string], { value: string }>('SELECT value FROM alert_delivery_meta WHERE key = ?'),
      metaPut: db.prepare('INSERT INTO alert_delivery_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      receipt: db.prepare<[string, string], Record<string, string | null>>('SELECT * FROM alert_receipts WHERE alert_id = ? AND message = ?'),
      receiptsOf: db.prepare<[string], Record<string, string | null>>('SELECT * FROM alert_receipts WHERE incident_id = ?'),
      receiptInit: db.prepare(`INSERT OR IGNORE INTO alert_receipts (alert_id, message, incident_id, volunteer_id) VALUES (?, ?, ?, ?)`),
      mark: Object.fromEntries(Object.entries(MARK_SQL).map(([k, sql]) => [k, db.prepare(sql)])),
      putPosition: db.prepare(
        `INSERT OR IGNORE INTO alert_position_audit (alert_id, incident_id, volunteer_id, lat, lon, fix_at, distance_m, alerted_at, purge_after)
         VALUES (@alertId, @incidentId, @volunteerId, @lat, @lon, @fixAt, @distanceM, @alertedAt, @purgeAfter)`,
      ),
      position: db.prepare<[string], { lat: number | null; lon: number | null; fix_at: string | null }>(
        'SELECT lat, lon, fix_at FROM alert_position_audit WHERE alert_id = ?',
      ),
      purge: db.prepare('DELETE FROM alert_position_audit WHERE purge_after <= ?'),
      anonymise: db.prepare(
        `UPDATE alert_position_audit SET alert_id = 'erased-' || ?, volunteer_id = NULL, lat = NULL, lon = NULL, fix_at = NULL WHERE alert_id = ?`,
      ),
      positionsOf: db.prepare<[string], { alert_id: string }>('SELECT alert_id FROM alert_position_audit WHERE volunteer_id = ?'),
      positionCount: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM alert_position_audit'),
    };
  }

  /** Applies `outbox.finish` and `receipt.mark` inside the append's transaction; false for other writes. */
  apply(w: RecordWrite): boolean {
    if (w.type === 'outbox.finish') {
      this.q.finish.run({ id: w.id, state: w.state, attempts: w.attempts, now: w.now, channels: w.channels?.join(',') ?? null, error: w.error ?? null });
      return true;
    }
    if (w.type === 'receipt.mark') {
      this.q.receiptInit.run(w.alertId, w.message, w.incidentId, w.volunteerId);
      const changed = this.q.mark[w.field]!.run({ at: w.at, via: w.via ?? null, alertId: w.alertId, message: w.message }).changes;
      if (changed === 0) throw new RecordGuardFailed(`The ${w.field} receipt of ${w.message} ${w.alertId} is already recorded`);
      return true;
    }
    return false;
  }

  cursor(): Promise<number | undefined> {
    const v = this.q.metaGet.get('cursor')?.value;
    return Promise.resolve(v === undefined ? undefined : Number(v));
  }

  followerCursor(name: string): Promise<number | undefined> {
    const v = this.q.metaGet.get(`follower:${name}`)?.value;
    return Promise.resolve(v === undefined ? undefined : Number(v));
  }

  moveFollowerCursor(name: string, seq: number): Promise<void> {
    this.derived(() => this.q.metaPut.run(`follower:${name}`, String(seq)));
    return Promise.resolve();
  }

  enqueue(messages: readonly NewMessage[], cursor: number, now: number, positions: readonly AlertPosition[] = []): Promise<number> {
    const added = this.derived(() => {
      let n = 0;
      for (const m of messages) {
        n += this.q.insert.run({ seq: m.seq, kind: m.kind, incidentId: m.incidentId, volunteerId: m.volunteerId, alertId: m.alertId, payload: JSON.stringify(m.body), now }).changes;
      }
      for (const r of positions) {
        this.q.putPosition.run({
          alertId: r.alertId,
          incidentId: r.incidentId,
          volunteerId: r.volunteerId,
          lat: r.position?.lat ?? null,
          lon: r.position?.lon ?? null,
          fixAt: r.position?.fixAt ?? null,
          distanceM: r.distanceM === undefined ? null : Math.round(r.distanceM),
          alertedAt: r.alertedAt,
          purgeAfter: r.purgeAfter,
        });
      }
      this.q.metaPut.run('cursor', String(cursor));
      return n;
    });
    return Promise.resolve(added);
  }

  due(now: number, limit: number): Promise<OutboxMessage[]> {
    return Promise.resolve(this.q.due.all(now, limit).map(toMessage));
  }

  nextDueAt(): Promise<number | undefined> {
    return Promise.resolve(this.q.nextDue.get()?.due ?? undefined);
  }

  get(id: number): Promise<QueuedMessage | undefined> {
    const r = this.q.get.get(id);
    return Promise.resolve(r && toQueued(r));
  }

  ofVolunteer(volunteerId: string): Promise<QueuedMessage[]> {
    return Promise.resolve(this.q.byVolunteer.all(volunteerId).map(toQueued));
  }

  finish(id: number, state: Exclude<OutboxState, 'pending'>, attempts: number, now: number, error?: string): Promise<void> {
    this.derived(() => this.q.finish.run({ id, state, attempts, now, channels: null, error: error ?? null }));
    return Promise.resolve();
  }

  retry(id: number, attempts: number, dueAt: number, error: string): Promise<void> {
    this.derived(() => this.q.retry.run({ id, attempts, dueAt, error }));
    return Promise.resolve();
  }

  hurry(volunteerId: string, now: number): Promise<number> {
    return Promise.resolve(this.derived(() => this.q.hurry.run(now, volunteerId, now).changes));
  }

  receipt(alertId: string, message: DeliveryMessageKind): Promise<ReceiptRow | undefined> {
    const r = this.q.receipt.get(alertId, message);
    return Promise.resolve(r && toReceipt(r));
  }

  receiptsOfIncident(incidentId: string): Promise<ReceiptRow[]> {
    return Promise.resolve(this.q.receiptsOf.all(incidentId).map(toReceipt));
  }

  alertPosition(alertId: string): Promise<{ lat: number; lon: number; fixAt: string } | undefined> {
    const r = this.q.position.get(alertId);
    return Promise.resolve(r && r.lat !== null && r.lon !== null ? { lat: r.lat, lon: r.lon, fixAt: r.fix_at ?? '' } : undefined);
  }

  purgeAlertPositions(nowMs: number): Promise<number> {
    return Promise.resolve(this.q.purge.run(nowMs).changes);
  }

  anonymiseAlertPositions(volunteerId: string): Promise<number> {
    let n = 0;
    for (const r of this.q.positionsOf.all(volunteerId)) n += this.q.anonymise.run(randomUUID(), r.alert_id).changes;
    return Promise.resolve(n);
  }

  alertPositionCount(): Promise<number> {
    return Promise.resolve(this.q.positionCount.get()?.n ?? 0);
  }
}
