import type pg from 'pg';
import type { DeliveryMessageKind } from '../../core/events.ts';
import type { ReceiptRow } from '../outbox-store.ts';
import type { RecordWrite } from '../record-writes.ts';
import { RecordGuardFailed } from './record-guard.ts';

interface Row {
  alert_id: string;
  message: string;
  sent_at: string | null;
  sent_via: string | null;
  delivered_at: string | null;
  delivered_via: string | null;
  seen_at: string | null;
  suppressed: string | null;
}

const COLUMNS = 'alert_id, message, sent_at, sent_via, delivered_at, delivered_via, seen_at, suppressed';

const toReceipt = (r: Row): ReceiptRow => ({
  alertId: r.alert_id,
  message: r.message as DeliveryMessageKind,
  ...(r.sent_at === null ? {} : { sentAt: r.sent_at }),
  ...(r.sent_via ? { sentVia: r.sent_via.split(',') } : {}),
  ...(r.delivered_at === null ? {} : { deliveredAt: r.delivered_at }),
  ...(r.delivered_via === null ? {} : { deliveredVia: r.delivered_via }),
  ...(r.seen_at === null ? {} : { seenAt: r.seen_at }),
  ...(r.suppressed === null ? {} : { suppressed: r.suppressed }),
});

/** One UPDATE per receipt column: it sets the column only while it is still empty. */
function markQuery(w: Extract<RecordWrite, { type: 'receipt.mark' }>): [string, unknown[]] {
  const key = [w.alertId, w.message];
  const where = 'WHERE alert_id = $1 AND message = $2';
  switch (w.field) {
    case 'sent':
      return [`UPDATE alert_receipts SET sent_at = $3, sent_via = $4 ${where} AND sent_at IS NULL`, [...key, w.at, w.via ?? null]];
    case 'delivered':
      return [`UPDATE alert_receipts SET delivered_at = $3, delivered_via = $4 ${where} AND delivered_at IS NULL`, [...key, w.at, w.via ?? null]];
    case 'seen':
      return [`UPDATE alert_receipts SET seen_at = $3 ${where} AND seen_at IS NULL`, [...key, w.at]];
    case 'suppressed':
      return [`UPDATE alert_receipts SET suppressed = $3 ${where} AND suppressed IS NULL`, [...key, w.via ?? null]];
  }
}

/** Delivery receipts: each column of a message's receipt set once, by `receipt.mark` with its event. */
export class PostgresReceipts {
  constructor(private readonly pool: pg.Pool) {}

  /**
   * Applies `receipt.mark` inside the append's transaction. Under READ COMMITTED a second node's
   * mark of the same column waits on the first one's row lock, then finds the column set: it is
   * refused, so a receipt is recorded once across nodes.
   */
  async mark(client: pg.PoolClient, w: Extract<RecordWrite, { type: 'receipt.mark' }>): Promise<void> {
    await client.query(
      'INSERT INTO alert_receipts (alert_id, message, incident_id, volunteer_id) VALUES ($1, $2, $3, $4) ON CONFLICT (alert_id, message) DO NOTHING',
      [w.alertId, w.message, w.incidentId, w.volunteerId],
    );
    const [sql, params] = markQuery(w);
    const r = await client.query(sql, params);
    if (r.rowCount === 0) throw new RecordGuardFailed(`The ${w.field} receipt of ${w.message} ${w.alertId} is already recorded`);
  }

  async receipt(alertId: string, message: DeliveryMessageKind): Promise<ReceiptRow | undefined> {
    const r = await this.pool.query<Row>(`SELECT ${COLUMNS} FROM alert_receipts WHERE alert_id = $1 AND message = $2`, [alertId, message]);
    return r.rows[0] && toReceipt(r.rows[0]);
  }

  async ofIncident(incidentId: string): Promise<ReceiptRow[]> {
    const r = await this.pool.query<Row>(`SELECT ${COLUMNS} FROM alert_receipts WHERE incident_id = $1 ORDER BY n`, [incidentId]);
    return r.rows.map(toReceipt);
  }
}
