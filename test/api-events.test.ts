import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/time/clock.ts';
import { CIVIC_CENTER, createIncident } from './support/api.ts';
import { startTestServer, type TestServer } from './support/server.ts';

interface ApiEvent {
  seq: number;
  type: string;
  at: string;
  stream: string;
  version: number;
  recordedAt: string;
  actor: { kind: string; id: string };
  requestId?: string;
  data: Record<string, unknown>;
}

/** Audit events, and the stream each one goes to; every other event is a domain event. */
const AUDIT_STREAMS: Readonly<Record<string, RegExp>> = {
  UserAdded: /^user-/,
  UserRoleChanged: /^user-/,
  SignedIn: /^user-/,
  SignedOut: /^user-/,
  TokenIssued: /^token-/,
  TokenRevoked: /^token-/,
  SignInFailed: /^audit-/,
};

/** The id part of a `sam_<id>_<secret>` token. */
const tokenId = (token: string) => token.slice(4, 16);

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('the event log and idempotent creation over HTTP on a real SQLite file', () => {
  const clock = new ManualClock();
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ clock, store: 'sqlite' });
  });
  afterAll(async () => {
    await t.close();
  });

  /** The whole log, read page by page as a client would. */
  const readAll = async (pageSize = 1000, token = t.dispatcherToken): Promise<ApiEvent[]> => {
    const all: ApiEvent[] = [];
    for (;;) {
      const res = await t.request('GET', `/api/events?after=${all.at(-1)?.seq ?? 0}&limit=${pageSize}`, undefined, {
        authorization: `Bearer ${token}`,
      });
      expect(res.status).toBe(200);
      if (res.body.events.length === 0) return all;
      all.push(...(res.body.events as ApiEvent[]));
    }
  };
  const received = async (incidentId: string) =>
    (await readAll()).filter((e) => e.type === 'IncidentReceived' && e.data.incidentId === incidentId);

  it('GET /api/events starts with the demo city: 44 StationOpened then 167 UnitCommissioned, seq 1, 2, 3, …', async () => {
    const events = await readAll();
    expect(events.slice(0, 211).map((e) => e.seq)).toEqual(Array.from({ length: 211 }, (_, i) => i + 1));
    expect(events.filter((e) => e.type === 'StationOpened')).toHaveLength(44);
    expect(events.filter((e) => e.type === 'UnitCommissioned')).toHaveLength(167);
    expect(events[0]).toMatchObject({ type: 'StationOpened', stream: 'station-1', version: 1 });
  });

  it('every event has seq, type, at, stream, actor and data, and seq strictly increases', async () => {
    const incident = await createIncident(t, { location: CIVIC_CENTER, nature: 'odor' });
    // Audit events (sign-ins, tokens) are for admins and supervisors: a dispatcher sees none of them.
    expect((await readAll()).filter((e) => e.type in AUDIT_STREAMS)).toEqual([]);
    const admin = await t.token('admin');
    const events = await readAll(1000, admin);
    for (const e of events) {
      expect(e).toEqual(
        expect.objectContaining({
          seq: expect.any(Number),
          type: expect.any(String),
          stream: expect.any(String),
          actor: { kind: expect.any(String), id: expect.any(String) },
          data: expect.any(Object),
        }),
      );
      expect(e.at).toMatch(ISO);
      expect(e.recordedAt).toMatch(ISO);
      expect(e.stream).toMatch(AUDIT_STREAMS[e.type] ?? /^(incident|unit|station)-/);
    }
    // The audit events so far: the test server's dispatcher token, issued right after the demo city, and the admin's.
    expect(events.filter((e) => e.type in AUDIT_STREAMS)).toEqual([
      expect.objectContaining({ seq: 212, type: 'TokenIssued', stream: `token-${tokenId(t.dispatcherToken)}` }),
      expect.objectContaining({ type: 'TokenIssued', stream: `token-${tokenId(admin)}`, data: expect.objectContaining({ role: 'admin' }) }),
    ]);
    // Who made each change, and in which request.
    expect(events[0]!.actor).toEqual({ kind: 'system', id: 'demo-city' });
    expect(events.find((e) => e.data['incidentId'] === incident)).toMatchObject({
      actor: { kind: 'token', id: tokenId(t.dispatcherToken) },
      requestId: expect.any(String),
    });
    for (let i = 1; i < events.length; i++) expect(events[i]!.seq).toBeGreaterThan(events[i - 1]!.seq);
  });

  it('?after and ?limit page through the log without gaps or repeats, and head is the last seq', async () => {
    const admin = await t.token('admin');
    const whole = await readAll();
    const paged = await readAll(37);
    expect(paged.map((e) => e.seq)).toEqual(whole.map((e) => e.seq));
    // The admin's view has the audit events too; the dispatcher's pages skip them and stay full.
    const everything = await readAll(1000, admin);
    expect(everything.filter((e) => !(e.type in AUDIT_STREAMS)).map((e) => e.seq)).toEqual(whole.map((e) => e.seq));
    expect((await readAll(1, admin)).map((e) => e.seq)).toEqual(everything.map((e) => e.seq));

    const page = await t.request('GET', '/api/events?after=10&limit=5');
    expect(page.body.events.map((e: ApiEvent) => e.seq)).toEqual([11, 12, 13, 14, 15]);
    const afterAudit = await t.request('GET', '/api/events?after=211&limit=2');
    expect(afterAudit.body.events.map((e: ApiEvent) => e.seq)).toEqual(whole.filter((e) => e.seq > 211).slice(0, 2).map((e) => e.seq));
    expect(page.body.head).toBe(everything.at(-1)!.seq);
    const health = await t.request('GET', '/healthz');
    expect(health.body.head).toBe(everything.at(-1)!.seq);
    expect(page.body.next).toBe(15);
    // Past the dispatcher's last event there are only audit events: none for them, and `next` is the head.
    const beyond = await t.request('GET', `/api/events?after=${whole.at(-1)!.seq}`);
    expect(beyond.status).toBe(200);
    expect(beyond.body.events).toEqual([]);
    expect(beyond.body.next).toBe(everything.at(-1)!.seq);
  });

  it('without ?limit a page holds 100 events, and without ?after it starts at the beginning', async () => {
    const res = await t.request('GET', '/api/events');
    expect(res.status).toBe(200);
    expect(res.body.events).toHaveLength(100);
    expect(res.body.events[0].seq).toBe(1);
  });

  it('a new incident appears at the head of the log with its own data, at the time it was received', async () => {
    clock.advance(10_000);
    const before = (await t.request('GET', '/healthz')).body.head as number;
    const id = await createIncident(t, { location: CIVIC_CENTER, nature: 'medical', address: 'Civic Center Plaza' });
    const res = await t.request('GET', `/api/events?after=${before}`);
    expect(res.body.events).toEqual([
      expect.objectContaining({
        seq: before + 1,
        type: 'IncidentReceived',
        stream: `incident-${id}`,
        version: 1,
        at: new Date(clock.now()).toISOString(),
        data: { incidentId: id, location: CIVIC_CENTER, nature: 'medical', priority: 2, address: 'Civic Center Plaza' },
      }),
    ]);
  });

  it('the same Idempotency-Key and body twice: 201 both times, the same incident, idempotent-replayed on the second', async () => {
    const body = { location: CIVIC_CENTER, nature: 'cardiac_arrest', address: 'City Hall' };
    const first = await t.request('POST', '/api/incidents', body, { 'idempotency-key': 'call-0001' });
    const second = await t.request('POST', '/api/incidents', body, { 'idempotency-key': 'call-0001' });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await received(first.body.id as string)).toHaveLength(1);
  });

  it('a retry after the incident moved on returns the incident as it is now, still without a second IncidentReceived', async () => {
    const body = { location: CIVIC_CENTER, nature: 'alarm' };
    const first = await t.request('POST', '/api/incidents', body, { 'idempotency-key': 'call-0002' });
    await t.request('POST', `/api/incidents/${first.body.id}/dispatch`, { unitIds: ['E03'] });
    const retry = await t.request('POST', '/api/incidents', body, { 'idempotency-key': 'call-0002' });
    expect(retry.status).toBe(201);
    expect(retry.body).toMatchObject({ id: first.body.id, status: 'dispatched' });
    expect(await received(first.body.id as string)).toHaveLength(1);
  });

  it('concurrent retries with one Idempotency-Key create exactly one incident', async () => {
    const body = { location: CIVIC_CENTER, nature: 'medical', notes: 'concurrent' };
    const before = (await t.request('GET', '/healthz')).body.head as number;
    const all = await Promise.all(
      Array.from({ length: 8 }, () => t.request('POST', '/api/incidents', body, { 'idempotency-key': 'call-0003' })),
    );
    expect(all.map((r) => r.status)).toEqual(Array(8).fill(201));
    expect(new Set(all.map((r) => r.body.id)).size).toBe(1);
    expect(all.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(7);
    const after = (await t.request('GET', `/api/events?after=${before}`)).body.events as ApiEvent[];
    // Only creates count here: an earlier test's volunteer response may still be starting meanwhile.
    expect(after.filter((e) => e.type === 'IncidentReceived').map((e) => (e.data as { incidentId: string }).incidentId)).toEqual([all[0]!.body.id]);
  });

  it('different Idempotency-Keys with the same body are different calls, and keys do not leak between bodies', async () => {
    const body = { location: CIVIC_CENTER, nature: 'odor' };
    const a = await t.request('POST', '/api/incidents', body, { 'idempotency-key': 'call-0004' });
    const b = await t.request('POST', '/api/incidents', body, { 'idempotency-key': 'call-0005' });
    expect(a.body.id).not.toBe(b.body.id);
    const reused = await t.request('POST', '/api/incidents', { ...body, nature: 'alarm' }, { 'idempotency-key': 'call-0004' });
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('IdempotencyKeyMismatch');
    expect(await received(a.body.id as string)).toHaveLength(1);
  });

  it('without an Idempotency-Key the same body twice makes two incidents', async () => {
    const body = { location: CIVIC_CENTER, nature: 'odor', notes: 'twice' };
    const a = await createIncident(t, body);
    const b = await createIncident(t, body);
    expect(a).not.toBe(b);
  });

  it('the log survives a restart: a new server on the same data dir serves the same events and incidents', async () => {
    const id = await createIncident(t, { location: CIVIC_CENTER, nature: 'gas_leak' });
    const admin = await t.token('admin');
    const before = await readAll(1000, admin);
    const again = await startTestServer({ dataDir: t.dataDir, clock });
    try {
      const res = await again.request('GET', `/api/events?after=0&limit=1000`, undefined, { authorization: `Bearer ${admin}` });
      expect(before.length).toBeLessThan(1000);
      expect(res.body.events.slice(0, before.length)).toEqual(before);
      // The new server issued its own dispatcher token on start: that, and nothing else, was added.
      expect(res.body.events.slice(before.length)).toEqual([
        expect.objectContaining({
          seq: before.at(-1)!.seq + 1,
          type: 'TokenIssued',
          stream: `token-${tokenId(again.dispatcherToken)}`,
          data: expect.objectContaining({ role: 'dispatcher', scopes: [] }),
        }),
      ]);
      expect((await again.request('GET', `/api/incidents/${id}`)).body.nature).toBe('gas_leak');
      expect((await again.request('GET', '/api/stations')).body.stations).toHaveLength(44);
    } finally {
      await again.close();
    }
  });
});
