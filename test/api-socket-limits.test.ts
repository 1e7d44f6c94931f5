import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { openSamaritan, type Samaritan } from '../src/composition/samaritan.ts';
import { buildServer } from '../src/server/app.ts';
import { openMemoryStore } from '../src/store/memory/open-memory.ts';
import { ManualClock } from '../src/time/clock.ts';

/**
 * The WebSocket routes hold a bounded number of sockets, per credential and in all, and a client
 * may send only small messages at a bounded rate. Real sockets against the real server, whose log
 * lines are captured; the message window runs on a clock moved by hand.
 */

const LIMITS = { perCredential: 2, total: 4, maxPayload: 1024, maxMessages: 5, windowMs: 10_000 };

/** A client socket: what it received, and how it ended. */
interface Client {
  readonly ws: WebSocket;
  readonly messages: Record<string, unknown>[];
  readonly closed: Promise<number>;
  /** Resolves once `n` messages matching `pred` have arrived, or the socket closed. */
  until(pred: (m: Record<string, unknown>) => boolean, n: number): Promise<void>;
}

type Opened = { ok: true; client: Client } | { ok: false; status: number; body: { error?: { code?: string } } };

function open(url: string, token: string): Promise<Opened> {
  const ws = new WebSocket(url, { headers: { authorization: `Bearer ${token}` } });
  const messages: Record<string, unknown>[] = [];
  const listeners = new Set<() => void>();
  ws.on('message', (data) => {
    messages.push(JSON.parse(String(data)) as Record<string, unknown>);
    for (const l of listeners) l();
  });
  const closed = new Promise<number>((resolve) =>
    ws.once('close', (code) => {
      for (const l of listeners) l();
      resolve(code);
    }),
  );
  const until = (pred: (m: Record<string, unknown>) => boolean, n: number) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (messages.filter(pred).length >= n || ws.readyState === WebSocket.CLOSED) {
          listeners.delete(check);
          resolve();
        }
      };
      listeners.add(check);
      check();
    });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ok: true, client: { ws, messages, closed, until } }));
    ws.once('unexpected-response', (_req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ ok: false, status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') }));
    });
    ws.once('error', reject);
  });
}

async function opened(url: string, token: string): Promise<Client> {
  const o = await open(url, token);
  if (!o.ok) throw new Error(`upgrade refused: ${o.status} ${JSON.stringify(o.body)}`);
  return o.client;
}

