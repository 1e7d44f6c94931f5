import type Database from 'better-sqlite3';
import type { ChannelName, MessageKind, OutboxMessage } from './messages.ts';

/**
 * The durable delivery queue, in the same SQLite file as the log.
 *
 * It is derived from the log by seq with a cursor: the events that call for a message
 * (VolunteerAlerted, VolunteerRoleAssigned, VolunteerStoodDown, VolunteerAlertExpired) are already
 * durable when they are appended, so the queue never holds anything the log does not. The rows
 * made from events up to seq N and the cursor moving to N commit in one transaction: a crash
 * between the append and that transaction leaves the cursor behind, and the next start makes the
 * missing rows; UNIQUE (seq, volunteer_id) makes doing it twice harmless. The event store stays
 * generic (no delivery code inside its append transaction), and the command path only appends.
 *
 * States: `pending` (due at `due_at`), then one of `sent` (a channel took it), `suppressed` (the
 * last check refused it: off duty, logged out, deleted, no longer open), `skipped` (nothing to
 * tell: e.g. a stand-down for an alert that was never sent) or `undelivered` (retries ran out).
 * A finished row keeps no payload.
 */
export type OutboxState = 'pending' | 'sent' | 'suppressed' | 'skipped' | 'undelivered';

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
}

export interface NewMessage {
  readonly seq: number;
  readonly kind: MessageKind;
  readonly incidentId: string;
  readonly volunteerId: string;
  readonly alertId: string;
  readonly body: Readonly<Record<string, unknown>>;
}

/** What the receipts table says of one message of an alert. */
export interface ReceiptRow {
  readonly alertId: string;
  readonly message: MessageKind;
  readonly sentAt?: string;
  readonly sentVia?: readonly ChannelName[];
  readonly deliveredAt?: string;
  readonly deliveredVia?: ChannelName;
  readonly seenAt?: string;
  readonly suppressed?: string;
}

const toMessage = (r: Row): OutboxMessage => ({
  id: r.id,
  seq: r.seq,
  kind: r.kind as MessageKind,
  incidentId: r.incident_id,
  volunteerId: r.volunteer_id,
  alertId: r.alert_id,
  body: r.payload === null ? {} : (JSON.parse(r.payload) as Record<string, unknown>),
  attempts: r.attempts,
  createdAt: r.created_at,
});

export class AlertOutbox {
  private readonly q;

