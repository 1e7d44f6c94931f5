import { spawn } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/config/configuration.ts';
import { MIGRATIONS } from '../src/store/postgres/migrations.ts';
import { freePort } from './support/child-server.ts';
import type { CliRun } from './support/cli.ts';
import { startTestPostgres, type TestPostgres } from './support/postgres.ts';

/** The real CLI with DATABASE_URL as given (or unset), whatever the tests' own environment has. */
function migrate(databaseUrl: string | undefined, ...args: string[]): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env['DATABASE_URL'];
  if (databaseUrl !== undefined) env['DATABASE_URL'] = databaseUrl;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/samaritan.js', 'migrate', ...args], { cwd: PROJECT_ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** One line on stderr and nothing on stdout, no stack trace. */
function expectOneLine(run: CliRun, code: number, about: RegExp) {
  expect(run.code, run.stderr).toBe(code);
  expect(run.stdout).toBe('');
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(run.stderr).not.toMatch(/^\s+at /m);
  expect(run.stderr).toMatch(about);
}

let server: TestPostgres;
beforeAll(async () => {
  server = await startTestPostgres();
}, 120_000);
afterAll(async () => {
  await server.stop();
});

describe('samaritan migrate', () => {
  it('applies every migration to an empty database (DATABASE_URL) and prints each; a second run says it is up to date', async () => {
    const url = await server.createDatabase('cli_migrate');
    const first = await migrate(url);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.trimEnd().split('\n')).toEqual(MIGRATIONS.map((m) => `applied migration ${m.version}: ${m.name}`));
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
    } finally {
      await client.end();
    }
    const again = await migrate(url);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^\S+ is up to date \(version \d+\)\n$/);
  });

  it('--database-url names the database instead of DATABASE_URL', async () => {
    const url = await server.createDatabase('cli_flag');
    const run = await migrate('postgres://nobody@127.0.0.1:1/not-this-one', '--database-url', url);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`applied migration ${MIGRATIONS.length}`);
  });

  it('without a database URL, or with one that is not PostgreSQL, it says so in one line and exits 2', async () => {
    expectOneLine(await migrate(undefined), 2, /DATABASE_URL/);
    expectOneLine(await migrate(''), 2, /DATABASE_URL/);
    expectOneLine(await migrate('mysql://root@127.0.0.1/samaritan'), 2, /postgres:\/\//);
    expectOneLine(await migrate(undefined, '--database-url', 'var/samaritan.db'), 2, /postgres:\/\//);
  });

  it('a server that cannot be reached is one line and exit 1, naming the server but never the password', async () => {
    const port = await freePort();
    const run = await migrate(`postgres://samaritan:s3cret-pw@127.0.0.1:${port}/samaritan`);
    expectOneLine(run, 1, new RegExp(`127\\.0\\.0\\.1:${port}/samaritan.*ECONNREFUSED`));
    expect(run.stderr).not.toContain('s3cret-pw');
  });
});
