import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';

/**
 * Where each alerted volunteer was when they were alerted: the one place a volunteer's precise
 * position is written down. It justifies the alert (they were this close) and routes their role,
 * and it is kept only for `retention` (30 days by default), then purged by the timer scheduler.
 * It never enters the event log, which keeps only the walking time. When a volunteer deletes their
 * account, their rows are anonymised at once: the position and the ids go, the distance stays.
 */
export const DEFAULT_AUDIT_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

const SCHEMA = `
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

export interface AlertPosition {
  readonly alertId: string;
  readonly incidentId: string;
  readonly volunteerId: string;
  /** Undefined when the volunteer had no fresh fix at alert time. */
  readonly position?: { readonly lat: number; readonly lon: number; readonly fixAt: string };
  readonly distanceM?: number;
  readonly alertedAt: string;
}

export class AlertPositionAudit {
  private readonly q;

  constructor(
    db: Database.Database,
    readonly retentionMs: number = DEFAULT_AUDIT_RETENTION_MS,
  ) {
    db.exec(SCHEMA);
    this.q = {
      put: db.prepare(
        `INSERT OR IGNORE INTO alert_position_audit (alert_id, incident_id, volunteer_id, lat, lon, fix_at, distance_m, alerted_at, purge_after)
         VALUES (@alertId, @incidentId, @volunteerId, @lat, @lon, @fixAt, @distanceM, @alertedAt, @purgeAfter)`,
      ),
      get: db.prepare<[string], { lat: number | null; lon: number | null; fix_at: string | null }>(
        'SELECT lat, lon, fix_at FROM alert_position_audit WHERE alert_id = ?',
      ),
      purge: db.prepare('DELETE FROM alert_position_audit WHERE purge_after <= ?'),
      anonymise: db.prepare(
        `UPDATE alert_position_audit SET alert_id = 'erased-' || ?, volunteer_id = NULL, lat = NULL, lon = NULL, fix_at = NULL
         WHERE alert_id = ?`,
      ),
      ofVolunteer: db.prepare<[string], { alert_id: string }>('SELECT alert_id FROM alert_position_audit WHERE volunteer_id = ?'),
      count: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM alert_position_audit'),
    };
  }

  /** Records positions (call inside the transaction that queues the alerts). */
  record(rows: readonly AlertPosition[]): void {
    for (const r of rows) {
      this.q.put.run({
        alertId: r.alertId,
        incidentId: r.incidentId,
        volunteerId: r.volunteerId,
        lat: r.position?.lat ?? null,
        lon: r.position?.lon ?? null,
        fixAt: r.position?.fixAt ?? null,
        distanceM: r.distanceM === undefined ? null : Math.round(r.distanceM),
        alertedAt: r.alertedAt,
        purgeAfter: Date.parse(r.alertedAt) + this.retentionMs,
      });
    }
  }

  /** The volunteer's position when alert `alertId` went out, while it is kept. */
  positionOf(alertId: string): { lat: number; lon: number; fixAt: string } | undefined {
    const r = this.q.get.get(alertId);
    return r && r.lat !== null && r.lon !== null ? { lat: r.lat, lon: r.lon, fixAt: r.fix_at ?? '' } : undefined;
  }

  /** Deletes every row past its retention; returns how many. */
  purge(nowMs: number): number {
    return this.q.purge.run(nowMs).changes;
  }

  /** Erases the position and ids of a deleted volunteer's rows, keeping the distance and the incident. */
  anonymise(volunteerId: string): number {
    let n = 0;
    for (const r of this.q.ofVolunteer.all(volunteerId)) n += this.q.anonymise.run(randomUUID(), r.alert_id).changes;
    return n;
  }

  get size(): number {
    return this.q.count.get()?.n ?? 0;
  }
}
