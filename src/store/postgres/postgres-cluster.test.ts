import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../../../test/support/postgres.ts';
import { BROADCAST_MAX_BYTES, type Cluster } from '../cluster.ts';
import { runMigrations } from './migrations.ts';
import { openPostgresCluster } from './postgres-cluster.ts';
import { CLUSTER_SCHEMA } from './schema-cluster.ts';

let server: TestPostgres;
const cleanup: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  server = await startTestPostgres();
});
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});
afterAll(async () => {
  await server.stop();
});

/** A pool for the test's own queries; what its idle connections hear at shutdown is of no interest. */
function testPool(url: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url });
  pool.on('error', () => {});
  cleanup.push(() => pool.end());
  return pool;
}

/** A database with the log's seq column and the claims table only: the cluster needs no more. */
async function database(): Promise<{ url: string; admin: pg.Pool }> {
  const url = await server.createDatabase('cluster');
  const admin = testPool(url);
  await admin.query(`CREATE TABLE events (seq bigint PRIMARY KEY); ${CLUSTER_SCHEMA}`);
  return { url, admin };
}

/** A node: its own pool and cluster, closed after the test; background errors are kept, not printed. */
async function node(url: string): Promise<{ cluster: Cluster; errors: Error[] }> {
  const pool = testPool(url);
  const errors: Error[] = [];
  const cluster = await openPostgresCluster(pool, url, { onError: (e) => errors.push(e), reconnectMinMs: 50 });
  cleanup.push(() => cluster.close());
  return { cluster, errors };
}

async function eventually(check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 20));
}

async function terminate(admin: pg.Pool, applicationName: string): Promise<void> {
  const r = await admin.query('SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = $1', [applicationName]);
  expect(r.rows).toEqual([{ ok: true }]);
}

/** The last statement a connection finished, '' while one runs or before it connects. */
async function lastQuery(admin: pg.Pool, applicationName: string): Promise<string> {
  const r = await admin.query<{ query: string }>("SELECT query FROM pg_stat_activity WHERE application_name = $1 AND state = 'idle'", [applicationName]);
  return r.rows[0]?.query ?? '';
}

function leadership(events: string[], name: string): { onGained(): void; onLost(): void } {
  return { onGained: () => events.push(`${name} gained`), onLost: () => events.push(`${name} lost`) };
}

