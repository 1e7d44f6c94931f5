import type pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../../../test/support/postgres.ts';
import { aed, mark, profile } from '../contract/test-records.ts';
import type { RecordWrite } from '../record-writes.ts';
import { openPool } from './pg-pool.ts';
import { openPostgresTables, type PostgresTables } from './postgres-tables.ts';
import { RecordGuardFailed } from './record-guard.ts';
import { TABLES_SCHEMA } from './schema-tables.ts';

/**
 * The tables beside the log as several nodes see them: each node (a pool and its tables) on one
 * database. What one store alone must do is the contract suite's (postgres-store.test.ts).
 */
let server: TestPostgres;
beforeAll(async () => {
  server = await startTestPostgres();
}, 120_000);
afterAll(async () => {
  await server.stop();
});

interface Node {
  readonly pool: pg.Pool;
  readonly tables: PostgresTables;
}
let nodes: Node[] = [];
afterEach(async () => {
  for (const n of nodes) {
    await n.tables.close();
    await n.pool.end();
  }
  nodes = [];
});

/** A fresh database with the tables' schema, and `count` nodes on it. */
async function cluster(count: number): Promise<{ url: string; nodes: Node[] }> {
  const url = await server.createDatabase('tables');
  const setup = openPool(url);
  await setup.query(TABLES_SCHEMA);
  await setup.end();
  const opened: Node[] = [];
  for (let i = 0; i < count; i++) opened.push(await node(url));
  return { url, nodes: opened };
}

async function node(url: string): Promise<Node> {
  const pool = openPool(url);
  const n = { pool, tables: await openPostgresTables(pool) };
  nodes.push(n);
  return n;
}

/** Record writes in a transaction of their own, as an append carries them; then the store's settle. */
async function commit(n: Node, ...records: RecordWrite[]): Promise<void> {
  const client = await n.pool.connect();
  try {
    await client.query('BEGIN');
    for (const w of records) await n.tables.apply(client, w);
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK');
    throw e;
  } finally {
    client.release();
    await n.tables.settle(records);
  }
}

async function rollback(n: Node, ...records: RecordWrite[]): Promise<void> {
  const client = await n.pool.connect();
  try {
    await client.query('BEGIN');
    for (const w of records) await n.tables.apply(client, w);
    await client.query('ROLLBACK');
  } finally {
    client.release();
    await n.tables.settle(records);
  }
}

/** Waits until another node's mirror shows what `check` expects (its news arrive after the commit). */
const eventually = (check: () => void) => vi.waitFor(check, { timeout: 10_000, interval: 5 });

