import { join } from 'node:path';
import type { Projector } from '../event-store.ts';
import type { Store } from '../store.ts';
import { SqliteAccounts } from './sqlite-accounts.ts';
import { SqliteAeds } from './sqlite-aeds.ts';
import { SqliteOutbox } from './sqlite-outbox.ts';
import { SqliteShortLived } from './sqlite-short-lived.ts';
import { SqliteStore } from './sqlite-store.ts';
import { SqliteVolunteerProfiles } from './sqlite-volunteer-profiles.ts';
import { guardStorage } from '../storage-unavailable.ts';
import { asStorageError, storageFailureOf } from './storage-errors.ts';

/** The one database file of a data dir. */
export const DB_FILE = 'samaritan.db';

/**
 * Opens the embedded store: the log and every table beside it in one SQLite file, one connection,
 * so that a record write and its events share the append's transaction. A disk that is full,
 * read-only or failing is reported as StorageUnavailable, at the open and by every call after it.
 */
export function openSqliteStore<S>(dataDir: string, projector: Projector<S>, clock: () => number = () => Date.now()): Store<S> {
  let log: SqliteStore<S>;
  let tables: [SqliteAccounts, SqliteVolunteerProfiles, SqliteAeds, SqliteOutbox];
  try {
    log = new SqliteStore<S>(join(dataDir, DB_FILE), projector, clock);
    const db = log.database;
    tables = [new SqliteAccounts(db), new SqliteVolunteerProfiles(db), new SqliteAeds(db), new SqliteOutbox(db)];
  } catch (e) {
    throw asStorageError(e);
  }
  const db = log.database;
  log.applyRecord = (w) => {
    if (!tables.some((t) => t.apply(w))) throw new Error(`no table takes record write ${w.type}`);
  };
  log.afterErase = () => {
    const [r] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
    // A reader in another process kept part of the WAL: the next checkpoint takes the rest.
    if (r !== undefined && r.busy !== 0) process.stderr.write('after an erasure, the WAL checkpoint was partial (a reader held it)\n');
  };
  const guard = <T extends object>(t: T) => guardStorage(t, storageFailureOf, () => log.noticeStorageFailure());
  const [accounts, profiles, aeds, outbox] = tables.map(guard) as typeof tables;
  const events = guard(log);
  const shortLived = guard(new SqliteShortLived(db));
  return { events, accounts, profiles, aeds, outbox, shortLived, writable: () => log.writable(), close: () => log.close() };
}
