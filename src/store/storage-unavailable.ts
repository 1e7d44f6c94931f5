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
