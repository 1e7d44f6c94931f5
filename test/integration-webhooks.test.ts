import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { verifySignedRequest } from '../src/alerting/signed-post.ts';
import type { WebhookSubscriber } from '../src/config/webhooks-config.ts';
import { checkEido } from '../src/interop/eido/eido-schema.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const KEY = 'webhook-signing-key-0123456789abcdef';
/** A nature that alerts no volunteer: the log holds only what the test does. */
const ALARM_AT_CITY_HALL = { location: { lat: 37.7793, lon: -122.4193 }, nature: 'alarm', priority: 3, address: '1 Dr Carlton B Goodlett Pl' };

interface Delivery {
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  readonly body: any;
  /** Whether the signature holds for this body with the shared key. */
  readonly signed: boolean;
}

/**
 * A subscriber's endpoint on 127.0.0.1 that keeps its port across a stop and a start, answering
 * 204, or never answering while `hang` is set.
 */
class Receiver {
  readonly received: Delivery[] = [];
  hang = false;
  private server: Server | undefined;
  private readonly held: ServerResponse[] = [];
  port = 0;

  async start(): Promise<this> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const ts = String(req.headers['x-samaritan-timestamp']);
        const signed = verifySignedRequest(KEY, ts, text, String(req.headers['x-samaritan-signature']), Math.floor(Date.now() / 1000));
        this.received.push({ headers: req.headers, text, body: JSON.parse(text) as unknown, signed });
        if (this.hang) this.held.push(res);
        else res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks`;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    for (const r of this.held.splice(0)) r.destroy();
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** The delivery ids received, in arrival order. */
  get deliveries(): string[] {
    return this.received.map((d) => String(d.headers['x-samaritan-delivery']));
  }

  /** The events received (not the EIDO documents). */
  events(): Delivery[] {
    return this.received.filter((d) => d.headers['x-samaritan-event'] !== 'eido');
  }
}

const subscriber = (r: Receiver, more: Partial<WebhookSubscriber> = {}): WebhookSubscriber => ({ id: 'gis', url: r.url, events: 'all', eido: true, key: KEY, ...more });
const fast = (log: string[]) => ({ backoffMs: 20, maxBackoffMs: 200, timeoutMs: 2_000, random: () => 1, log: (line: string) => log.push(line) });

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

async function started(options: Parameters<typeof startTestServer>[0]): Promise<TestServer> {
  const t = await startTestServer(options);
  open.push(t);
  return t;
}

async function receiver(): Promise<Receiver> {
  const r = await new Receiver().start();
  open.push({ close: () => r.stop() });
  return r;
}

async function logIncident(t: TestServer): Promise<string> {
  const res = await t.request('POST', '/api/incidents', ALARM_AT_CITY_HALL);
  expect(res.status, res.text).toBe(201);
  return res.body.id as string;
}

/** What an integration token with events:read reads in GET /api/events after `after`. */
async function visibleEvents(t: TestServer, after: number): Promise<{ seq: number; type: string; stream: string }[]> {
  const token = await t.token('integration', ['events:read']);
  const res = await t.request('GET', `/api/events?after=${after}&limit=1000`, undefined, { authorization: `Bearer ${token}` });
  expect(res.status).toBe(200);
  return res.body.events;
}

/** Waits until the receiver has every event an integration token reads after `after`, in order; returns them. */
async function allArrived(t: TestServer, r: Receiver, after: number): Promise<{ seq: number; type: string; stream: string }[]> {
  return vi.waitFor(
    async () => {
      const expected = await visibleEvents(t, after);
      expect(r.events().map((d) => d.body.seq)).toEqual(expected.map((e) => e.seq));
      return expected;
    },
    { timeout: 20_000, interval: 50 },
  );
}

describe('integration webhooks', () => {
  it('POST each event as GET /api/events shows it, signed, in log order, and the EIDO document after each change of an incident', async () => {
    const r = await receiver();
    const statuses = await receiver();
    const log: string[] = [];
    const t = await started({
      webhooks: [subscriber(r), subscriber(statuses, { id: 'board', events: ['IncidentStatusChanged'], eido: false })],
      webhookOptions: fast(log),
    });
    const head = await t.app.store.headSeq();
    const id = await logIncident(t);
    expect((await t.request('POST', `/api/incidents/${id}/dispatch`, { unitIds: ['E03'] })).status).toBe(200);
    // An account event (a token issued) is never sent: an integration token does not read it either.
    await t.token('admin');
    const expected = await allArrived(t, r, head);
    expect(expected.map((e) => e.type)).toEqual(expect.arrayContaining(['IncidentReceived', 'UnitsDispatched', 'IncidentStatusChanged', 'UnitStatusChanged']));

    expect(r.received.every((d) => d.signed)).toBe(true);
    expect(r.received.every((d) => d.headers['content-type'] === 'application/json')).toBe(true);
    const events = (await visibleEvents(t, head)).filter((e) => e.seq <= expected[expected.length - 1]!.seq);
    expect(r.events().map((d) => d.body)).toEqual(events);
    expect(r.events().every((d) => d.headers['x-samaritan-event'] === d.body.type && d.headers['x-samaritan-delivery'] === String(d.body.seq))).toBe(true);
    expect(r.received.some((d) => /^(user|token|audit)-/.test(String(d.body.stream)))).toBe(false);

    // Each change of the incident is followed by its EIDO document, valid against the official schema.
    const changes = events.filter((e) => e.stream === `incident-${id}` && ['IncidentReceived', 'UnitsDispatched', 'IncidentStatusChanged'].includes(e.type));
    const eidoSent = () => r.received.filter((d) => d.headers['x-samaritan-event'] === 'eido').map((d) => String(d.headers['x-samaritan-delivery']));
    await vi.waitFor(() => expect(eidoSent()).toEqual(changes.map((e) => `${e.seq}-eido`)), { timeout: 20_000, interval: 20 });
    const received = r.received.findIndex((d) => d.body.type === 'IncidentReceived');
    const eido = r.received[received + 1]!;
    expect(eido.headers).toMatchObject({ 'x-samaritan-event': 'eido', 'x-samaritan-incident': id, 'x-samaritan-delivery': `${r.received[received]!.body.seq}-eido` });
    expect(checkEido(eido.body)).toBeUndefined();
    expect(eido.text).toContain(id);
    // Each document comes right after the event it follows.
    for (const e of changes) {
      const at = r.received.findIndex((d) => d.headers['x-samaritan-delivery'] === `${e.seq}-eido`);
      expect(r.received[at - 1]!.body.seq).toBe(e.seq);
    }

    // A subscriber of one event type gets that type alone, and no EIDO.
    await vi.waitFor(() => expect(statuses.received.length).toBeGreaterThan(0), { timeout: 20_000, interval: 20 });
    expect(statuses.received.map((d) => d.body.type)).toEqual(events.filter((e) => e.type === 'IncidentStatusChanged').map((e) => e.type));
    expect(log).toEqual([]);
  });

  it('a receiver that is down gets everything once it is back, once each and in order; dispatch goes on meanwhile', async () => {
    const r = await receiver();
    await r.stop();
    const log: string[] = [];
    const t = await started({ webhooks: [subscriber(r)], webhookOptions: fast(log) });
    const head = await t.app.store.headSeq();
    const first = await logIncident(t);
    await vi.waitFor(() => expect(log.join('\n')).toContain('webhook gis failing, retrying with backoff'), { timeout: 20_000, interval: 20 });
    expect((await t.request('POST', `/api/incidents/${first}/dispatch`, { unitIds: ['E03'] })).status).toBe(200);
    const second = await logIncident(t);
    expect(second).not.toBe(first);
    await r.start();
    await allArrived(t, r, head);
    await vi.waitFor(() => expect(log.join('\n')).toContain('webhook gis working again'), { timeout: 20_000, interval: 20 });
    expect(new Set(r.deliveries).size).toBe(r.deliveries.length);
    expect(r.received.every((d) => d.signed)).toBe(true);
  });

  it('never blocks dispatch: a receiver that takes the request and never answers holds up only its own deliveries', async () => {
    const r = await receiver();
    r.hang = true;
    const log: string[] = [];
    const t = await started({ webhooks: [subscriber(r)], webhookOptions: { ...fast(log), timeoutMs: 60_000 } });
    const id = await logIncident(t);
    await vi.waitFor(() => expect(r.received.length).toBe(1), { timeout: 20_000, interval: 20 });
    // The first request hangs; everything a dispatcher does is answered meanwhile.
    expect((await t.request('POST', `/api/incidents/${id}/dispatch`, { unitIds: ['E03'] })).status).toBe(200);
    expect((await t.request('POST', '/api/units/E03/status', { status: 'en_route' })).status).toBe(200);
    expect((await t.request('GET', `/api/incidents/${id}`)).body.status).toBe('en_route');
    const other = await logIncident(t);
    expect((await t.request('GET', `/api/incidents/${other}`)).status).toBe(200);
    // Nothing overtook the request that hangs: order is kept.
    expect(r.received).toHaveLength(1);
    expect(r.received[0]!.body.type).toBe('IncidentReceived');
  });

  it('a restart resumes from the cursor: what was answered is not sent again, what was not is sent once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'samaritan-webhooks-'));
    open.push({ close: async () => rmSync(dataDir, { recursive: true, force: true }) });
    const r = await receiver();
    const log: string[] = [];
    const options = { dataDir, webhooks: [subscriber(r)], webhookOptions: fast(log) };
    let t = await started(options);
    const head = await t.app.store.headSeq();
    await logIncident(t);
    await allArrived(t, r, head);
    await vi.waitFor(() => expect(r.received.at(-1)?.headers['x-samaritan-event']).toBe('eido'), { timeout: 20_000, interval: 20 });
    const before = r.received.length;

    // Down: the next incident waits in the log, behind the cursor.
    await r.stop();
    const waiting = await logIncident(t);
    await vi.waitFor(() => expect(log.join('\n')).toContain('webhook gis failing'), { timeout: 20_000, interval: 20 });
    await t.close();
    open.splice(open.indexOf(t), 1);

    await r.start();
    t = await started(options);
    const after = await logIncident(t);
    await allArrived(t, r, head);
    const resent = r.received.slice(before);
    expect(resent.some((d) => d.body.data?.incidentId === waiting)).toBe(true);
    expect(resent.some((d) => d.body.data?.incidentId === after)).toBe(true);
    expect(new Set(r.deliveries).size).toBe(r.deliveries.length);
  });
});