  constructor(readonly db: Database.Database) {
    db.exec(SCHEMA);
    this.q = {
      insert: db.prepare(
        `INSERT OR IGNORE INTO alert_outbox (seq, kind, incident_id, volunteer_id, alert_id, payload, due_at, created_at)
         VALUES (@seq, @kind, @incidentId, @volunteerId, @alertId, @payload, @now, @now)`,
      ),
      due: db.prepare<[number, number], Row>(
        `SELECT * FROM alert_outbox WHERE state = 'pending' AND due_at <= ? ORDER BY id LIMIT ?`,
      ),
      nextDue: db.prepare<[], { due: number | null }>(`SELECT min(due_at) AS due FROM alert_outbox WHERE state = 'pending'`),
      get: db.prepare<[number], Row>('SELECT * FROM alert_outbox WHERE id = ?'),
      finish: db.prepare(
        `UPDATE alert_outbox SET state = @state, attempts = @attempts, done_at = @now, channels = @channels,
         last_error = @error, payload = NULL WHERE id = @id AND state = 'pending'`,
      ),
      retry: db.prepare(`UPDATE alert_outbox SET attempts = @attempts, due_at = @dueAt, last_error = @error WHERE id = @id AND state = 'pending'`),
      hurry: db.prepare(`UPDATE alert_outbox SET due_at = ? WHERE state = 'pending' AND volunteer_id = ? AND due_at > ?`),
      metaGet: db.prepare<[string], { value: string }>('SELECT value FROM alert_delivery_meta WHERE key = ?'),
      metaPut: db.prepare(
        'INSERT INTO alert_delivery_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      ),
      receipt: db.prepare<[string, string], Record<string, string | null>>(
        'SELECT * FROM alert_receipts WHERE alert_id = ? AND message = ?',
      ),
      receiptsOf: db.prepare<[string], Record<string, string | null>>('SELECT * FROM alert_receipts WHERE incident_id = ?'),
      receiptInit: db.prepare(
        `INSERT OR IGNORE INTO alert_receipts (alert_id, message, incident_id, volunteer_id) VALUES (?, ?, ?, ?)`,
      ),
      byVolunteer: db.prepare<[string], Row>(`SELECT * FROM alert_outbox WHERE volunteer_id = ? ORDER BY id`),
    };
  }

  /** The seq of the last log event turned into messages; undefined on a new table. */
  cursor(): number | undefined {
    const v = this.q.metaGet.get('cursor')?.value;
    return v === undefined ? undefined : Number(v);
  }

  /** Adds messages and moves the cursor, in one transaction (with `also`, e.g. audit rows). */
  enqueue(messages: readonly NewMessage[], cursor: number, now: number, also: () => void = () => {}): number {
    return this.db.transaction(() => {
      let added = 0;
      for (const m of messages) {
        added += this.q.insert.run({
          seq: m.seq,
          kind: m.kind,
          incidentId: m.incidentId,
          volunteerId: m.volunteerId,
          alertId: m.alertId,
          payload: JSON.stringify(m.body),
          now,
        }).changes;
      }
      also();
      this.q.metaPut.run('cursor', String(cursor));
      return added;
    })();
  }

  /** Pending messages due at `now`, oldest first. */
  due(now: number, limit: number): OutboxMessage[] {
    return this.q.due.all(now, limit).map(toMessage);
  }

  nextDueAt(): number | undefined {
    return this.q.nextDue.get()?.due ?? undefined;
  }

  get(id: number): (OutboxMessage & { readonly state: OutboxState }) | undefined {
    const r = this.q.get.get(id);
    return r && { ...toMessage(r), state: r.state as OutboxState };
  }

  /** Every message to one volunteer, with its state (tests, the audit). */
  ofVolunteer(volunteerId: string): (OutboxMessage & { readonly state: OutboxState; readonly channels: string | null })[] {
    return this.q.byVolunteer.all(volunteerId).map((r) => ({ ...toMessage(r), state: r.state as OutboxState, channels: (r as unknown as { channels: string | null }).channels }));
  }

  /** Closes a pending message (in the caller's transaction when there is one). */
  finish(id: number, state: Exclude<OutboxState, 'pending'>, attempts: number, now: number, channels?: readonly ChannelName[], error?: string): void {
    this.q.finish.run({ id, state, attempts, now, channels: channels === undefined ? null : channels.join(','), error: error ?? null });
  }

  retry(id: number, attempts: number, dueAt: number, error: string): void {
    this.q.retry.run({ id, attempts, dueAt, error });
  }

  /** Makes a volunteer's pending messages due now (their app just connected). */
  hurry(volunteerId: string, now: number): number {
    return this.q.hurry.run(now, volunteerId, now).changes;
  }

  receipt(alertId: string, message: MessageKind): ReceiptRow | undefined {
    const r = this.q.receipt.get(alertId, message);
    return r && toReceipt(r);
  }

  receiptsOfIncident(incidentId: string): ReceiptRow[] {
    return this.q.receiptsOf.all(incidentId).map(toReceipt);
  }

  /**
   * Sets one receipt column if it is not set yet; returns false when it already was (a receipt is
   * recorded once). Call inside the transaction that appends the receipt event.
   */
  markReceipt(
    m: { alertId: string; incidentId: string; volunteerId: string },
    message: MessageKind,
    field: 'sent' | 'delivered' | 'seen' | 'suppressed',
    value: { at: string; via?: string },
  ): boolean {
    this.q.receiptInit.run(m.alertId, message, m.incidentId, m.volunteerId);
    const column = `${field === 'suppressed' ? 'suppressed' : `${field}_at`}`;
    const via = field === 'sent' || field === 'delivered' ? `, ${field}_via = @via` : '';
    const set = field === 'suppressed' ? 'suppressed = @via' : `${column} = @at${via}`;
    return (
      this.db
        .prepare(`UPDATE alert_receipts SET ${set} WHERE alert_id = @alertId AND message = @message AND ${column} IS NULL`)
        .run({ at: value.at, via: value.via ?? null, alertId: m.alertId, message }).changes > 0
    );
  }
}

function toReceipt(r: Record<string, string | null>): ReceiptRow {
  const opt = <K extends string>(k: K, v: string | null | undefined) => (v === null || v === undefined ? {} : { [k]: v });
  return {
    alertId: r['alert_id']!,
    message: r['message'] as MessageKind,
    ...opt('sentAt', r['sent_at']),
    ...(r['sent_via'] ? { sentVia: r['sent_via'].split(',') as ChannelName[] } : {}),
    ...opt('deliveredAt', r['delivered_at']),
    ...(r['delivered_via'] ? { deliveredVia: r['delivered_via'] as ChannelName } : {}),
    ...opt('seenAt', r['seen_at']),
    ...opt('suppressed', r['suppressed']),
  };
}
