// Several product nodes on one PostgreSQL, as the benchmarks run them: the embedded test server
// (or DATABASE_URL's), a fresh database, and `samaritan serve` processes on it, each with its own
// data directory. The product is still driven from outside only: its CLI and its HTTP API.
import { join } from 'node:path';
import pg from 'pg';
import { startTestPostgres, type TestPostgres } from '../../test/support/postgres.ts';
import type { ChildServer } from './children.ts';
import { call2xx, makeTokens, startSamaritan } from './samaritan.ts';

export { startTestPostgres, type TestPostgres };

export interface PostgresNodes {
  /** The database's URL, with its password: for the nodes' environment only, never printed. */
  readonly env: Readonly<Record<string, string>>;
  readonly nodes: readonly ChildServer[];
  /** Dispatcher tokens made with the CLI on the database: they work on every node. */
  readonly tokens: readonly string[];
}

/**
 * `count` nodes on a fresh database of `server`, started one after the other (the first seeds the
 * demo city; the others find it), and `tokens` dispatcher tokens made before they start.
 */
export async function startPostgresNodes(
  server: TestPostgres,
  root: string,
  options: { readonly count: number; readonly tokens: readonly string[]; readonly prefix: string },
): Promise<PostgresNodes> {
  const url = await server.createDatabase(options.prefix);
  const env = { DATABASE_URL: url };
  const tokens = await makeTokens(join(root, 'node-a'), 'dispatcher', options.tokens, 3, env);
  const nodes: ChildServer[] = [];
  for (let i = 0; i < options.count; i++) {
    const name = `node ${String.fromCharCode(65 + i)}`;
    nodes.push(await startSamaritan(join(root, `node-${String.fromCharCode(97 + i)}`), undefined, env, name));
  }
  return { env, nodes, tokens };
}

/** Whether the node says (GET /healthz) that it leads the work done once. */
export async function leads(node: ChildServer): Promise<boolean> {
  return (await call2xx(node.base, 'GET', '/healthz'))['leader'] === true;
}

/** Which of the nodes leads, as a letter (A, B…), or `none`/`several` when it is not one of them. */
export async function leaderName(nodes: readonly ChildServer[]): Promise<string> {
  const flags = await Promise.all(nodes.map(leads));
  const at = flags.flatMap((f, i) => (f ? [String.fromCharCode(65 + i)] : []));
  return at.length === 1 ? at[0]! : at.length === 0 ? 'none' : `several (${at.join(', ')})`;
}

/** The PostgreSQL server's version and the settings an acknowledged write's cost depends on. */
export async function postgresFacts(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const row = (
      await client.query<{ v: string; fsync: string; sc: string; wal: string }>(
        "SELECT current_setting('server_version') AS v, current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS sc, current_setting('wal_sync_method') AS wal",
      )
    ).rows[0]!;
    const where = new URL(url);
    return `postgresql:  ${row.v} at ${where.hostname}:${where.port} (fsync=${row.fsync}, synchronous_commit=${row.sc}, wal_sync_method=${row.wal}), on the same CPUs and disk as the nodes`;
  } finally {
    await client.end();
  }
}