/** Polls `check` until it holds (the server counts a socket out when its own side has closed). */
async function eventually(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('WebSocket limits', () => {
  const dir = mkdtempSync(join(tmpdir(), 'samaritan-sockets-'));
  const clock = new ManualClock();
  const lines: string[] = [];
  let app: Samaritan;
  let server: FastifyInstance;
  let consoleUrl: string;
  let responder: string;
  const clients: Client[] = [];

  const token = async (name: string) => (await app.accounts.createToken({ name, role: 'dispatcher', by: 'test' })).token;
  const volunteerToken = async () => {
    const signed = await app.volunteers.signUp({ name: 'Socket Volunteer', phone: '+1 415 555 0101', languages: ['en'], locationConsent: true });
    if (!signed.ok) throw new Error(signed.message);
    return signed.value.token;
  };
  const keep = (c: Client) => (clients.push(c), c);
  const closeAll = async () => {
    const open = clients.splice(0).filter((c) => c.ws.readyState !== WebSocket.CLOSED);
    for (const c of open) c.ws.close();
    await Promise.all(open.map((c) => c.closed));
    await eventually(() => server.websocketServer.clients.size === 0, 'the server to close its side');
  };

  beforeAll(async () => {
    app = await openSamaritan({ dataDir: dir, clock, store: (projector, c) => openMemoryStore(projector, c) });
    server = await buildServer(app, { logger: { level: 'info' }, loggerStream: { write: (line: string) => void lines.push(line) }, sockets: LIMITS });
    const base = (await server.listen({ port: 0, host: '127.0.0.1' })).replace(/^http/, 'ws');
    consoleUrl = `${base}/api/stream`;
    responder = `${base}/api/volunteers/me/stream`;
  });
  afterAll(async () => {
    await closeAll();
    await server?.close();
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a credential holds at most its limit of sockets, over both routes; another credential is not held back', async () => {
    const dispatcher = await token('socket-a');
    keep(await opened(consoleUrl, dispatcher));
    keep(await opened(consoleUrl, dispatcher));
    const third = await open(consoleUrl, dispatcher);
    expect(third.ok).toBe(false);
    if (!third.ok) {
      expect(third.status).toBe(429);
      expect(third.body.error?.code).toBe('TooManyConnections');
    }
    const volunteer = await volunteerToken();
    keep(await opened(responder, volunteer));
    keep(await opened(responder, volunteer));
    expect((await open(responder, volunteer)).ok).toBe(false);
    // One closed, one more may open.
    const first = clients[0]!;
    first.ws.close();
    await first.closed;
    await eventually(() => server.websocketServer.clients.size === 3, 'the server to close its side');
    keep(await opened(consoleUrl, dispatcher));
    await closeAll();
  });

  it('at most the total of sockets are open at once, whoever asks', async () => {
    for (let i = 0; i < LIMITS.total; i++) keep(await opened(consoleUrl, await token(`socket-total-${i}`)));
    const refused = await open(responder, await volunteerToken());
    expect(refused).toMatchObject({ ok: false, status: 429, body: { error: { code: 'TooManyConnections' } } });
    await closeAll();
    keep(await opened(responder, await volunteerToken()));
    await closeAll();
  });

  it('an oversize frame closes the socket with 1009, logged on one line without a stack', async () => {
    const c = keep(await opened(responder, await volunteerToken()));
    const from = lines.length;
    c.ws.send(JSON.stringify({ type: 'ping', pad: 'x'.repeat(LIMITS.maxPayload) }));
    expect(await c.closed).toBe(1009);
    await eventually(() => lines.slice(from).some((l) => l.includes('WS_ERR_')), 'the log line');
    const logged = lines.slice(from).filter((l) => l.includes('WS_ERR_UNSUPPORTED_MESSAGE_LENGTH'));
    expect(logged).toHaveLength(1);
    const entry = JSON.parse(logged[0]!) as Record<string, unknown>;
    expect(entry).toMatchObject({ closeCode: 1009, msg: expect.stringMatching(/^WebSocket closed \(1009\)/) });
    expect(entry).not.toHaveProperty('err');
    expect(logged[0]!.trimEnd()).not.toMatch(/\n|\bat .*:\d+:\d+/);
    // A frame within the limit is fine on a new socket.
    const next = keep(await opened(responder, await volunteerToken()));
    next.ws.send(JSON.stringify({ type: 'ping', pad: 'x'.repeat(LIMITS.maxPayload - 100) }));
    await next.until((m) => m['type'] === 'pong', 1);
    expect(next.messages.filter((m) => m['type'] === 'pong')).toHaveLength(1);
    await closeAll();
  });

  it('a client that sends more messages in a window than it may is closed with 1008; in the next window it may send again', async () => {
    const v = await volunteerToken();
    const steady = keep(await opened(responder, v));
    for (let i = 0; i < LIMITS.maxMessages; i++) steady.ws.send(JSON.stringify({ type: 'ping' }));
    await steady.until((m) => m['type'] === 'pong', LIMITS.maxMessages);
    clock.advance(LIMITS.windowMs);
    for (let i = 0; i < LIMITS.maxMessages; i++) steady.ws.send(JSON.stringify({ type: 'ping' }));
    await steady.until((m) => m['type'] === 'pong', 2 * LIMITS.maxMessages);
    expect(steady.ws.readyState).toBe(WebSocket.OPEN);

    const from = lines.length;
    const flood = keep(await opened(responder, v));
    for (let i = 0; i <= LIMITS.maxMessages + 3; i++) flood.ws.send(JSON.stringify({ type: 'ping' }));
    expect(await flood.closed).toBe(1008);
    expect(flood.messages.filter((m) => m['type'] === 'pong')).toHaveLength(LIMITS.maxMessages);
    expect(lines.slice(from).filter((l) => l.includes('too many messages'))).toHaveLength(1);
    await closeAll();
  });
});

describe('WebSocket limits of a server started without any', () => {
  const dir = mkdtempSync(join(tmpdir(), 'samaritan-default-sockets-'));
  let app: Samaritan;
  let server: FastifyInstance;
  let consoleUrl: string;
  let responder: string;
  const clients: Client[] = [];
  afterAll(async () => {
    for (const c of clients) c.ws.close();
    await Promise.all(clients.map((c) => c.closed));
    await server?.close();
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeAll(async () => {
    app = await openSamaritan({ dataDir: dir, store: (projector, c) => openMemoryStore(projector, c) });
    server = await buildServer(app, { logger: false });
    const base = (await server.listen({ port: 0, host: '127.0.0.1' })).replace(/^http/, 'ws');
    consoleUrl = `${base}/api/stream`;
    responder = `${base}/api/volunteers/me/stream`;
  });

  it('one credential holds eight sockets and is refused the ninth (429 TooManyConnections); another credential still opens one', async () => {
    const token = (await app.accounts.createToken({ name: 'eight sockets', role: 'dispatcher', by: 'test' })).token;
    for (let i = 0; i < 8; i++) clients.push(await opened(consoleUrl, token));
    const ninth = await open(consoleUrl, token);
    expect(ninth.ok).toBe(false);
    if (!ninth.ok) {
      expect(ninth.status).toBe(429);
      expect(ninth.body.error?.code).toBe('TooManyConnections');
    }
    const other = (await app.accounts.createToken({ name: 'another script', role: 'dispatcher', by: 'test' })).token;
    clients.push(await opened(consoleUrl, other));
  });

  it('a phone that acks a busy stretch (150 messages at once: alerts, roles, stand-downs) keeps its socket', async () => {
    const signed = await app.volunteers.signUp({ name: 'Busy Phone', phone: '+1 415 555 0103', languages: ['en'], locationConsent: true });
    if (!signed.ok) throw new Error(signed.message);
    const busy = await opened(responder, signed.value.token);
    clients.push(busy);
    for (let i = 0; i < 150; i++) busy.ws.send(JSON.stringify({ type: 'ping' }));
    await busy.until((m) => m['type'] === 'pong', 150);
    expect(busy.messages.filter((m) => m['type'] === 'pong')).toHaveLength(150);
    expect(busy.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('a message of 16 KiB is taken, and one over 16 KiB closes the socket with 1009', async () => {
    const signed = await app.volunteers.signUp({ name: 'Default Limits', phone: '+1 415 555 0102', languages: ['en'], locationConsent: true });
    if (!signed.ok) throw new Error(signed.message);
    const frame = (bytes: number) => {
      const text = JSON.stringify({ type: 'ping', pad: '' });
      return JSON.stringify({ type: 'ping', pad: 'x'.repeat(bytes - text.length) });
    };
    const fits = await opened(responder, signed.value.token);
    clients.push(fits);
    fits.ws.send(frame(16 * 1024));
    await fits.until((m) => m['type'] === 'pong', 1);
    expect(fits.messages.filter((m) => m['type'] === 'pong')).toHaveLength(1);
    const over = await opened(responder, signed.value.token);
    clients.push(over);
    over.ws.send(frame(16 * 1024 + 1));
    expect(await over.closed).toBe(1009);
  });
});
