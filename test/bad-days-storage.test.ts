import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../src/store/sqlite/open-sqlite.ts';
import { StorageUnavailable } from '../src/store/storage-unavailable.ts';
import { added, req, testProjector, type TestState } from '../src/store/contract/test-model.ts';
import type { Store } from '../src/store/store.ts';
import { CITY_HALL_CARDIAC_ARREST, startTestServer, type TestServer } from './support/server.ts';

/**
 * A full or read-only disk, for real: SQLite itself refuses the writes. Tests may run as root, for
 * whom file modes do not stop a write, so the disk's refusal is made in SQLite: `query_only` (every
 * write fails SQLITE_READONLY), `max_page_count` (the file cannot grow: SQLITE_FULL), and another
 * connection holding the write lock (SQLITE_BUSY once the wait runs out).
 */

/** The live connection under the server's store (the SQLite store exposes it for the tables beside the log). */
const connectionOf = (t: TestServer) => (t.app.store as unknown as { readonly database: Database.Database }).database;

describe('a read-only disk under a running server', () => {
  let t: TestServer | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'samaritan-bad-disk-'));
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes answer 503 StorageUnavailable with Retry-After, /readyz 503 while /healthz stays 200, reads go on; all recovers by itself and nothing acknowledged is lost', async () => {
    t = await startTestServer({ dataDir: dir });
    const before = await t.request('POST', '/api/incidents', CITY_HALL_CARDIAC_ARREST);
    expect(before.status, before.text).toBe(201);
    expect((await t.request('GET', '/readyz', undefined, { authorization: '' })).status).toBe(200);

    connectionOf(t).pragma('query_only = ON');
    const refused = await t.request('POST', '/api/incidents', CITY_HALL_CARDIAC_ARREST);
    expect(refused.status, refused.text).toBe(503);
    expect(refused.body.error.code).toBe('StorageUnavailable');
    expect(refused.body.error.message).toMatch(/read-only/);
    expect(refused.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    const moved = await t.request('POST', '/api/units/E36/status', { status: 'out_of_service' });
    expect(moved.status, moved.text).toBe(503);

    const ready = await t.request('GET', '/readyz', undefined, { authorization: '' });
    expect(ready.status).toBe(503);
    expect(ready.body.error.code).toBe('StorageUnavailable');
    expect(ready.headers.get('retry-after')).toMatch(/^\d+$/);
    // Still failing on a second look: the probe is a write, not a memory of the last success.
    expect((await t.request('GET', '/readyz', undefined, { authorization: '' })).status).toBe(503);
    expect((await t.request('GET', '/healthz', undefined, { authorization: '' })).status).toBe(200);
    expect((await t.request('GET', `/api/incidents/${before.body.id}`)).status).toBe(200);

    connectionOf(t).pragma('query_only = OFF');
    expect((await t.request('GET', '/readyz', undefined, { authorization: '' })).status).toBe(200);
    const after = await t.request('POST', '/api/incidents', CITY_HALL_CARDIAC_ARREST);
    expect(after.status, after.text).toBe(201);

    // Reopened from the file: both acknowledged incidents, the refused one nowhere.
    await t.close();
    t = await startTestServer({ dataDir: dir });
    const ids = ((await t.request('GET', '/api/incidents?status=all')).body.incidents as { id: string }[]).map((i) => i.id);
    expect(ids.sort()).toEqual([before.body.id, after.body.id].sort());
    expect((await t.request('GET', '/api/units/E36')).body.status).toBe('available');
  });
});

describe('the SQLite store names each storage failure', () => {
  const dirs: string[] = [];
  const stores: Store<TestState>[] = [];
  afterAll(async () => {
    for (const s of stores) await s.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const open = () => {
    const dir = mkdtempSync(join(tmpdir(), 'samaritan-storage-'));
    dirs.push(dir);
    const store = openSqliteStore<TestState>(dir, testProjector);
    stores.push(store);
    return { dir, store, db: (store.events as unknown as { readonly database: Database.Database }).database };
  };
  let n = 0;
  /** An append of one new stream with an event of about `bytes` of data. */
  const append = (store: Store<TestState>, bytes = 10) => store.events.append(req([added(`box-${++n}`, 'x'.repeat(bytes))]));
  const failureOf = async (p: Promise<unknown>) => {
    const e: unknown = await p.then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(StorageUnavailable);
    return (e as StorageUnavailable).failure;
  };

  it('a file that cannot grow (disk full) fails the append as full, and the store is writable again once it can', async () => {
    const { store, db } = open();
    expect((await append(store)).ok).toBe(true);
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages}`);
    // Larger than a page: it needs new pages whatever room the last page had.
    expect(await failureOf(append(store, 20_000))).toBe('full');
    db.pragma('max_page_count = 1073741823');
    expect(await store.writable()).toBe(true);
    expect((await append(store, 20_000)).ok).toBe(true);
  });

  it('a read-only file fails appends and the tables beside the log as read_only; writable() is false until it is not', async () => {
    const { store, db } = open();
    db.pragma('query_only = ON');
    expect(await failureOf(append(store))).toBe('read_only');
    expect(await failureOf(Promise.resolve().then(() => store.outbox.enqueue([], 7, 0)))).toBe('read_only');
    expect(await store.writable()).toBe(false);
    db.pragma('query_only = OFF');
    expect(await store.writable()).toBe(true);
    expect((await append(store)).ok).toBe(true);
  });

  it('writable() costs no write while writes go through; a disk gone read-only is noticed by the first write it fails, and from then on writable() probes until one goes through', async () => {
    const { store, db } = open();
    const probed = () => db.prepare("SELECT value FROM meta WHERE key = 'probed_at'").get() as { value: string } | undefined;
    expect(await store.writable()).toBe(true);
    expect((await append(store)).ok).toBe(true);
    expect(await store.writable()).toBe(true);
    expect(probed()).toBeUndefined();

    db.pragma('query_only = ON');
    expect(await store.writable()).toBe(true); // no write has met the disk's refusal yet
    expect(await failureOf(append(store))).toBe('read_only');
    expect(await store.writable()).toBe(false);
    expect(await store.writable()).toBe(false); // asked the disk again, not its memory
    db.pragma('query_only = OFF');
    expect(await store.writable()).toBe(true);
    const first = probed();
    expect(first).toBeDefined();
    // Recovered: back to answering from memory.
    expect(await store.writable()).toBe(true);
    expect(probed()).toEqual(first);
  });

  it('a write lock another process holds past the wait fails the append as busy', async () => {
    const { dir, store, db } = open();
    db.pragma('busy_timeout = 50');
    const other = new Database(join(dir, 'samaritan.db'));
    try {
      other.exec('BEGIN EXCLUSIVE');
      expect(await failureOf(append(store))).toBe('busy');
      other.exec('COMMIT');
    } finally {
      other.close();
    }
    expect(await store.writable()).toBe(true);
    expect((await append(store)).ok).toBe(true);
  });

  it('a database file that cannot be opened is cannot_open', () => {
    const dir = mkdtempSync(join(tmpdir(), 'samaritan-storage-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'samaritan.db')); // a directory where the file should be
    let thrown: unknown;
    try {
      openSqliteStore<TestState>(dir, testProjector);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(StorageUnavailable);
    expect((thrown as StorageUnavailable).failure).toBe('cannot_open');
  });
});
