import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { startTestPostgres, type TestPostgres } from '../../../test/support/postgres.ts';
import type { Harness } from '../contract/harness.ts';
import { shortLivedRules } from '../contract/short-lived.ts';
import type { TestState } from '../contract/test-model.ts';
import type { Store } from '../store.ts';
import { PostgresShortLived } from './postgres-short-lived.ts';
import { SHORT_LIVED_SCHEMA } from './schema-short-lived.ts';

let server: TestPostgres;
const pools: pg.Pool[] = [];

beforeAll(async () => {
  server = await startTestPostgres();
}, 120_000);
afterAll(async () => {
  await server.stop();
});
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.end()));
});

/** A fresh database with the table, and a pool on it per node. */
async function database(): Promise<string> {
  const url = await server.createDatabase('short_lived');
  const pool = poolOn(url);
  await pool.query(SHORT_LIVED_SCHEMA);
  return url;
}

function poolOn(url: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max });
  // pool.end() resolves before its clients' connections are closed: stopping the server then may
  // reach one of them as an error event, with no query to fail.
  pool.on('error', () => {});
  pools.push(pool);
  return pool;
}

/**
 * The contract's rules for the short-lived records, on PostgreSQL. They touch only `shortLived`
 * and reopening, so a harness of those is enough until the whole PostgreSQL store runs the suite.
 */
describe('Store contract: PostgreSQL (short-lived records only)', () => {
  let url = '';
  let shortLived: PostgresShortLived | undefined;
  let now = Date.now();
  beforeEach(async () => {
    url = await database();
    shortLived = new PostgresShortLived(poolOn(url));
    now = Date.now();
  });
  const h = {
    get store() {
      if (!shortLived) throw new Error('opened for each test');
      return { shortLived } as unknown as Store<TestState>;
    },
    durable: true,
    clock: { now: () => now, advance: (ms: number) => void (now += ms) },
    async reopen() {
      await Promise.all(pools.splice(0).map((p) => p.end()));
      shortLived = new PostgresShortLived(poolOn(url));
      return h.store;
    },
  } as unknown as Harness;
  shortLivedRules(h);
});

describe('PostgreSQL short-lived records across two nodes', () => {
  let a: PostgresShortLived;
  let b: PostgresShortLived;
  let admin: pg.Pool;
  beforeEach(async () => {
    const url = await database();
    a = new PostgresShortLived(poolOn(url));
    b = new PostgresShortLived(poolOn(url));
    admin = poolOn(url, 2);
  });

  it('two nodes taking one secret at once: exactly one of them gets it, every time', async () => {
    const now = Date.now();
    for (let round = 0; round < 20; round++) {
      await a.put(`ticket-${round}`, { round }, now + 30_000);
      const got = await Promise.all([
        ...Array.from({ length: 4 }, () => a.take(`ticket-${round}`, now)),
        ...Array.from({ length: 4 }, () => b.take(`ticket-${round}`, now)),
      ]);
      expect(got.filter((v) => v !== undefined)).toEqual([{ round }]);
    }
  });

  it('two nodes incrementing the same counters at once lose no increment', async () => {
    const now = Date.now();
    // Both keys in each update, named in both orders: also no deadlock between the two nodes.
    const inc = (node: PostgresShortLived, keys: readonly string[]) =>
      node.update(keys, now, (current) => ({
        values: current.map((c) => ({ n: ((c as { n: number } | undefined)?.n ?? 0) + 1 })),
        expiresAt: now + 60_000,
        result: undefined,
      }));
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => [inc(a, ['pair', 'name']), inc(b, i % 2 === 0 ? ['name', 'pair'] : ['pair', 'name'])]).flat(),
    );
    expect(await a.get('pair', now)).toEqual({ n: 60 });
    expect(await b.get('name', now)).toEqual({ n: 60 });
  });

  it('a node’s update of a key waits for the other node’s transaction on it, and reads what that committed', async () => {
    const now = Date.now();
    // Another node in the middle of an update of 'slow': its lock taken, its write not yet committed.
    const other = await admin.connect();
    try {
      await other.query('BEGIN');
      await other.query("SELECT pg_advisory_xact_lock($1, hashtext('slow'))", [0x53484c54]);
      const second = b.update(['slow'], now, ([c]) => ({ values: [{ seen: c ?? null }], expiresAt: now + 60_000, result: c }));
      await waitForLockWaiter(admin);
      await other.query(`INSERT INTO short_lived (key, value, expires_at) VALUES ('slow', '"first"', $1)`, [now + 60_000]);
      await other.query('COMMIT');
      expect(await second).toBe('first');
      expect(await a.get('slow', now)).toEqual({ seen: 'first' });
    } finally {
      other.release();
    }
  });

  it('a key PostgreSQL text cannot hold (U+0000) is escaped, not refused', async () => {
    const now = Date.now();
    await a.put('signin:name:a\u0000b', 1, now + 1_000);
    expect(await b.get('signin:name:a\u0000b', now)).toBe(1);
    const { rows } = await admin.query<{ key: string }>('SELECT key FROM short_lived');
    expect(rows.map((r) => r.key)).toEqual(['signin:name:a\\0b']);
  });
});

/** Resolves once a session waits for an advisory lock; fails after 10 s of never seeing one. */
async function waitForLockWaiter(pool: pg.Pool): Promise<void> {
  for (let i = 0; i < 1_000; i++) {
    const { rows } = await pool.query("SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted");
    if (rows.length > 0) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('no update ever waited for the lock');
}
