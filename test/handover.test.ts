import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Partner } from '../src/config/partners-config.ts';
import { freePort, startCentre, type Centre } from './support/centres.ts';
import { CITY_HALL_CARDIAC_ARREST } from './support/server.ts';

/** The key the two centres share (each reads it from its own configuration). */
const KEY = 'shared-mutual-aid-key-0123456789abcdef';
const sign = (key: string, body: string, timestamp = String(Math.floor(Date.now() / 1000))) => ({
  'x-samaritan-timestamp': timestamp,
  'x-samaritan-signature': `sha256=${createHmac('sha256', key).update(`${timestamp}.${body}`).digest('hex')}`,
});
const OAKLAND = { location: { lat: 37.8044, lon: -122.2712 }, nature: 'structure_fire', priority: 2, address: '1 Frank H Ogawa Plaza, Oakland' } as const;

let portA = 0;
let portB = 0;
let a: Centre;
let b: Centre;
/** A hands over to B in EIDO; B hands over to A in EMSI; A also knows a centre "c" at B's address that B does not know. */
const partnersOfA = (): Partner[] => [
  { id: 'b', name: 'Centre B', url: `http://127.0.0.1:${portB}/api/partners/a/incidents`, format: 'eido', key: KEY },
  { id: 'c', name: 'Centre C', url: `http://127.0.0.1:${portB}/api/partners/c/incidents`, format: 'eido', key: KEY },
];
const partnersOfB = (): Partner[] => [{ id: 'a', name: 'Centre A', url: `http://127.0.0.1:${portA}/api/partners/b/incidents`, format: 'emsi', key: KEY }];

beforeAll(async () => {
  [portA, portB] = [await freePort(), await freePort()];
  [a, b] = await Promise.all([startCentre(portA, partnersOfA()), startCentre(portB, partnersOfB())]);
}, 60_000);
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
});

async function logIncident(c: Centre, details: object = CITY_HALL_CARDIAC_ARREST): Promise<string> {
  const res = await c.request('POST', '/api/incidents', details);
  expect(res.status, res.text).toBe(201);
  return res.body.id as string;
}

/** Waits until the incident's hand-over reaches a final state (acknowledged or refused) and returns it. */
async function settled(c: Centre, incidentId: string, handoverId: string) {
  return vi.waitFor(
    async () => {
      const res = await c.request('GET', `/api/incidents/${incidentId}`);
      const h = (res.body.handovers as { handoverId: string; status: string }[] | undefined)?.find((x) => x.handoverId === handoverId);
      if (h === undefined || h.status === 'requested' || h.status === 'sent') throw new Error(`hand-over ${handoverId} is ${h?.status}`);
      return h as Record<string, unknown>;
    },
    { timeout: 30_000, interval: 50 },
  );
}

async function handOver(from: Centre, incidentId: string, partnerId: string): Promise<string> {
  const res = await from.request('POST', `/api/incidents/${incidentId}/handover`, { partnerId, reason: 'their engine is closer' });
  expect(res.status, res.text).toBe(202);
  expect(res.body).toMatchObject({ incidentId, partnerId, status: 'requested' });
  return res.body.handoverId as string;
}

