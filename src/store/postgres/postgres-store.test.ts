import { createServer, connect, type Server, type Socket } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../../../test/support/postgres.ts';
import type { PendingEvent, StoredEvent } from '../../core/events.ts';
import { describeStoreContract, testProjector, type TestState } from '../contract.ts';
import { added, req, stored } from '../contract/test-model.ts';
import { IDEMPOTENCY_TTL_MS, type AppendRequest } from '../event-store.ts';
import { StorageUnavailable } from '../storage-unavailable.ts';
import type { Store } from '../store.ts';
import { openPostgresStore, type PostgresHandle } from './open-postgres.ts';
import { LOG_CHANNEL, LOG_LOCK } from './postgres-store.ts';

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

describe('PostgreSQL: Idempotency-Key records', () => {
  it('expired records are deleted from the table by the next write of a key, not only hidden', async () => {
    let now = Date.parse('2025-06-01T12:00:00.000Z');
    const { store, pool } = await openPostgresStore(await server.createDatabase('idem'), testProjector, () => now);
    try {
      const keyed = (stream: string, key: string): AppendRequest => ({
        expected: new Map([[stream, 0]]),
        events: [{ stream, type: 'Added', at: new Date(now).toISOString(), data: { item: stream } } as unknown as PendingEvent],
        actor: { kind: 'system', id: 'test' },
        idempotency: { key, fingerprint: key, result: stream },
      });
      const keys = async () => (await pool.query<{ key: string }>('SELECT key FROM idempotency ORDER BY key')).rows.map((r) => r.key);
      stored(await store.events.append(keyed('box-1', 'old-1')));
      stored(await store.events.append(keyed('box-2', 'old-2')));
      now += IDEMPOTENCY_TTL_MS + 60_000;
      stored(await store.events.append(keyed('box-3', 'new')));
      expect(await keys()).toEqual(['new']);
    } finally {
      await store.close();
    }
  });
});

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

/** A TCP relay to the test server that can be taken down and brought back on the same port: the server, as the nodes see it. */
async function relayTo(target: { readonly hostname: string; readonly port: number }) {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  const up = (port: number) =>
    new Promise<number>((resolve, reject) => {
      if (server?.listening) return resolve(port);
      server = createServer((client) => {
        const upstream = connect(target.port, target.hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('error', () => {});
          s.on('close', () => {
            sockets.delete(s);
            client.destroy();
            upstream.destroy();
          });
        }
        client.pipe(upstream).pipe(client);
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve((server!.address() as { port: number }).port));
    });
  const port = await up(0);
  return {
    port,
    down: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server!.close(() => resolve());
      }),
    up: () => up(port),
  };
}

describe('PostgreSQL: a group commit whose connection dies', () => {
  it('fails every request of the group with StorageUnavailable, writes none of them, and the log goes on without a gap', async () => {
    const url = await server.createDatabase('group_dies');
    const { store } = await openPostgresStore<TestState>(url, testProjector);
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      stored(await store.events.append(req([added('box-0', 'x')])));
      // Another node holds the log: the group's transaction waits for the lock, then its connection is ended.
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock($1)', [LOG_LOCK]);
      const group = [1, 2, 3].map((i) => store.events.append(req([added(`box-${i}`, 'a')])).catch((e: unknown) => e));
      let waiting: number | undefined;
      while (waiting === undefined) {
        const { rows } = await holder.query<{ pid: number }>(
          "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory'",
        );
        waiting = rows[0]?.pid;
      }
      await holder.query('SELECT pg_terminate_backend($1)', [waiting]);
      await holder.query('COMMIT');
      for (const outcome of await Promise.all(group)) expect(outcome).toBeInstanceOf(StorageUnavailable);
      expect(await store.events.headSeq()).toBe(1);
      expect(stored(await store.events.append(req([added('box-1', 'a')])))[0]?.seq).toBe(2);
    } finally {
      await holder.end();
      await store.close();
    }
  });
});

describe('PostgreSQL: a server that cannot be reached', () => {
  it('an append is refused with StorageUnavailable and writable() says false; both recover when the server is back, with no gap in seq', async () => {
    const url = new URL(await server.createDatabase('outage'));
    const relay = await relayTo({ hostname: url.hostname, port: Number(url.port) });
    url.port = String(relay.port);
    const { store } = await openPostgresStore<TestState>(url.toString(), testProjector);
    try {
      stored(await store.events.append(req([added('box-1', 'a')])));
      expect(await store.writable()).toBe(true);
      await relay.down();
      const refused = await store.events.append(req([added('box-2', 'b')])).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(StorageUnavailable);
      expect(refused).toMatchObject({ failure: 'cannot_open' });
      expect(await store.writable()).toBe(false);
      await expect(store.events.headSeq()).rejects.toBeInstanceOf(StorageUnavailable);
      await relay.up();
      expect(await store.writable()).toBe(true);
      expect(stored(await store.events.append(req([added('box-2', 'b')])))[0]?.seq).toBe(2);
    } finally {
      await relay.up();
      await store.close();
      await relay.down();
    }
  });
});
