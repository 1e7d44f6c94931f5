import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateVapidKeys, VAPID_FILE } from '../src/alerting/web-push.ts';
import { ManualClock } from '../src/time/clock.ts';
import { pushClient, startEndpoint, verifyVapid, type LocalEndpoint } from './support/channels.ts';
import { addVolunteer, bearer, CITY_HALL, eventually, offset, ofType, postIncident, startResponderServer, type ResponderServer } from './support/responders.ts';

/**
 * Web Push to a real local push service: the subscription is registered over HTTP; the push
 * service receives the encrypted message with a VAPID signature, checked here with the server's
 * public key, and the test decrypts it with the subscription's private key as a browser would.
 */
describe('Web Push delivery', () => {
  const clock = new ManualClock();
  let t: ResponderServer;
  let service: LocalEndpoint;
  beforeAll(async () => {
    service = await startEndpoint(201);
    t = await startResponderServer({
      clock,
      responders: {
        webhook: null,
        firstUnitEtaS: async () => 400,
        vapidSubject: 'mailto:ops@samaritan.test',
        // The local push service: plain http on loopback, allowed here only.
        pushServices: { hosts: ['127.0.0.1'], allowHttp: true, allowLoopback: true },
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await service?.close();
  });

  it('generates the VAPID keys on the first start, keeps them in the data dir (owner only) and gives the public key to the app', async () => {
    const file = join(t.dataDir, VAPID_FILE);
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { publicKey: string; privateKey: string };
    expect(Buffer.from(stored.publicKey, 'base64url')).toHaveLength(65);
    expect(statSync(file).mode & 0o077).toBe(0);
    const again = loadOrCreateVapidKeys(t.dataDir);
    expect(again).toMatchObject({ publicKey: stored.publicKey, privateKey: stored.privateKey, created: false });
    // Several nodes share one pair from the environment, whatever their data dirs hold.
    const shared = { SAMARITAN_VAPID_PUBLIC_KEY: 'BPublicFromEnv', SAMARITAN_VAPID_PRIVATE_KEY: 'privateFromEnv' };
    expect(loadOrCreateVapidKeys(t.dataDir, undefined, shared)).toMatchObject({ publicKey: 'BPublicFromEnv', privateKey: 'privateFromEnv', created: false });
    expect(loadOrCreateVapidKeys(t.dataDir, undefined, { SAMARITAN_VAPID_PUBLIC_KEY: 'BPublicFromEnv' }).publicKey).toBe(stored.publicKey);
    const v = await addVolunteer(t, { at: offset(CITY_HALL, 900, 900), available: false });
    const res = await t.request('GET', '/api/volunteers/me/push-subscription', undefined, bearer(v.token));
    expect(res.body).toEqual({ vapidPublicKey: stored.publicKey, subscriptions: 0 });
  });

  it('pushes an encrypted, VAPID-signed alert to the subscription; the push service’s 2xx records sent, never delivered', async () => {
    const v = await addVolunteer(t, { at: offset(CITY_HALL, 60, -40) });
    const browser = pushClient();
    const endpoint = `${service.url}/push/${v.id}`;
    const sub = await t.request('POST', '/api/volunteers/me/push-subscription', { endpoint, expirationTime: null, keys: browser.keys }, bearer(v.token));
    expect(sub.status, sub.text).toBe(201);
    expect(sub.body.subscriptions).toBe(1);
    const before = await t.head();
    const id = await postIncident(t, { location: CITY_HALL, nature: 'cardiac_arrest', place: 'public', floor: '1', access: 'code 9876' });
    const push = await eventually(() => service.received.find((r) => r.path === `/push/${v.id}`));

    expect(push.headers['content-encoding']).toBe('aes128gcm');
    expect(push.headers['urgency']).toBe('high');
    const ttl = Number(push.headers['ttl']);
    expect(ttl).toBeGreaterThan(100);
    expect(ttl).toBeLessThanOrEqual(120); // no longer than the alert is open
    const claims = verifyVapid(push.headers['authorization'], t.app.responders.push.vapid.publicKey);
    expect(claims).toMatchObject({ aud: service.url, sub: 'mailto:ops@samaritan.test' });
    const frame = JSON.parse(browser.decrypt(push.body));
    // Before the accept, a push names the nature and the area, never the place, floor or door code.
    expect(frame).toMatchObject({ type: 'alert', alertId: `${id}.${v.id}`, incidentId: id, nature: 'cardiac_arrest', area: { withinM: 100 } });
    for (const field of ['location', 'address', 'floor', 'access']) expect(frame).not.toHaveProperty(field);
    expect(JSON.stringify(frame)).not.toMatch(/code 9876/);
    expect(frame.text).toMatch(/^Samaritan alert: cardiac arrest/);

    await t.settle();
    const events = (await t.eventsAfter(before)).filter((e) => (e.data as { volunteerId?: string }).volunteerId === v.id);
    expect(ofType(events, 'VolunteerAlertSent')[0]!.data).toMatchObject({ message: 'alert', channels: ['web_push'] });
    // Whoever answers at the endpoint is not the volunteer's device: only the app's ack confirms delivery.
    expect(ofType(events, 'VolunteerAlertDelivered')).toEqual([]);
    const receipt = await t.app.responders.outbox.receipt(`${id}.${v.id}`, 'alert');
    expect(receipt?.sentAt).toBeDefined();
    expect(receipt?.deliveredAt).toBeUndefined();
  });

  it('forgets a subscription the push service says is gone (410)', async () => {
    const v = await addVolunteer(t, { at: offset(CITY_HALL, -800, -800) });
    const browser = pushClient();
    await t.request('POST', '/api/volunteers/me/push-subscription', { endpoint: `${service.url}/gone/${v.id}`, keys: browser.keys }, bearer(v.token));
    service.script.push(410);
    const before = await t.head();
    await postIncident(t, { location: offset(CITY_HALL, -800, -760), nature: 'cardiac_arrest', place: 'public' });
    await eventually(() => service.received.find((r) => r.path === `/gone/${v.id}`));
    await t.settle();
    expect((await t.request('GET', '/api/volunteers/me/push-subscription', undefined, bearer(v.token))).body.subscriptions).toBe(0);
    const undelivered = ofType(await t.eventsAfter(before), 'VolunteerAlertUndelivered').filter((e) => e.data.volunteerId === v.id);
    expect(undelivered[0]!.data.reason).toMatch(/subscription gone \(410\)/);
  });
});
