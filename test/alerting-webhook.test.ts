import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySignedRequest } from '../src/alerting/signed-post.ts';
import { ManualClock } from '../src/time/clock.ts';
import { connectApp, startEndpoint, type LocalEndpoint } from './support/channels.ts';
import { addVolunteer, CITY_HALL, eventually, offset, ofType, postIncident, startResponderServer, type ResponderServer } from './support/responders.ts';

/** The SMS/voice gateway channel: HMAC-SHA256-signed POSTs, checked by a real local HTTP server. */
const SECRET = 'gateway-shared-secret-0123456789';

describe('the webhook channel for SMS and voice gateways', () => {
  const clock = new ManualClock();
  let t: ResponderServer;
  let gateway: LocalEndpoint;
  beforeAll(async () => {
    gateway = await startEndpoint(200);
    t = await startResponderServer({
      clock,
      responders: { webhook: { url: `${gateway.url}/sms`, secret: SECRET }, firstUnitEtaS: async () => 400, worker: { backoffMs: 1000 } },
    });
  });
  afterAll(async () => {
    await t?.close();
    await gateway?.close();
  });

  it('signs every delivery, retries a gateway failure with the same delivery id, and records sent and delivered', async () => {
    const v = await addVolunteer(t, { at: offset(CITY_HALL, 60, 30) });
    gateway.script.push(503);
    const before = await t.head();
    const id = await postIncident(t, { location: CITY_HALL, nature: 'cardiac_arrest', place: 'public', address: '1 Dr Carlton B Goodlett Pl', floor: '2', access: 'code 5555' });
    await t.settle();
    expect(gateway.received).toHaveLength(1);
    clock.advance(2000); // past the first backoff (0.5 to 1 s)
    await t.app.responders.worker.drain();
    expect(gateway.received).toHaveLength(2);

    for (const r of gateway.received) {
      const ts = String(r.headers['x-samaritan-timestamp']);
      const body = r.body.toString('utf8');
      // Checked here independently of the server's code, as a gateway would.
      const want = `sha256=${createHmac('sha256', SECRET).update(`${ts}.${body}`).digest('hex')}`;
      expect(r.headers['x-samaritan-signature']).toBe(want);
      expect(verifySignedRequest(SECRET, ts, body, want, Math.floor(clock.now() / 1000))).toBe(true);
      expect(verifySignedRequest('another-secret-0123456789', ts, body, want, Math.floor(clock.now() / 1000))).toBe(false);
      expect(verifySignedRequest(SECRET, ts, body.replace('cardiac', 'CARDIAC'), want, Math.floor(clock.now() / 1000))).toBe(false);
      expect(r.path).toBe('/sms');
      expect(r.headers['content-type']).toBe('application/json');
    }
    expect(gateway.received[0]!.headers['x-samaritan-delivery']).toBe(gateway.received[1]!.headers['x-samaritan-delivery']);
    const body = JSON.parse(gateway.received[1]!.body.toString('utf8'));
    expect(body).toMatchObject({
      type: 'alert',
      volunteerId: v.id,
      phone: '+1 415 555 0100',
      text: expect.stringMatching(/^Samaritan alert: cardiac arrest, \d+ min walk from you\. Open the app/),
      message: { type: 'alert', alertId: `${id}.${v.id}`, incidentId: id, area: { withinM: 100 } },
    });
    // The text message and its data say where only once the volunteer accepts.
    for (const field of ['location', 'address', 'floor', 'access']) expect(body.message).not.toHaveProperty(field);
    expect(gateway.received[1]!.body.toString('utf8')).not.toMatch(/Goodlett|floor 2|code 5555/);
    const events = (await t.eventsAfter(before)).filter((e) => (e.data as { volunteerId?: string }).volunteerId === v.id);
    expect(ofType(events, 'VolunteerAlertSent')[0]!.data).toMatchObject({ message: 'alert', channels: ['webhook'], attempt: 2 });
    expect(ofType(events, 'VolunteerAlertDelivered')[0]!.data).toMatchObject({ message: 'alert', channel: 'webhook' });
  });

  it('is only the fallback: a volunteer whose app is connected is not texted', async () => {
    const v = await addVolunteer(t, { at: offset(CITY_HALL, -700, 600) });
    const app = await connectApp(t.base, v.token);
    const sent = gateway.received.length;
    const id = await postIncident(t, { location: offset(CITY_HALL, -700, 650), nature: 'cardiac_arrest', place: 'public' });
    await app.next((f) => f['type'] === 'alert' && f['alertId'] === `${id}.${v.id}`);
    await t.settle();
    expect(gateway.received.length).toBe(sent);
    app.close();
  });

  it('gives up at once on a gateway that refuses the message (4xx), as undelivered', async () => {
    const v = await addVolunteer(t, { at: offset(CITY_HALL, 700, -600) });
    gateway.script.push(400);
    const before = await t.head();
    await postIncident(t, { location: offset(CITY_HALL, 700, -650), nature: 'cardiac_arrest', place: 'public' });
    const events = await eventually(async () => {
      await t.settle();
      const e = ofType(await t.eventsAfter(before), 'VolunteerAlertUndelivered').filter((x) => x.data.volunteerId === v.id);
      return e.length > 0 ? e : undefined;
    });
    expect(events[0]!.data).toMatchObject({ message: 'alert', attempts: 1, reason: 'webhook: gateway answered 400' });
  });
});
