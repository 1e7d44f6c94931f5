import pg from 'pg';

/** What runs a query: the pool (autocommit) or a client inside a transaction. */
export type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

/** pg's type id of BIGINT (int8). */
const INT8 = 20;

// Seqs and counts are BIGINT; pg hands them out as strings so as not to lose digits past 2^53,
// which no log here will reach: they are read as numbers, on this pool only (not pg's global table).
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 && format !== 'binary' ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** Whether `url` names a PostgreSQL server (`postgres://` or `postgresql://`). */
export function isPostgresUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'postgres:' || protocol === 'postgresql:';
  } catch {
    return false;
  }
}

/** The server and database of `url`, without its user or password: what a message may show. */
export function describeDatabase(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname}`;
  } catch {
    return 'the database';
  }
}

/**
 * How every connection of a node to the server behaves when the other end vanishes without closing
 * (power lost, a network partition, a failover by moving an address), where no FIN ever comes:
 * - the server probes an idle session after 5 s and ends it after 3 unanswered probes 2 s apart, so
 *   the locks a vanished node held (the lead, a timer's claim) are free within about 11 s, not the
 *   operating system's two hours;
 * - this side probes too (after 5 s idle), and a query that gets no answer for QUERY_TIMEOUT_MS
 *   fails (a write answers StorageUnavailable) instead of hanging every write queued behind it.
 */
export const QUERY_TIMEOUT_MS = 15_000;
export const CONNECTION_SETTINGS = {
  keepAlive: true,
  keepAliveInitialDelayMillis: 5_000,
  options: '-c tcp_keepalives_idle=5 -c tcp_keepalives_interval=2 -c tcp_keepalives_count=3',
} as const;

/**
 * A pool of connections to the database at `url`. A connection that fails while idle in the pool
 * (the server restarted, an administrator ended it) is dropped and replaced on the next use; the
 * error would otherwise be thrown from the pool's 'error' event and end the process. One that
 * fails while in use fails its queries, which is where the caller hears of it: the client's own
 * 'error' event (unheard, it too would end the process) has nothing more to say.
 */
export function openPool(url: string): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    types,
    max: 10,
    // A server that does not answer is a failed write within seconds, not a request left hanging.
    connectionTimeoutMillis: 5_000,
    query_timeout: QUERY_TIMEOUT_MS,
    ...CONNECTION_SETTINGS,
    idleTimeoutMillis: 30_000,
  });
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}
