/** What kept the store from writing: the machine's trouble, never the request's. */
export type StorageFailure = 'full' | 'read_only' | 'io' | 'cannot_open' | 'busy';

/**
 * Thrown by a store that cannot write (or read) for a reason of the machine: a full or read-only
 * disk, an I/O error, a file it cannot open, a lock another process held past the wait. Nothing of
 * the failed write was kept, and the same write may succeed once the disk recovers; the HTTP edge
 * answers 503 `StorageUnavailable` with `Retry-After`.
 */
export class StorageUnavailable extends Error {
  override readonly name = 'StorageUnavailable';

  constructor(
    /** What failed, in words a person reads: "the disk is full (SQLITE_FULL)". */
    readonly detail: string,
    readonly failure: StorageFailure,
    options?: { readonly cause?: unknown },
  ) {
    super(`Storage unavailable: ${detail}`, options);
  }
}

/** What to log about a failed write: a storage failure in one sentence; anything else, a fault here, with its stack. */
export function failureText(e: unknown): string {
  if (e instanceof StorageUnavailable) return e.message;
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}

/**
 * Every method of `target`, with a storage failure (as `failureOf` recognises the database's
 * errors) thrown or rejected as StorageUnavailable and reported to `noticed`: the tables beside the
 * log have many methods, each of which can meet a full disk or a server that is down.
 */
export function guardStorage<T extends object>(
  target: T,
  failureOf: (e: unknown) => StorageUnavailable | undefined,
  noticed: (e: StorageUnavailable) => void,
): T {
  const mapped = (e: unknown): unknown => {
    const failure = failureOf(e);
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
