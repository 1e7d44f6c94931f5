import type Database from 'better-sqlite3';
import type { AedRecord } from '../../core/aed.ts';
import type { AedStore } from '../aed-store.ts';
import type { RecordWrite } from '../record-writes.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS aeds (
  id         TEXT PRIMARY KEY,
  record     TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
`;

/** The AED registry's table: one row per defibrillator, replaced whole by each import that names it. */
export class SqliteAeds implements AedStore {
  private readonly q;

  constructor(db: Database.Database) {
    db.exec(SCHEMA);
    this.q = {
      all: db.prepare<[], { record: string }>('SELECT record FROM aeds ORDER BY id'),
      put: db.prepare(
        `INSERT INTO aeds (id, record, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET record = excluded.record, updated_at = excluded.updated_at`,
      ),
    };
  }

  all(): AedRecord[] {
    return this.q.all.all().map((r) => JSON.parse(r.record) as AedRecord);
  }

  /** Applies `aed.put` inside the append's transaction; false for other writes. */
  apply(w: RecordWrite): boolean {
    if (w.type !== 'aed.put') return false;
    for (const r of w.records) this.q.put.run(r.id, JSON.stringify(r), w.at);
    return true;
  }
}
