import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../../../test/support/postgres.ts';
import type { StoredEvent } from '../../core/events.ts';
import { describeStoreContract, testProjector, type TestState } from '../contract.ts';
import { added, req, stored } from '../contract/test-model.ts';
import type { Store } from '../store.ts';
import { openPostgresStore, type PostgresHandle } from './open-postgres.ts';
import { LOG_CHANNEL } from './postgres-store.ts';

let server: TestPostgres;
beforeAll(async () => {
  server = await startTestPostgres();
}, 120_000);
afterAll(async () => {
  await server.stop();
});

/** The harness's directory stands for a database: created on first open, the same one on reopen. */
const databases = new Map<string, string>();
const pools = new WeakMap<Store<TestState>, pg.Pool>();

describeStoreContract(
  'PostgreSQL',
  async (dir, projector, clock) => {
    let url = databases.get(dir);
    if (url === undefined) databases.set(dir, (url = await server.createDatabase('contract')));
    const { store, pool } = await openPostgresStore(url, projector, clock);
    pools.set(store, pool);
    return store;
  },
  {
    // As an operator might: every row of the table, or those of some streams.
    dropSnapshots: async (store, streams) => {
      const pool = pools.get(store)!;
      if (streams === undefined) await pool.query('TRUNCATE snapshots');
      else await pool.query('DELETE FROM snapshots WHERE stream = ANY($1::text[])', [streams]);
    },
  },
);

describe('PostgreSQL: two nodes on one database', () => {
  const open = async (url: string) => openPostgresStore<TestState>(url, testProjector);
  let nodes: PostgresHandle<TestState>[] = [];
  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.store.close()));
  });

  it('two stores appending at once give seqs 1..N, gap-free, and a reader polling meanwhile never skips one', async () => {
    const url = await server.createDatabase('two_nodes');
    nodes = [await open(url), await open(url)];
    const [a, b] = nodes.map((n) => n.store.events);
    const seen: StoredEvent[] = [];
    let writing = true;
    const reader = (async () => {
      const reading = (await open(url)).store;
      try {
        while (writing || seen.length < 200) {
          const page = await reading.events.readAfter(seen.at(-1)?.seq ?? 0, 17);
          seen.push(...page);
          if (page.length === 0) await new Promise((resolve) => setImmediate(resolve));
        }
      } finally {
        await reading.close();
      }
    })();
    // Ten rounds; in each, both nodes send ten appends at once (a group commit each), so that the two
    // groups contend for the log at the same moment.
    const seqs: number[] = [];
    const group = async (store: typeof a, node: string, round: number) => {
      const outcomes = await Promise.all(Array.from({ length: 10 }, (_, i) => store!.append(req([added(`box-${node}${round}x${i}`, node)]))));
      return outcomes.flatMap((o) => stored(o).map((e) => e.seq));
    };
    for (let round = 0; round < 10; round++) {
      for (const part of await Promise.all([group(a, 'a', round), group(b, 'b', round)])) seqs.push(...part);
    }
    writing = false;
    await reader;
    expect(seqs.sort((x, y) => x - y)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(seen.map((e) => e.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(await a!.headSeq()).toBe(200);
    expect(await b!.headSeq()).toBe(200);
  });

  it('a commit NOTIFYs its last seq on the log channel, to a LISTENer on another connection', async () => {
    const url = await server.createDatabase('notify');
    const node = await open(url);
    nodes.push(node);
    const listener = new pg.Client({ connectionString: url });
    await listener.connect();
    try {
      const heard: string[] = [];
      const twoHeard = new Promise<void>((resolve) =>
        listener.on('notification', (m) => {
          if (m.channel === LOG_CHANNEL) heard.push(m.payload ?? '');
          if (heard.length === 2) resolve();
        }),
      );
      await listener.query(`LISTEN ${LOG_CHANNEL}`);
      stored(await node.store.events.append(req([added('box-1', 'a'), added('box-2', 'b')])));
      stored(await node.store.events.append(req([added('box-3', 'c')])));
      await twoHeard;
      expect(heard).toEqual(['2', '3']);
    } finally {
      await listener.end();
    }
  });
});
