import { StorageUnavailable, type StorageFailure } from '../storage-unavailable.ts';

/** SQLSTATE codes (whole, or by class prefix) that say the server, not the request, failed. */
const SQLSTATES: readonly (readonly [RegExp, StorageFailure, string])[] = [
  [/^53100$/, 'full', 'the database server’s disk is full'],
  // A standby after a fail-over, or a server set read-only: it takes no write.
  [/^25006$/, 'read_only', 'the database server is read-only'],
  [/^58/, 'io', 'the database server reported an I/O error'],
  [/^XX001$/, 'io', 'the database server found corrupt data'],
  [/^08/, 'cannot_open', 'the connection to the database server failed'],
  // Shut down (fast or crashed), or still starting.
  [/^57P0[1-3]$/, 'cannot_open', 'the database server is shutting down or starting'],
  [/^3D000$/, 'cannot_open', 'the database does not exist'],
  [/^28/, 'cannot_open', 'the database server refused the credentials'],
  [/^53(200|300|400)$/, 'busy', 'the database server is out of connections or memory'],
  [/^55P03$/, 'busy', 'a lock on the database server was held too long'],
];

/** Errors of the socket under pg: the server is gone or cannot be reached. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

/** pg's own errors for a connection that ended or never came, which carry no code. */
const LOST_CONNECTION = /Connection terminated|connection error|not queryable|timeout exceeded when trying to connect|Connection closed|Query read timeout/i;

/** `e` as a StorageUnavailable when PostgreSQL (or the way to it) failed; otherwise undefined. */
export function pgStorageFailureOf(e: unknown): StorageUnavailable | undefined {
  if (e instanceof StorageUnavailable) return e;
  if (typeof e !== 'object' || e === null) return undefined;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (SOCKET_CODES.has(code)) return new StorageUnavailable(`the database server cannot be reached (${code})`, 'cannot_open', { cause: e });
    const hit = SQLSTATES.find(([pattern]) => pattern.test(code));
    if (hit !== undefined) return new StorageUnavailable(`${hit[2]} (SQLSTATE ${code})`, hit[1], { cause: e });
  }
  // A failed connect may come as an AggregateError (one error per address tried).
  const inner = (e as { errors?: unknown }).errors;
  if (Array.isArray(inner) && inner.length > 0) return pgStorageFailureOf(inner[0]);
  const message = (e as { message?: unknown }).message;
  if (typeof message === 'string' && LOST_CONNECTION.test(message)) {
    return new StorageUnavailable(`the connection to the database server was lost (${message})`, 'cannot_open', { cause: e });
  }
  return undefined;
}