describe('handing incidents over between two centres', () => {
  it('A hands an incident to B in EIDO: B takes it in marked with A as its origin, and A records it acknowledged', async () => {
    const id = await logIncident(a);
    const handoverId = await handOver(a, id, 'b');
    const h = await settled(a, id, handoverId);
    expect(h).toMatchObject({ status: 'acknowledged', partnerId: 'b', format: 'eido', attempts: 1, reason: 'their engine is closer' });
    const theirs = await b.request('GET', `/api/incidents/${h['partnerIncidentId']}`);
    expect(theirs.status).toBe(200);
    expect(theirs.body).toMatchObject({
      source: 'partner:a',
      externalId: expect.stringContaining(id),
      nature: 'cardiac_arrest',
      address: '1 Dr Carlton B Goodlett Pl',
      location: CITY_HALL_CARDIAC_ARREST.location,
    });
    const timeline = (await a.request('GET', `/api/incidents/${id}`)).body;
    expect(JSON.stringify(timeline)).toContain('IncidentHandOverAcknowledged');
  });

  it('B hands an incident outside the service area to A in EMSI: A takes it, marked outside, with B as its origin', async () => {
    const id = await logIncident(b, { ...OAKLAND, outsideServiceArea: 'accept' });
    const handoverId = await handOver(b, id, 'a');
    const h = await settled(b, id, handoverId);
    expect(h).toMatchObject({ status: 'acknowledged', partnerId: 'a', format: 'emsi' });
    const theirs = await a.request('GET', `/api/incidents/${h['partnerIncidentId']}`);
    expect(theirs.body).toMatchObject({ source: 'partner:b', externalId: id, outsideServiceArea: true, location: OAKLAND.location });
  });

  it('a repeated delivery changes nothing: the same document again, and the incident handed over again, find the same incident', async () => {
    const id = await logIncident(a);
    const first = await settled(a, id, await handOver(a, id, 'b'));
    const before = (await b.request('GET', '/api/incidents?limit=500')).text;
    const again = await settled(a, id, await handOver(a, id, 'b'));
    expect(again).toMatchObject({ status: 'acknowledged', partnerIncidentId: first['partnerIncidentId'] });
    // The very same signed request, replayed within its timestamp window.
    const doc = (await a.request('GET', `/api/incidents/${id}/eido`)).text;
    const replay = await b.request('POST', '/api/partners/a/incidents', doc, { authorization: '', ...sign(KEY, doc) });
    expect(replay.status, replay.text).toBe(200);
    expect(replay.body).toMatchObject({ acknowledged: true, incidentId: first['partnerIncidentId'], created: false, changed: false });
    const theirs = (await b.request('GET', `/api/incidents/${first['partnerIncidentId']}`)).body;
    expect(theirs.timeline.filter((e: { type: string }) => e.type === 'IncidentReceived')).toHaveLength(1);
    expect((await b.request('GET', '/api/incidents?limit=500')).text).toBe(before);
  });

  it('a partner that is down gets the hand-over once it is back: retried with backoff, never holding up dispatch', async () => {
    await b.close();
    const id = await logIncident(a);
    const handoverId = await handOver(a, id, 'b');
    // Dispatch goes on while the partner is unreachable.
    const units = await a.request('GET', `/api/incidents/${id}/recommendation`);
    expect(units.status).toBe(200);
    await vi.waitFor(() => expect(a.log.join('\n')).toContain(`hand-over ${handoverId} to b: attempt 1 failed`), { timeout: 30_000, interval: 20 });
    expect((await a.request('GET', `/api/incidents/${id}`)).body.handovers[0].status).toBe('requested');
    b = await startCentre(portB, partnersOfB());
    const h = await settled(a, id, handoverId);
    expect(h['status']).toBe('acknowledged');
    expect(h['attempts']).toBeGreaterThan(1);
    expect((await b.request('GET', `/api/incidents/${h['partnerIncidentId']}`)).body.source).toBe('partner:a');
  });

  it('refuses a bad signature, a stale timestamp and an unknown partner with 401, taking nothing in; the sender records the refusal', async () => {
    const doc = (await a.request('GET', `/api/incidents/${await logIncident(a)}/eido`)).text;
    const before = (await b.request('GET', '/api/incidents?limit=500')).text;
    const post = (path: string, headers: Record<string, string>) => b.request('POST', path, doc, { authorization: '', ...headers });
    for (const res of [
      await post('/api/partners/a/incidents', sign('another-key-of-at-least-32-characters!!', doc)),
      await post('/api/partners/a/incidents', sign(KEY, doc, String(Math.floor(Date.now() / 1000) - 3600))),
      await post('/api/partners/a/incidents', {}),
      await post('/api/partners/nobody/incidents', sign(KEY, doc)),
      await b.request('POST', '/api/partners/a/incidents', doc.replace('cardiac', 'CARDIAC'), { authorization: '', ...sign(KEY, doc) }),
    ]) {
      expect(res.status, res.text).toBe(401);
      expect(res.body.error.code).toBe('PartnerSignatureInvalid');
    }
    expect((await b.request('GET', '/api/incidents?limit=500')).text).toBe(before);
    // A knows "c" at B's address, but B does not know A as "c": refused, recorded, not retried.
    const id = await logIncident(a);
    const h = await settled(a, id, await handOver(a, id, 'c'));
    expect(h).toMatchObject({ status: 'refused', attempts: 1, refusal: { status: 401, reason: expect.stringContaining('PartnerSignatureInvalid') } });
  });

  it('an invalid document, correctly signed, is 422 with the path of every error', async () => {
    const bad = JSON.stringify({ $id: 'x' });
    const count = async () => (await b.request('GET', '/api/incidents?status=all&limit=1000')).body.incidents.length as number;
    const before = await count();
    const res = await b.request('POST', '/api/partners/a/incidents', bad, { authorization: '', ...sign(KEY, bad) });
    expect(res.status, res.text).toBe(422);
    expect(res.body.error.code).toBe('InvalidDocument');
    const errors = res.body.error.details.errors as { path: string; message: string }[];
    for (const e of errors) expect(e).toEqual({ path: expect.stringMatching(/^\//), message: expect.any(String) });
    expect(errors.map((e) => e.path)).toEqual(expect.arrayContaining(['/eidoVersion', '/lastUpdateTimeStamp', '/agencyComponent']));
    expect(await count()).toBe(before);
  });

  it('a hand-over to an unknown partner is 404; the list of partners shows neither address nor key', async () => {
    const id = await logIncident(a);
    const unknown = await a.request('POST', `/api/incidents/${id}/handover`, { partnerId: 'nowhere', reason: 'x' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('UnknownPartner');
    expect((await a.request('GET', '/api/partners')).body).toEqual([
      { id: 'b', name: 'Centre B', format: 'eido' },
      { id: 'c', name: 'Centre C', format: 'eido' },
    ]);
  });
});
