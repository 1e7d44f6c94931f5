import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { CallerLocationDesk } from '../src/reactors/caller-location.ts';
import { ManualClock } from '../src/time/clock.ts';
import { CIVIC_CENTER, createIncident, expectError } from './support/api.ts';
import { startTestServer, type TestServer } from './support/server.ts';
import { Reader } from './support/stream-reader.ts';

const SAMPLES = join(import.meta.dirname, 'fixtures', 'standards', 'aml');
const HTTPS_SAMPLE: Readonly<Record<string, string>> = Object.fromEntries(new URLSearchParams(readFileSync(join(SAMPLES, 'https-form.txt'), 'utf8').trim()));
const SMS_SAMPLE = readFileSync(join(SAMPLES, 'sms.txt'), 'utf8').trim();
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const TEXT = { 'content-type': 'text/plain' };
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

describe('POST /api/aml and GET /api/aml on a real server', () => {
  const clock = new ManualClock(Date.UTC(2025, 6, 8, 18, 40, 20));
  let t: TestServer;
  let gateway: Record<string, string>;
  let reader: Reader;

  beforeAll(async () => {
    t = await startTestServer({ clock });
    gateway = { authorization: `Bearer ${await t.token('integration', ['aml:write'])}` };
    reader = new Reader(`${t.base.replace(/^http/, 'ws')}/api/stream`, { authorization: `Bearer ${t.dispatcherToken}` });
    await reader.opened;
  }, 60_000);
  afterAll(async () => {
    reader.ws.close();
    await t.close();
  });

  const incident = async (id: string) => (await t.request('GET', `/api/incidents/${id}`)).body;

  it('a fix with no incident yet is offered: the log and the stream say only that it exists, the form gets the position', async () => {
    const res = await t.request('POST', '/api/aml', form({ ...HTTPS_SAMPLE, device_number: '+14155550111' }), { ...gateway, ...FORM });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ placed: 'offered', fixId: expect.any(String) });
    expect(res.body.incidentId).toBeUndefined();

    await reader.until((r) => r.msgs.some((m) => m.type === 'CallerLocationOffered' && m.data['fixId'] === res.body.fixId), 'the offer on the stream');
    const events = await t.request('GET', '/api/events?after=0&limit=1000');
    const logged = JSON.stringify(events.body.events.filter((e: { type: string }) => e.type.startsWith('CallerLocation')));
    expect(logged).toContain(res.body.fixId);
    for (const personal of ['5550111', '37.77925', '-122.41921']) expect(logged).not.toContain(personal);

    const offered = await t.request('GET', `/api/aml?number=${encodeURIComponent('(415) 555-0111')}`);
    expect(offered.status, offered.text).toBe(200);
    expect(offered.body.fix).toMatchObject({
      id: res.body.fixId,
      number: '+14155550111',
      location: { lat: 37.77925, lon: -122.41921 },
      radiusM: 12,
      method: 'gnss',
      confidencePct: 68,
      via: 'https',
      locatedAt: '2025-07-08T18:40:12.000Z',
    });
    expect((await t.request('GET', '/api/aml?number=4155550999')).body).toEqual({ fix: null });
  });

  it('an incident then created with that callback number gets the fix, on its stream and its timeline', async () => {
    const id = await createIncident(t, { location: CIVIC_CENTER, nature: 'cardiac_arrest', priority: 1, callbackNumber: '415 555 0111' });
    await reader.until((r) => r.msgs.some((m) => m.type === 'CallerLocationReceived' && m.data['incidentId'] === id), 'the placement on the stream');
    const view = await incident(id);
    expect(view.callerLocation).toEqual({
      location: { lat: 37.77925, lon: -122.41921 },
      radiusM: 12,
      locatedAt: '2025-07-08T18:40:12.000Z',
      method: 'gnss',
      confidencePct: 68,
      altitudeM: 18.5,
      floor: '2',
      via: 'https',
    });
    // The typed place stays the call-taker's: the phone's position is beside it, not over it.
    expect(view.location).toEqual(CIVIC_CENTER);
    expect(view.timeline.map((e: { type: string }) => e.type)).toContain('CallerLocationReceived');
  });

  it('an SMS for a number whose incident is being taken goes straight onto that incident, the latest one', async () => {
    const older = await createIncident(t, { location: CIVIC_CENTER, nature: 'medical', priority: 2, callbackNumber: '+1 415 555 0122' });
    clock.advance(60_000);
    const newer = await createIncident(t, { location: CIVIC_CENTER, nature: 'medical', priority: 2, callbackNumber: '(415) 555-0122' });
    const res = await t.request('POST', '/api/aml?from=%2B14155550122', SMS_SAMPLE, { ...gateway, ...TEXT });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ placed: 'incident', incidentId: newer });
    expect((await incident(newer)).callerLocation).toMatchObject({ via: 'sms', radiusM: 12, location: { lat: 37.77925, lon: -122.41921 } });
    expect((await incident(older)).callerLocation).toBeUndefined();
  });

  it('a detail change that adds the number later places the held fix too', async () => {
    const posted = await t.request('POST', '/api/aml', form({ ...HTTPS_SAMPLE, device_number: '+14155550133', location_accuracy: '40' }), { ...gateway, ...FORM });
    expect(posted.body, posted.text).toMatchObject({ placed: 'offered' });
    const id = await createIncident(t, { location: CIVIC_CENTER, nature: 'medical', priority: 2 });
    expect((await t.request('PATCH', `/api/incidents/${id}`, { callbackNumber: '4155550133' })).status).toBe(200);
    // (The stream's heartbeat runs on the manual clock, moved on above: ask the incident instead.)
    let placed: { radiusM: number } | undefined;
    for (let tries = 0; placed === undefined && tries < 500; tries++) {
      placed = (await incident(id)).callerLocation;
      if (placed === undefined) await new Promise((r) => setTimeout(r, 20));
    }
    expect(placed!.radiusM).toBe(40);
  });

  it('other nodes on the same store offer the fix the first one holds, and of all those following the log only one places it', async () => {
    const errors: unknown[] = [];
    // Two more nodes' desks, beside the server's: they follow the same log and share its short-lived records.
    const others = [1, 2].map(
      () =>
        new CallerLocationDesk({
          store: t.app.store,
          records: t.app.shortLived,
          writer: t.app.writer,
          tail: t.app.tail,
          clock: t.app.clock,
          newId: () => randomUUID(),
          onError: (e) => errors.push(e),
        }),
    );
    try {
      const posted = await t.request('POST', '/api/aml', form({ ...HTTPS_SAMPLE, device_number: '+14155550166' }), { ...gateway, ...FORM });
      expect(posted.body, posted.text).toMatchObject({ placed: 'offered' });
      for (const desk of others) expect((await desk.offered('415 555 0166'))?.id).toBe(posted.body.fixId);
      const id = await createIncident(t, { location: CIVIC_CENTER, nature: 'medical', priority: 2, callbackNumber: '4155550166' });
      const placements = async () =>
        ((await t.request('GET', '/api/events?after=0&limit=1000')).body.events as { type: string; data: { incidentId?: string } }[]).filter(
          (e) => e.type === 'CallerLocationReceived' && e.data.incidentId === id,
        ).length;
      // The node that claimed the incident for the fix may be any of the three: wait for its write.
      for (let tries = 0; (await placements()) === 0 && tries < 500; tries++) await new Promise((r) => setTimeout(r, 20));
      for (const desk of others) await desk.settled();
      expect(await placements()).toBe(1);
      expect(errors).toEqual([]);
    } finally {
      for (const desk of others) desk.close();
    }
  });

  it('refuses bad messages with a 4xx code that names the field, and writes nothing', async () => {
    const head = (await t.request('GET', '/api/events?after=0&limit=1')).body.head;
    const post = (body: string, headers: Record<string, string>, query = '') => t.request('POST', `/api/aml${query}`, body, { ...gateway, ...headers });

    const missing = await post(form({ ...HTTPS_SAMPLE, location_latitude: '' }), FORM);
    expectError(missing, 400, 'AmlFieldMissing');
    expect(missing.body.error.details).toEqual({ field: 'location_latitude' });
    const invalid = await post(form({ ...HTTPS_SAMPLE, location_accuracy: 'about ten' }), FORM);
    expectError(invalid, 400, 'AmlFieldInvalid');
    expect(invalid.body.error.details).toEqual({ field: 'location_accuracy' });
    expectError(await post(SMS_SAMPLE.replace('lt=+37.77925', 'lt=+137.7'), TEXT, '?from=4155550144'), 400, 'AmlFieldInvalid');
    expectError(await post(SMS_SAMPLE, TEXT), 400, 'AmlFieldMissing');
    expectError(await post('A"ML=1;lt=;lg=;rd=;top=20250708184012;lc=;pm=N', TEXT, '?from=4155550144'), 422, 'AmlNoPosition');
    expectError(await post('Hello from a phone', TEXT, '?from=4155550144'), 400, 'AmlNotRecognised');
    expectError(await post(JSON.stringify({ lat: 37.7, lon: -122.4 }), { 'content-type': 'application/json' }), 415, 'UnsupportedMediaType');
    expectError(await post('x'.repeat(5000), TEXT, '?from=4155550144'), 413, 'BodyTooLarge');
    expect((await t.request('GET', '/api/events?after=0&limit=1')).body.head).toBe(head);
  });

  it('only the AML gateway posts (aml:write), and only call-taking staff read a fix', async () => {
    const body = form({ ...HTTPS_SAMPLE, device_number: '+14155550155' });
    expectError(await t.request('POST', '/api/aml', body, FORM), 403, 'Forbidden');
    const reader2 = { authorization: `Bearer ${await t.token('integration', ['incidents:write', 'positions:write'])}` };
    expectError(await t.request('POST', '/api/aml', body, { ...reader2, ...FORM }), 403, 'Forbidden');
    expectError(await t.request('POST', '/api/aml', body, { authorization: '', ...FORM }), 401, 'Unauthenticated');
    expectError(await t.request('GET', '/api/aml?number=4155550111', undefined, gateway), 403, 'Forbidden');
    const admin = { authorization: `Bearer ${await t.token('admin')}` };
    expectError(await t.request('GET', '/api/aml?number=4155550111', undefined, admin), 403, 'Forbidden');
    expect((await t.request('GET', '/api/aml?number=4155550111', undefined, { authorization: `Bearer ${await t.token('call_taker')}` })).status).toBe(200);
    expectError(await t.request('GET', '/api/aml?number=12'), 400, 'ValidationFailed');
  });
});