describe('PostgreSQL cluster', () => {
  it('delivers a broadcast to the other node, in order and each one, and not to the sender', async () => {
    const { url } = await database();
    const [a, b] = [(await node(url)).cluster, (await node(url)).cluster];
    const atA: unknown[] = [];
    const atB: { payload: unknown; from: string }[] = [];
    a.onMessage('frames', (p) => atA.push(p));
    b.onMessage('frames', (payload, from) => atB.push({ payload, from }));
    b.onMessage('other', () => atA.push('wrong topic'));
    // Twice the same payload: PostgreSQL folds identical notifications of one transaction.
    const sent = [...Array(50).keys()].map((i) => ({ frame: i === 1 ? 0 : i }));
    for (const p of sent) a.broadcast('frames', p);
    await eventually(() => atB.length === sent.length);
    expect(atB).toEqual(sent.map((payload) => ({ payload, from: a.nodeId })));
    // Something sent after: once b has it, a would have had its own.
    b.broadcast('frames', 'from b');
    await eventually(() => atA.length > 0);
    expect(atA).toEqual(['from b']);
  });

  it('refuses a broadcast over BROADCAST_MAX_BYTES', async () => {
    const { url } = await database();
    const { cluster } = await node(url);
    expect(() => cluster.broadcast('big', 'x'.repeat(BROADCAST_MAX_BYTES))).toThrow(/bytes/);
    cluster.broadcast('big', 'x'.repeat(BROADCAST_MAX_BYTES - 100));
  });

  it('tells every node the seq of a commit announced on samaritan_log', async () => {
    const { url, admin } = await database();
    const [a, b] = [(await node(url)).cluster, (await node(url)).cluster];
    const heard: string[] = [];
    a.onAppended((seq) => heard.push(`a ${seq}`));
    b.onAppended((seq) => heard.push(`b ${seq}`));
    await admin.query(`SELECT pg_notify('samaritan_log', '5')`);
    await eventually(() => heard.length === 2);
    expect(heard.sort()).toEqual(['a 5', 'b 5']);
  });

  it('reads the head back after its LISTEN connection was killed, and listens again', async () => {
    const { url, admin } = await database();
    const { cluster: a, errors } = await node(url);
    const b = (await node(url)).cluster;
    const heard: number[] = [];
    a.onAppended((seq) => heard.push(seq));
    // Committed without a word to the listeners: only reading the head finds it.
    await admin.query('INSERT INTO events (seq) VALUES (1), (2), (3)');
    await terminate(admin, `samaritan-listen:${a.nodeId}`);
    await eventually(() => heard.includes(3));
    expect(errors.length).toBeGreaterThan(0);
    const atA: unknown[] = [];
    a.onMessage('frames', (p) => atA.push(p));
    await eventually(async () => {
      b.broadcast('frames', 'after');
      await new Promise((r) => setTimeout(r, 50));
      return atA.length > 0;
    });
    expect(atA[0]).toBe('after');
  });

  it('has one leader; the other takes over when the leader closes', async () => {
    const { url, admin } = await database();
    const [a, b] = [(await node(url)).cluster, (await node(url)).cluster];
    const events: string[] = [];
    a.lead(leadership(events, 'a'));
    await eventually(() => a.isLeader);
    b.lead(leadership(events, 'b'));
    await eventually(async () => (await lastQuery(admin, `samaritan-leader:${b.nodeId}`)).includes('pg_try_advisory_lock'));
    expect([a.isLeader, b.isLeader]).toEqual([true, false]);
    await a.close();
    await eventually(() => b.isLeader);
    expect(events).toEqual(['a gained', 'a lost', 'b gained']);
  });

  it('stops leading when its leader connection is killed, and the other node takes over', async () => {
    const { url, admin } = await database();
    const [a, b] = [(await node(url)).cluster, (await node(url)).cluster];
    const events: string[] = [];
    a.lead(leadership(events, 'a'));
    await eventually(() => a.isLeader);
    b.lead(leadership(events, 'b'));
    await terminate(admin, `samaritan-leader:${a.nodeId}`);
    await eventually(() => b.isLeader);
    expect(a.isLeader).toBe(false);
    expect(events).toEqual(['a gained', 'a lost', 'b gained']);
  });

  it('stops leading when its leader connection stops answering, before another node can lead', async (ctx) => {
    const { url, admin } = await database();
    const pool = testPool(url);
    const a = await openPostgresCluster(pool, url, { onError: () => {}, heartbeatMs: 100, heartbeatTimeoutMs: 300 });
    cleanup.push(() => a.close());
    const b = (await node(url)).cluster;
    const events: string[] = [];
    a.lead(leadership(events, 'a'));
    await eventually(() => a.isLeader);
    b.lead(leadership(events, 'b'));
    const r = await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [`samaritan-leader:${a.nodeId}`]);
    const pid = r.rows[0]!.pid;
    // The server process of a's session is frozen: it holds the lock but answers nothing, as behind a dead link.
    try {
      process.kill(pid, 'SIGSTOP');
    } catch {
      ctx.skip(); // a server on another machine, or of another user
    }
    try {
      await eventually(() => !a.isLeader);
      expect(b.isLeader).toBe(false);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    // a said goodbye when it gave up on the session: the server ends it, and frees the lock.
    await eventually(() => b.isLeader);
    expect(events).toEqual(['a gained', 'a lost', 'b gained']);
  });

  it('lets exactly one of two nodes claiming a key at once run fn', async () => {
    const { url, admin } = await database();
    const [a, b] = [(await node(url)).cluster, (await node(url)).cluster];
    const ran: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const fire = (name: string) => async () => {
      ran.push(name);
      await gate;
      return name;
    };
    const claims = [a.claim('timer:inc-1', fire('a')), b.claim('timer:inc-1', fire('b'))];
    await eventually(() => ran.length === 1);
    release();
    const results = await Promise.all(claims);
    expect(results.filter((r) => r.claimed)).toEqual([{ claimed: true, value: ran[0] }]);
    expect(results.filter((r) => !r.claimed)).toEqual([{ claimed: false }]);
    const row = await admin.query('SELECT node, last_fired IS NOT NULL AS fired FROM timer_claims WHERE key = $1', ['timer:inc-1']);
    expect(row.rows).toEqual([{ node: (ran[0] === 'a' ? a : b).nodeId, fired: true }]);
    // Free again once committed.
    expect(await b.claim('timer:inc-1', () => Promise.resolve('again'))).toEqual({ claimed: true, value: 'again' });
  });

  it('frees a claim whose fn throws, and passes the error on', async () => {
    const { url, admin } = await database();
    const { cluster } = await node(url);
    await expect(cluster.claim('timer:inc-2', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    const row = await admin.query('SELECT last_fired FROM timer_claims WHERE key = $1', ['timer:inc-2']);
    expect(row.rows).toEqual([{ last_fired: null }]);
    expect(await cluster.claim('timer:inc-2', () => Promise.resolve(1))).toEqual({ claimed: true, value: 1 });
  });

  it('lives on when the session of a claim in progress is ended by the server (a restart, a failover): the firing stands, the next claim works', async () => {
    const { url, admin } = await database();
    const { cluster } = await node(url);
    const fired = cluster.claim('timer:inc-3', async () => {
      const r = await admin.query("SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name LIKE 'samaritan-locks:%'");
      expect(r.rows.length).toBeGreaterThan(0);
      // The claim's connection hears of it while idle in its transaction, before the COMMIT.
      await new Promise((resolve) => setTimeout(resolve, 100));
      return 'fired';
    });
    // What fn did is done (its writes went through other connections); only the bookkeeping was lost.
    expect(await fired).toEqual({ claimed: true, value: 'fired' });
    expect(await cluster.claim('timer:inc-3', () => Promise.resolve('again'))).toEqual({ claimed: true, value: 'again' });
  });

  it('runs exclusives of one name on two nodes one after the other', async () => {
    const { url } = await database();
    const [a, b] = [(await node(url)).cluster, (await node(url)).cluster];
    const trace: string[] = [];
    const seed = (name: string) => async () => {
      trace.push(`${name} in`);
      await new Promise((r) => setTimeout(r, 100));
      trace.push(`${name} out`);
      return name;
    };
    const results = await Promise.all([a.exclusive('start', seed('a')), b.exclusive('start', seed('b')), a.exclusive('other', () => Promise.resolve('other'))]);
    expect(results.sort()).toEqual(['a', 'b', 'other']);
    const [first, second] = trace[0] === 'a in' ? ['a', 'b'] : ['b', 'a'];
    expect(trace).toEqual([`${first} in`, `${first} out`, `${second} in`, `${second} out`]);
  });

  it('works on a database the migrations made', async () => {
    const url = await server.createDatabase('cluster_migrated');
    const pool = testPool(url);
    await runMigrations(pool);
    const errors: Error[] = [];
    const heard: number[] = [];
    const cluster = await openPostgresCluster(pool, url, { onError: (e) => errors.push(e) });
    cleanup.push(() => cluster.close());
    cluster.onAppended((seq) => heard.push(seq));
    expect(await cluster.claim('timer:x', () => Promise.resolve('fired'))).toEqual({ claimed: true, value: 'fired' });
    await pool.query(`SELECT pg_notify('samaritan_log', '1')`);
    await eventually(() => heard.length > 0);
    expect(heard).toEqual([1]);
    expect(errors).toEqual([]);
  });
});
