import { join } from 'node:path';
import type { Projector } from '../event-store.ts';
import type { Store } from '../store.ts';
import { SqliteAccounts } from './sqlite-accounts.ts';
import { SqliteAeds } from './sqlite-aeds.ts';
import { SqliteOutbox } from './sqlite-outbox.ts';
import { SqliteStore } from './sqlite-store.ts';
import { SqliteVolunteerProfiles } from './sqlite-volunteer-profiles.ts';

/** The one database file of a data dir. */
export const DB_FILE = 'samaritan.db';

/**
 * Opens the embedded store: the log and every table beside it in one SQLite file, one connection,
 * so that a record write and its events share the append's transaction.
 */
export function openSqliteStore<S>(dataDir: string, projector: Projector<S>, clock: () => number = () => Date.now()): Store<S> {
  const events = new SqliteStore<S>(join(dataDir, DB_FILE), projector, clock);
  const db = events.database;
  const accounts = new SqliteAccounts(db);
  const profiles = new SqliteVolunteerProfiles(db);
  const aeds = new SqliteAeds(db);
  const outbox = new SqliteOutbox(db);
  const tables = [accounts, profiles, aeds, outbox];
  events.applyRecord = (w) => {
    if (!tables.some((t) => t.apply(w))) throw new Error(`no table takes record write ${w.type}`);
  };
  events.afterErase = () => {
    const [r] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
    // A reader in another process kept part of the WAL: the next checkpoint takes the rest.
    if (r !== undefined && r.busy !== 0) process.stderr.write('after an erasure, the WAL checkpoint was partial (a reader held it)\n');
  };
  return { events, accounts, profiles, aeds, outbox, close: () => events.close() };
}