describe('PostgreSQL tables on several nodes', () => {
  it('a profile added on one node is read on the other; erased, it leaves both mirrors and the table', async () => {
    const { nodes: [a, b] } = await cluster(2);
    await commit(a!, { type: 'profile.add', profiles: [profile('V-1'), profile('V-2')] });
    expect(a!.tables.profiles.get('V-1')).toEqual(profile('V-1'));
    await eventually(() => expect(b!.tables.profiles.getMany(['V-1', 'V-2']).size).toBe(2));
    expect(b!.tables.profiles.get('V-1')).toEqual(profile('V-1'));

    await commit(b!, { type: 'profile.erase', volunteerId: 'V-1' });
    expect(b!.tables.profiles.get('V-1')).toBeUndefined();
    await eventually(() => expect(a!.tables.profiles.get('V-1')).toBeUndefined());
    expect(a!.tables.profiles.count()).toBe(1);
    const left = await a!.pool.query(`SELECT count(*) AS n FROM volunteer_profiles WHERE volunteer_id = 'V-1' OR name = 'Name of V-1'`);
    expect(left.rows[0]).toEqual({ n: 0 });
  });

  it('update resolves once the row is committed, then reaches the other node; a node opened afterwards reads it', async () => {
    const { url, nodes: [a, b] } = await cluster(2);
    await commit(a!, { type: 'profile.add', profiles: [profile('V-1')] });
    const at = '2025-06-02T09:00:00.000Z';
    const expected = { ...profile('V-1'), phone: '+41 79 111 11 11', languages: ['it'], updatedAt: at };
    expect(await a!.tables.profiles.update('V-1', { phone: '+41 79 111 11 11', languages: ['it'] }, at)).toEqual(expected);
    expect(a!.tables.profiles.get('V-1')).toEqual(expected);
    expect((await a!.pool.query(`SELECT phone FROM volunteer_profiles WHERE volunteer_id = 'V-1'`)).rows[0]).toEqual({ phone: '+41 79 111 11 11' });
    await eventually(() => expect(b!.tables.profiles.get('V-1')).toEqual(expected));
    expect((await node(url)).tables.profiles.get('V-1')).toEqual(expected);
  });

  it('an update of a profile erased elsewhere, before the news came, does not bring it back', async () => {
    const { nodes: [a] } = await cluster(1);
    await commit(a!, { type: 'profile.add', profiles: [profile('V-1')] });
    // Deleted behind the mirror's back: the node has not heard of it when its update comes.
    await a!.pool.query(`DELETE FROM volunteer_profiles WHERE volunteer_id = 'V-1'`);
    expect(await a!.tables.profiles.update('V-1', { name: 'Ghost' }, '2025-06-02T09:00:00.000Z')).toBeUndefined();
    expect(a!.tables.profiles.get('V-1')).toBeUndefined();
    expect((await a!.pool.query('SELECT count(*) AS n FROM volunteer_profiles')).rows[0]).toEqual({ n: 0 });
  });

  it('the demo population record and AEDs reach the other node; AEDs are read in id order', async () => {
    const { nodes: [a, b] } = await cluster(2);
    const demo = { seed: 7, count: 1, available: 1, residents: 0, loadedAt: '2025-06-01T10:00:00.000Z' };
    await commit(
      a!,
      { type: 'profile.add', profiles: [profile('V-1', { synthetic: true })], demo },
      { type: 'aed.put', records: [aed('AED-2', 'Library'), aed('AED-1', 'Station')], at: '2025-06-01T10:00:00.000Z' },
    );
    expect(a!.tables.aeds.all().map((r) => r.id)).toEqual(['AED-1', 'AED-2']);
    await eventually(() => expect(b!.tables.profiles.demoPopulation()).toEqual(demo));
    await eventually(() => expect(b!.tables.aeds.all()).toEqual([aed('AED-1', 'Station'), aed('AED-2', 'Library')]));
    await commit(b!, { type: 'aed.put', records: [{ ...aed('AED-1', 'Station, hall B'), status: 'out_of_service' }], at: '2025-06-02T10:00:00.000Z' });
    await eventually(() => expect(a!.tables.aeds.all()[0]).toMatchObject({ placeName: 'Station, hall B', status: 'out_of_service' }));
  });

  it('writes rolled back leave every mirror as the table is, and are never announced', async () => {
    const { nodes: [a, b] } = await cluster(2);
    await commit(a!, { type: 'profile.add', profiles: [profile('V-1')] });
    await rollback(
      a!,
      { type: 'profile.erase', volunteerId: 'V-1' },
      { type: 'profile.add', profiles: [profile('V-2')] },
      { type: 'aed.put', records: [aed('AED-1', 'Station')], at: '2025-06-01T10:00:00.000Z' },
    );
    expect(a!.tables.profiles.get('V-1')).toEqual(profile('V-1'));
    expect(a!.tables.profiles.get('V-2')).toBeUndefined();
    expect(a!.tables.aeds.all()).toEqual([]);
    // News arrive in commit order: once b hears of V-3, it has heard all there was before it.
    await commit(a!, { type: 'profile.add', profiles: [profile('V-3')] });
    await eventually(() => expect(b!.tables.profiles.get('V-3')).toBeDefined());
    expect([...b!.tables.profiles.getMany(['V-1', 'V-2', 'V-3']).keys()]).toEqual(['V-1', 'V-3']);
    expect(b!.tables.aeds.all()).toEqual([]);
  });

  it('a node whose news connection was cut reads again what changed while it was away', async () => {
    const { url, nodes: [a, b] } = await cluster(2);
    await commit(a!, { type: 'profile.add', profiles: [profile('V-1')] });
    await eventually(() => expect(b!.tables.profiles.get('V-1')).toBeDefined());
    // Cut every LISTENing connection on this database (b's and a's), as a failing network would.
    const database = new URL(url).pathname.slice(1);
    const cut = await a!.pool.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()`,
      [database],
    );
    expect(cut.rowCount).toBe(2);
    await commit(a!, { type: 'profile.erase', volunteerId: 'V-1' }, { type: 'profile.add', profiles: [profile('V-2')] });
    await eventually(() => expect([...b!.tables.profiles.getMany(['V-1', 'V-2']).keys()]).toEqual(['V-2']));
  });

  it('receipt marks of one column from two nodes at once: the first to commit keeps it, the other is refused', async () => {
    const { nodes: [a, b] } = await cluster(2);
    const [first, second] = await Promise.all([a!.pool.connect(), b!.pool.connect()]);
    try {
      await first!.query('BEGIN');
      await second!.query('BEGIN');
      await a!.tables.apply(first!, mark('A-1', 'seen', '2025-06-01T12:00:01.000Z'));
      // b's mark waits on a's row lock, then finds the column set.
      const refused = b!.tables.apply(second!, mark('A-1', 'seen', '2025-06-01T12:00:02.000Z'));
      await first!.query('COMMIT');
      await expect(refused).rejects.toBeInstanceOf(RecordGuardFailed);
      await second!.query('ROLLBACK');
    } finally {
      first!.release();
      second!.release();
    }
    expect(await b!.tables.outbox.receipt('A-1', 'alert')).toEqual({ alertId: 'A-1', message: 'alert', seenAt: '2025-06-01T12:00:01.000Z' });
  });

  it('a record write no table takes is refused', async () => {
    const { nodes: [a] } = await cluster(1);
    await expect(commit(a!, { type: 'no.such' } as unknown as RecordWrite)).rejects.toThrow(/no table takes record write no.such/);
  });
});
