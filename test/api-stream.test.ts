import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { systemActor } from '../src/core/actor.ts';
import type { PendingEvent, StoredEvent } from '../src/core/events.ts';
import { LogTail } from '../src/log/log-tail.ts';
import { buildServer, type ServerOptions } from '../src/server/app.ts';
import { StreamClient, type StreamSocket } from '../src/server/stream-client.ts';
import { ManualClock } from '../src/time/clock.ts';
import { CIVIC_CENTER, createIncident, expectError } from './support/api.ts';
import { bearer, bounded, sessionHeaders, signIn } from './support/auth.ts';
import { startTestServer, type TestServer } from './support/server.ts';
import { condition, Reader, refused, type Msg } from './support/stream-reader.ts';

const INCIDENT = { location: CIVIC_CENTER, nature: 'structure_fire' } as const;

describe('GET /api/stream: the console’s live stream over a real WebSocket', () => {
  const clock = new ManualClock(Date.now());
  let t: TestServer;
  let ws: string;
  const extra: FastifyInstance[] = [];
  const readers: Reader[] = [];

  const open = (query: string, headers: Record<string, string>, base = ws): Reader => {
    const r = new Reader(`${base}${query}`, headers);
    readers.push(r);
    return r;
  };
  const asDispatcher = () => bearer(t.dispatcherToken);

  /** The log as `token` may read it through GET /api/events, page by page. */
  const readAll = async (after = 0, token = t.dispatcherToken): Promise<(Msg & { stream: string; requestId?: string })[]> => {
    const all: (Msg & { stream: string })[] = [];
    for (;;) {
      const res = await t.request('GET', `/api/events?after=${all.at(-1)?.seq ?? after}&limit=1000`, undefined, bearer(token));
      expect(res.status).toBe(200);
      if (res.body.events.length === 0) return all;
      all.push(...(res.body.events as (Msg & { stream: string })[]));
    }
  };
  const head = async () => (await t.request('GET', '/api/events?limit=1')).body.head as number;

  /** Another HTTP edge on the same running product, with its own stream options. */
  const edge = async (options: ServerOptions['stream']): Promise<string> => {
    const s = await buildServer(t.app, { logger: false, ...(options ? { stream: options } : {}) });
    extra.push(s);
    return `${(await s.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws')}/api/stream`;
  };

  beforeAll(async () => {
    t = await startTestServer({ clock });
    ws = `${t.base.replace('http', 'ws')}/api/stream`;
  });
  afterAll(async () => {
    for (const r of readers) r.ws.terminate();
    for (const s of extra) await s.close();
    await t?.close();
  });

  it('sends one {seq,type,at,actor,data} message per event; a dropped client resumes from its last seq without loss or repeat', async () => {
    const first = open('', asDispatcher());
    await first.opened;
    const start = await head();
    const a = await createIncident(t, INCIDENT);
    await first.until((r) => r.msgs.some((m) => m.data['incidentId'] === a), `incident ${a}`);
    const m = first.msgs.find((x) => x.data['incidentId'] === a)!;
    expect(Object.keys(m).sort()).toEqual(['actor', 'at', 'data', 'seq', 'type']);
    expect(m).toMatchObject({ type: 'IncidentReceived', actor: { kind: 'token', id: t.dispatcherToken.slice(4, 16) } });
    expect(first.seqs[0]).toBeGreaterThan(start);

    first.ws.terminate();
    await first.closed;
    const whileDown = [];
    for (let i = 0; i < 3; i++) whileDown.push(await createIncident(t, INCIDENT));

    const second = open(`?after=${first.lastSeq}`, asDispatcher());
    const expected = await readAll(start);
    await second.until((r) => r.lastSeq >= expected.at(-1)!.seq, 'the events created while disconnected');
    for (const id of whileDown) expect(second.msgs.filter((x) => x.type === 'IncidentReceived' && x.data['incidentId'] === id)).toHaveLength(1);
    const last = expected.at(-1)!.seq;
    const seen = [...first.msgs, ...second.msgs].filter((x) => x.seq <= last);
    expect(seen.map((x) => x.seq)).toEqual(expected.map((e) => e.seq));
    expect(seen).toEqual(expected.map(({ seq, type, at, actor, data }) => ({ seq, type, at, actor, data })));
    second.ws.close();
  });

  it('catches up from after=0 over many pages while incidents are created, then goes live: no gap, no repeat', async () => {
    // Small pages and a small queue limit: many switches from catch-up to live, and catch-up
    // (which waits for the socket to drain) never counts against the limit.
    const small = await edge({ pageSize: 20, maxQueued: 50 });
    const clients: Reader[] = [];
    const producing = bounded(
      4,
      Array.from({ length: 48 }, (_, i) => async () => {
        if (i % 8 === 0) clients.push(open('?after=0', asDispatcher(), small));
        return createIncident(t, { ...INCIDENT, notes: `concurrent ${i}` });
      }),
    );
    await producing;
    const expected = (await readAll()).map((e) => e.seq);
    expect(expected.length).toBeGreaterThan(250);
    expect(clients).toHaveLength(6);
    for (const c of clients) {
      await c.until((r) => r.lastSeq >= expected.at(-1)!, 'the whole log');
      expect(c.seqs.filter((s) => s <= expected.at(-1)!)).toEqual(expected);
      c.ws.close();
    }
  });

  it('the switch from catch-up to live is race-free: events committed during a page read or ahead of the tail arrive once', async () => {
    const log: StoredEvent[] = [];
    const event = (seq: number): StoredEvent =>
      ({ seq, type: 'IncidentReceived', stream: `incident-${seq}`, at: '', version: 1, v: 1, recordedAt: '', actor: systemActor('t'), data: {} }) as unknown as StoredEvent;
    const store = { readAfter: async (after: number, limit: number) => log.filter((e) => e.seq > after).slice(0, limit) };
    const tail = new LogTail(store, 0);
    const commit = (n: number) => {
      const evs = Array.from({ length: n }, (_, i) => event(log.length + 1 + i));
      log.push(...evs);
      return evs;
    };
    tail.publish(commit(25));
    const sent: number[] = [];
    const socket: StreamSocket = {
      readyState: 1,
      send: (data, cb) => {
        sent.push((JSON.parse(data) as Msg).seq);
        setImmediate(() => cb?.());
      },
      ping: () => undefined,
      close: () => undefined,
      terminate: () => undefined,
      on: () => undefined,
    };
    let reads = 0;
    const pending: StoredEvent[][] = [];
    const source = {
      tail,
      readAfter: async (after: number, limit: number) => {
        const page = await store.readAfter(after, limit);
        reads++;
        // Read 3 (short: 21–25): 26–28 are committed and published while the page is on its way,
        // so the cursor (25) is behind the tail (28) and the client must read again.
        if (reads === 3) tail.publish(commit(3));
        // Read 4: 29–30 are committed but not yet published: the page has them, the client goes
        // live ahead of the tail, which delivers them afterwards (and they must not come twice).
        if (reads === 4) {
          pending.push(commit(2));
          return store.readAfter(after, limit);
        }
        return page;
      },
    };
    const client = new StreamClient({
      socket,
      time: new ManualClock(),
      source,
      visible: () => true,
      after: 0,
      limits: { pageSize: 10, maxQueued: 100, heartbeatMs: 60_000 },
      onError: (e) => {
        throw e;
      },
    });
    client.start();
    await condition(() => client.state.live, 'the switch to live');
    for (const evs of pending) tail.publish(evs);
    tail.publish(commit(4));
    await condition(() => sent.length >= log.length, 'every event');
    expect(sent).toEqual(log.map((e) => e.seq));
    expect(reads).toBe(4);
  });

  it('authenticates like the API: bearer, or the session cookie with a single-use ticket bound to the sign-in', async () => {
    const noCredentials = await refused(ws, {});
    expect(noCredentials.status).toBe(401);
    expect(noCredentials.body.error.code).toBe('Unauthenticated');

    await t.app.accounts.addUser('sam-dispatcher', 'dispatcher', 'sam correct horse battery', 'test');
    const s = await signIn(t, 'sam-dispatcher', 'sam correct horse battery');
    const other = await signIn(t, 'sam-dispatcher', 'sam correct horse battery');
    const cookie = { cookie: s.cookie };

    // The cookie alone (as a cross-site page's WebSocket would send it) is refused.
    expect((await refused(ws, cookie)).status).toBe(401);
    expect((await refused(`${ws}?ticket=made-up`, cookie)).status).toBe(401);

    // A ticket needs the CSRF token, like every unsafe request with the cookie.
    expectError(await t.request('POST', '/api/stream/ticket', undefined, sessionHeaders({ cookie: s.cookie })), 403, 'CsrfTokenInvalid');
    const issued = await t.request('POST', '/api/stream/ticket', undefined, sessionHeaders(s));
    expect(issued.status).toBe(200);
    expect(issued.body).toEqual({ ticket: expect.any(String), expiresAt: new Date(clock.now() + 30_000).toISOString() });
    const ticket = issued.body.ticket as string;

    // Bound to the sign-in that asked for it: another session of the same user cannot spend it…
    expect((await refused(`${ws}?ticket=${ticket}`, { cookie: other.cookie })).status).toBe(401);
    // …and a refused attempt spent it.
    expect((await refused(`${ws}?ticket=${ticket}`, cookie)).status).toBe(401);

    const fresh = (await t.request('POST', '/api/stream/ticket', undefined, sessionHeaders(s))).body.ticket as string;
    const browser = open(`?ticket=${encodeURIComponent(fresh)}`, cookie);
    await browser.opened;
    const id = await createIncident(t, INCIDENT);
    await browser.until((r) => r.msgs.some((m) => m.data['incidentId'] === id), 'an event over the ticketed socket');
    browser.ws.close();
    await browser.closed;
    const reused = await refused(`${ws}?ticket=${encodeURIComponent(fresh)}`, cookie);
    expect(reused.status).toBe(401);
    expect(reused.body.error.code).toBe('Unauthenticated');

    // Tickets expire after 30 s.
    const late = (await t.request('POST', '/api/stream/ticket', undefined, sessionHeaders(s))).body.ticket as string;
    clock.advance(31_000);
    expect((await refused(`${ws}?ticket=${encodeURIComponent(late)}`, cookie)).status).toBe(401);

    // Volunteers have their own socket; tokens without events:read cannot open this one.
    expect((await refused(ws, bearer(await t.token('volunteer')))).status).toBe(403);
    expect((await refused(ws, bearer(await t.token('integration', ['units:read'])))).status).toBe(403);
    const integration = open('', bearer(await t.token('integration', ['events:read'])));
    await integration.opened;
    integration.ws.close();
  });

  it('refuses a bad ?after in the API’s error shape, and answers a plain GET with 426', async () => {
    for (const q of ['after=-1', 'after=abc', 'after=1.5', `after=${(await head()) + 1000}`, 'nope=1']) {
      const r = await refused(`${ws}?${q}`, asDispatcher());
      expect(r.status, q).toBe(400);
      expect(r.body.error.code).toBe('ValidationFailed');
    }
    expectError(await t.request('GET', '/api/stream'), 426, 'UpgradeRequired');
  });

  it('filters like GET /api/events: a dispatcher gets no TokenIssued or SignInFailed, an admin does', async () => {
    const adminToken = await t.token('admin');
    const dispatcher = open('', asDispatcher());
    const admin = open('', bearer(adminToken));
    await Promise.all([dispatcher.opened, admin.opened]);
    const start = await head();
    await t.token('integration', ['events:read']);
    expect((await t.request('POST', '/api/session', { name: 'nobody', password: 'wrong password' }, { authorization: '' })).status).toBe(401);
    const marker = await createIncident(t, INCIDENT);
    const got = (m: Msg) => m.data['incidentId'] === marker;
    await Promise.all([dispatcher.until((r) => r.msgs.some(got), 'the marker'), admin.until((r) => r.msgs.some(got), 'the marker')]);

    const audit = ['TokenIssued', 'SignInFailed'];
    expect(dispatcher.msgs.filter((m) => audit.includes(m.type))).toEqual([]);
    expect(admin.msgs.filter((m) => audit.includes(m.type)).map((m) => m.type)).toEqual(audit);
    expect(admin.msgs.find((m) => m.type === 'SignInFailed')!.data).toMatchObject({ name: 'nobody' });

    // The API answers the same: the same events, with their actor and request id.
    const forDispatcher = await readAll(start);
    const forAdmin = await readAll(start, adminToken);
    // Up to the marker (the response engine may add its own events after it, at any time).
    const upTo = dispatcher.msgs.find(got)!.seq;
    const window = (seqs: number[]) => seqs.filter((s) => s > start && s <= upTo);
    expect(window(dispatcher.seqs)).toEqual(window(forDispatcher.map((e) => e.seq)));
    expect(window(admin.seqs)).toEqual(window(forAdmin.map((e) => e.seq)));
    expect(window(admin.seqs)).toHaveLength(window(dispatcher.seqs).length + 2);
    expect(forDispatcher.filter((e) => /^(user|token|audit)-/.test(e.stream))).toEqual([]);
    expect(forAdmin.map((e) => e.type)).toEqual(expect.arrayContaining(audit));
    const received = forDispatcher.find((e) => e.data['incidentId'] === marker)!;
    expect(received.actor).toEqual({ kind: 'token', id: t.dispatcherToken.slice(4, 16) });
    expect(received.requestId).toEqual(expect.any(String));
    dispatcher.ws.close();
    admin.ws.close();
  });

  it('pings every heartbeat interval (15 s, configurable) on the product’s clock, and drops a client that stops answering', async () => {
    // The default: a ping 15 s after opening.
    const plain = open('', asDispatcher());
    await plain.opened;
    clock.advance(15_000);
    await plain.until((x) => x.pings === 1, 'a ping at 15 s');
    plain.ws.close();
    await plain.closed;

    const quick = await edge({ heartbeatMs: 5_000 });
    const server = extra.at(-1)!;
    const serverSideOf = async (r: Reader) => {
      const before = new Set(server.websocketServer.clients);
      await r.opened;
      return [...server.websocketServer.clients].find((c) => !before.has(c))!;
    };
    const r = open('', asDispatcher(), quick);
    const rServer = await serverSideOf(r);
    let pongs = 0;
    rServer.on('pong', () => pongs++);
    for (let i = 1; i <= 3; i++) {
      clock.advance(5_000);
      await r.until((x) => x.pings === i, `ping ${i}`);
      await condition(() => pongs === i, `pong ${i} back at the server`);
    }
    expect(rServer.readyState).toBe(WebSocket.OPEN);
    r.ws.close();
    await r.closed;

    const stalled = open('', asDispatcher(), quick);
    const serverSide = await serverSideOf(stalled);
    stalled.tcp.pause();
    clock.advance(5_000); // a ping it does not answer
    expect(serverSide.readyState).toBe(WebSocket.OPEN);
    clock.advance(5_000); // still no pong: dropped
    await condition(() => serverSide.readyState === WebSocket.CLOSED, 'the silent client to be dropped');
  });

  it('closes a live client that does not read with 4000 once more than 10,000 messages wait for it', async () => {
    const adminToken = await t.token('admin');
    const before = new Set(t.server.websocketServer.clients);
    const r = open('', bearer(adminToken));
    await r.opened;
    const serverSide = [...t.server.websocketServer.clients].find((c) => !before.has(c))!;
    r.tcp.pause();

    // Audit records written straight through the writer: cheap, and large enough to fill the
    // kernel's socket buffers quickly, so that the rest waits in the server's memory.
    const name = 'x'.repeat(2000);
    const batch = (): PendingEvent[] =>
      Array.from({ length: 500 }, (): PendingEvent => ({ type: 'SignInFailed', stream: 'audit-sign-in', at: new Date(clock.now()).toISOString(), data: { name, ip: '192.0.2.1' } }));
    let produced = 0;
    while (serverSide.readyState === WebSocket.OPEN && produced < 40_000) {
      const outcome = await t.app.writer.record(batch(), { actor: systemActor('test') });
      expect(outcome.ok).toBe(true);
      produced += 500;
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(produced).toBeGreaterThan(10_000);
    expect(serverSide.readyState).not.toBe(WebSocket.OPEN);

    r.tcp.resume();
    const closed = await r.closed;
    expect(closed.code).toBe(4000);
    expect(closed.reason).toMatch(/fell behind.*after=/);
    // What did arrive is in order and without a gap, so resuming from the last seq loses nothing.
    expect(r.seqs.every((s, i) => i === 0 || s === r.seqs[i - 1]! + 1)).toBe(true);
    expect(r.msgs.length).toBeLessThan(produced);
  }, 30_000);
});
