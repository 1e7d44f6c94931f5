import { StorageUnavailable, type StorageFailure } from '../storage-unavailable.ts';

/** SQLite's result codes (extended ones by prefix) that say the machine, not the request, failed. */
const FAILURES: readonly (readonly [RegExp, StorageFailure, string])[] = [
  [/^SQLITE_FULL$/, 'full', 'the disk is full'],
  [/^SQLITE_READONLY/, 'read_only', 'the database is read-only'],
  [/^SQLITE_IOERR/, 'io', 'the disk reported an I/O error'],
  [/^SQLITE_CANTOPEN/, 'cannot_open', 'the database file cannot be opened'],
  // Only thrown once busy_timeout has run out: another process held the write lock all along.
  [/^SQLITE_BUSY/, 'busy', 'another process held the database lock too long'],
];

/** `e` as a StorageUnavailable when SQLite failed for a storage reason; otherwise undefined. */
export function storageFailureOf(e: unknown): StorageUnavailable | undefined {
  if (e instanceof StorageUnavailable) return e;
  const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
  if (typeof code !== 'string') return undefined;
  const hit = FAILURES.find(([pattern]) => pattern.test(code));
  return hit === undefined ? undefined : new StorageUnavailable(`${hit[2]} (${code})`, hit[1], { cause: e });
}

/** `e` itself, or its StorageUnavailable form. */
export const asStorageError = (e: unknown): unknown => storageFailureOf(e) ?? e;
