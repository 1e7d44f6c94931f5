import type { AedRecord } from '../../core/aed.ts';
import type { PendingEvent } from '../../core/events.ts';
import type { EventLogWriter } from './sqlite-volunteer-profiles.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS aeds (
  id         TEXT PRIMARY KEY,
  record     TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
`;

/**
 * The AED registry's table: one row per defibrillator, replaced whole by each import that names
 * it. An import's rows and its `AedsImported` audit event commit in one transaction.
 */
export class SqliteAeds {
  constructor(private readonly log: EventLogWriter) {
    log.database.exec(SCHEMA);
  }

  all(): AedRecord[] {
    return this.log.database
      .prepare<[], { record: string }>('SELECT record FROM aeds ORDER BY id')
      .all()
      .map((r) => JSON.parse(r.record) as AedRecord);
  }

  /** Inserts or replaces `records`; returns how many were new. */
  upsertMany(records: readonly AedRecord[], at: string, audit: (created: number, updated: number) => readonly PendingEvent[]): { created: number; updated: number } {
    const counts = { created: 0, updated: 0 };
    const db = this.log.database;
    db.transaction(() => {
      const exists = db.prepare<[string], { id: string }>('SELECT id FROM aeds WHERE id = ?');
      const put = db.prepare(
        `INSERT INTO aeds (id, record, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET record = excluded.record, updated_at = excluded.updated_at`,
      );
      for (const r of records) {
        if (exists.get(r.id)) counts.updated++;
        else counts.created++;
        put.run(r.id, JSON.stringify(r), at);
      }
      this.log.writeWith(audit(counts.created, counts.updated), () => {});
    })();
    return counts;
  }
}
