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

/**
 * Every method of `target`, with a storage failure thrown or rejected as StorageUnavailable and
 * reported to `noticed`: the tables beside the log have many methods, and each of them can meet a
 * full or read-only disk.
 */
export function guardStorage<T extends object>(target: T, noticed: (e: StorageUnavailable) => void): T {
  const mapped = (e: unknown): unknown => {
    const failure = storageFailureOf(e);
    if (failure === undefined) return e;
    noticed(failure);
    return failure;
  };
  return new Proxy(target, {
    get(t, key) {
      const value: unknown = Reflect.get(t, key, t);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        let result: unknown;
        try {
          result = (value as (...a: unknown[]) => unknown).apply(t, args);
        } catch (e) {
          throw mapped(e);
        }
        return result instanceof Promise ? result.catch((e: unknown) => Promise.reject(mapped(e))) : result;
      };
    },
  });
}
