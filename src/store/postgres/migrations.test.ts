import type pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../../../test/support/postgres.ts';
import { testProjector, type TestState } from '../contract.ts';
import { added, req, stored } from '../contract/test-model.ts';
import { MIGRATIONS, runMigrations } from './migrations.ts';
import { openPostgresStore } from './open-postgres.ts';
import { openPool } from './pg-pool.ts';

let server: TestPostgres;
beforeAll(async () => {
  server = await startTestPostgres();
}, 120_000);
afterAll(async () => {
  await server.stop();
});

const ALL = MIGRATIONS.map((m) => m.version);
let pools: pg.Pool[] = [];
const poolOn = (url: string) => {
  const pool = openPool(url);
  pools.push(pool);
  return pool;
};
afterEach(async () => {
  await Promise.all(pools.map((p) => p.end()));
  pools = [];
});

const recorded = async (pool: pg.Pool) =>
  (await pool.query<{ version: number; name: string }>('SELECT version, name FROM schema_migrations ORDER BY version')).rows;

describe('PostgreSQL migrations', () => {
  it('an empty database gets every migration, in order, each recorded with its name; a second run applies none', async () => {
    const pool = poolOn(await server.createDatabase('migrate'));
    const lines: string[] = [];
    expect(await runMigrations(pool, (line) => lines.push(line))).toEqual({ applied: ALL });
    expect(lines).toEqual(MIGRATIONS.map((m) => `applied migration ${m.version}: ${m.name}`));
    expect(await recorded(pool)).toEqual(MIGRATIONS.map(({ version, name }) => ({ version, name })));
    expect(await runMigrations(pool)).toEqual({ applied: [] });
    expect(await recorded(pool)).toHaveLength(MIGRATIONS.length);
  });

  it('two nodes migrating one empty database at once: each migration runs once, and both end with the whole schema', async () => {
    const url = await server.createDatabase('migrate_twice');
    const [a, b] = [poolOn(url), poolOn(url)];
    const [ra, rb] = await Promise.all([runMigrations(a), runMigrations(b)]);
    // The lock makes one wait for the other, which then finds nothing left to do.
    expect([...ra.applied, ...rb.applied].sort((x, y) => x - y)).toEqual(ALL);
    expect([ra.applied, rb.applied]).toContainEqual([]);
    expect((await recorded(a)).map((r) => r.version)).toEqual(ALL);
  });

  it('two nodes opening the store on one empty database at once both open it, and share one log', async () => {
    const url = await server.createDatabase('open_twice');
    const [a, b] = await Promise.all([
      openPostgresStore<TestState>(url, testProjector),
      openPostgresStore<TestState>(url, testProjector),
    ]);
    try {
      stored(await a.store.events.append(req([added('box-1', 'a')])));
      expect(stored(await b.store.events.append(req([added('box-1', 'b')], { 'box-1': 1 })))[0]).toMatchObject({ seq: 2, version: 2 });
      expect((await a.store.events.load(['box-1'])).get('box-1')?.state.items).toEqual(['a', 'b']);
    } finally {
      await Promise.all([a.store.close(), b.store.close()]);
    }
  });

  it('a migration that fails leaves the database at the last whole version: nothing of it is kept, and the next run retries it', async () => {
    const pool = poolOn(await server.createDatabase('migrate_fail'));
    const list = [
      { version: 1, name: 'one', sql: 'CREATE TABLE one (id int)' },
      { version: 2, name: 'two', sql: 'CREATE TABLE two (id int); SELECT no_such_function()' },
    ];
    await expect(runMigrations(pool, () => {}, list)).rejects.toThrow(/no_such_function/);
    expect((await recorded(pool)).map((r) => r.version)).toEqual([1]);
    const tables = async () =>
      (await pool.query<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE tablename IN ('one', 'two') ORDER BY 1")).rows.map((r) => r.t);
    expect(await tables()).toEqual(['one']);
    const fixed = [list[0]!, { version: 2, name: 'two', sql: 'CREATE TABLE two (id int)' }];
    expect(await runMigrations(pool, () => {}, fixed)).toEqual({ applied: [2] });
    expect(await tables()).toEqual(['one', 'two']);
  });

  it('a version the database has but this list lacks (a newer node migrated) is left alone', async () => {
    const pool = poolOn(await server.createDatabase('migrate_newer'));
    const list = [{ version: 1, name: 'one', sql: 'CREATE TABLE one (id int)' }];
    await runMigrations(pool, () => {}, [...list, { version: 2, name: 'newer', sql: 'CREATE TABLE newer (id int)' }]);
    expect(await runMigrations(pool, () => {}, list)).toEqual({ applied: [] });
    expect((await recorded(pool)).map((r) => r.version)).toEqual([1, 2]);
  });
});
