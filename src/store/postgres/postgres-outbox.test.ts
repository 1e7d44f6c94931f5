import type pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../../../test/support/postgres.ts';
import { message } from '../contract/test-records.ts';
import { OUTBOX_LEASE_MS } from '../outbox-store.ts';
import { MIGRATIONS, runMigrations } from './migrations.ts';
import { openPool } from './pg-pool.ts';
import { PostgresOutbox } from './postgres-outbox.ts';

/**
 * The delivery queue as several nodes see it: each node a pool and its PostgresOutbox on one
 * database. What one queue alone must do is the contract suite's (postgres-store.test.ts).
 */
let server: TestPostgres;
beforeAll(async () => {
  server = await startTestPostgres();
}, 120_000);
afterAll(async () => {
  await server.stop();
});

let pools: pg.Pool[] = [];
afterEach(async () => {
  await Promise.all(pools.map((p) => p.end()));
  pools = [];
});

const LEASE = OUTBOX_LEASE_MS;

/** `count` nodes on a fresh database migrated up to `upTo`. */
async function nodes(count: number, upTo = Infinity): Promise<{ url: string; outboxes: PostgresOutbox[] }> {
  const url = await server.createDatabase('outbox');
  const outboxes: PostgresOutbox[] = [];
  for (let i = 0; i < count; i++) {
    const pool = openPool(url);
    pools.push(pool);
    if (i === 0)
      await runMigrations(
        pool,
        () => {},
        MIGRATIONS.filter((m) => m.version <= upTo),
      );
    outboxes.push(new PostgresOutbox(pool));
  }
  return { url, outboxes };
}

describe('PostgreSQL delivery queue on several nodes', () => {
  it('two nodes asking due() at once for the same pending messages: each message goes to exactly one of them', async () => {
    const { outboxes } = await nodes(2);
    const [a, b] = outboxes as [PostgresOutbox, PostgresOutbox];
    const made = Array.from({ length: 300 }, (_, i) => message(i + 1, `V-${i % 7}`));
    expect(await a.enqueue(made, 300, 1000)).toBe(300);
    const taken: [number[], number[]] = [[], []];
    // Up to 50 a round: a queue handing each message out once is empty well within 40 rounds.
    let emptyRound = false;
    for (let round = 0; round < 40 && !emptyRound; round++) {
      const [fromA, fromB] = await Promise.all([a.due(1000, 25), b.due(1000, 25)]);
      taken[0].push(...fromA.map((m) => m.id));
      taken[1].push(...fromB.map((m) => m.id));
      emptyRound = fromA.length === 0 && fromB.length === 0;
    }
    expect(emptyRound).toBe(true);
    const all = (await Promise.all(Array.from({ length: 7 }, (_, v) => a.ofVolunteer(`V-${v}`)))).flat().map((m) => m.id);
    expect(all).toHaveLength(300);
    expect(new Set(taken[0]).size).toBe(taken[0].length);
    expect(taken[0].filter((id) => taken[1].includes(id))).toEqual([]);
    expect([...taken[0], ...taken[1]].sort((x, y) => x - y)).toEqual([...all].sort((x, y) => x - y));
  });

  it('a row another node is leasing at this moment is passed over, not waited for', async () => {
    const { url, outboxes } = await nodes(2);
    const [a, b] = outboxes as [PostgresOutbox, PostgresOutbox];
    await a.enqueue([message(1, 'V-1'), message(2, 'V-2')], 2, 1000);
    const [first, second] = [...(await a.ofVolunteer('V-1')), ...(await a.ofVolunteer('V-2'))];
    // A lease in progress on another node: its transaction holds the row's lock, uncommitted.
    const holder = openPool(url);
    pools.push(holder);
    const client = await holder.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT id FROM alert_outbox WHERE id = $1 FOR UPDATE', [first!.id]);
      expect((await b.due(1000, 10)).map((m) => m.id)).toEqual([second!.id]);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
    expect((await a.due(1000, 10)).map((m) => m.id)).toEqual([first!.id]);
  });

  it('a hand-over: the new leader leaves what the old one took until its lease ends; a message the old one closed does not go again', async () => {
    const { outboxes } = await nodes(2);
    const [old, next] = outboxes as [PostgresOutbox, PostgresOutbox];
    await old.enqueue([message(1, 'V-1'), message(2, 'V-2'), message(3, 'V-3')], 3, 1000);
    const [sent, failed, lost] = await old.due(1000, 10);
    expect(await next.due(1000, 10)).toEqual([]);
    expect(await next.nextDueAt()).toBe(1000 + LEASE);
    // The old leader's sends in flight end: one sent, one failed and put back; the third never ends.
    await old.finish(sent!.id, 'sent', 1, 1100);
    await old.retry(failed!.id, 1, 2000, 'timeout');
    expect(await next.nextDueAt()).toBe(2000);
    expect((await next.due(2000, 10)).map((m) => m.id)).toEqual([failed!.id]);
    expect((await next.due(1000 + LEASE, 10)).map((m) => m.id)).toEqual([lost!.id]);
    expect((await next.due(1000 + 10 * LEASE, 10)).map((m) => [m.id, m.attempts])).toEqual([
      [failed!.id, 1],
      [lost!.id, 0],
    ]);
  });

  it('hurry does not cut a lease short: it makes a message put back for later due now, and the one another node is sending stays with it', async () => {
    const { outboxes } = await nodes(2);
    const [a, b] = outboxes as [PostgresOutbox, PostgresOutbox];
    await a.enqueue([message(1, 'V-1'), message(2, 'V-1')], 2, 1000);
    const [sending, waiting] = await a.due(1000, 10);
    await a.retry(waiting!.id, 1, 9000, 'offline');
    expect(await b.hurry('V-1', 1500)).toBe(1);
    expect((await b.due(1500, 10)).map((m) => m.id)).toEqual([waiting!.id]);
    expect(await a.get(sending!.id)).toMatchObject({ state: 'pending', attempts: 0 });
  });

  it('a queue made before leases keeps its pending messages due once the lease migration runs', async () => {
    const { outboxes } = await nodes(1, 4);
    const pool = pools[0]!;
    await pool.query(
      `INSERT INTO alert_outbox (seq, kind, incident_id, volunteer_id, alert_id, payload, due_at, created_at)
       VALUES (1, 'alert', 'I-1', 'V-1', 'A-1', '{}', 1000, 1000)`,
    );
    expect((await runMigrations(pool)).applied).toEqual(MIGRATIONS.filter((m) => m.version > 4).map((m) => m.version));
    const [outbox] = outboxes as [PostgresOutbox];
    expect(await outbox.nextDueAt()).toBe(1000);
    expect((await outbox.due(1000, 10)).map((m) => m.alertId)).toEqual(['A-1']);
    expect(await outbox.due(1000, 10)).toEqual([]);
  });
});
