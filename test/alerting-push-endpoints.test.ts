import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressKind } from '../src/alerting/address-space.ts';
import { DEFAULT_PUSH_HOSTS, PushEndpoints, pushPolicyFromEnv, type Resolver } from '../src/alerting/push-endpoints.ts';
import { ManualClock } from '../src/time/clock.ts';
import { pushClient } from './support/channels.ts';
import { addVolunteer, bearer, CITY_HALL, offset, ofType, postIncident, startResponderServer, type ResponderServer } from './support/responders.ts';

/**
 * A push subscription's endpoint is a URL the server will POST to, chosen by whoever holds a
 * device token. Only https endpoints of known push services whose every address is public are
 * kept, checked at registration and again before each send; the send connects to the addresses
 * just checked and follows no redirect.
 */

/** A DNS answered by hand: a name maps to its addresses, or to nothing (it does not resolve). */
function handDns(answers: Record<string, readonly string[]>): Resolver & { answers: Record<string, readonly string[]>; asked: string[] } {
  const asked: string[] = [];
  const resolve = async (host: string) => {
    asked.push(host);
    const a = answers[host];
    if (a === undefined || a.length === 0) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return a.map((address) => ({ address, family: address.includes(':') ? (6 as const) : (4 as const) }));
  };
  return Object.assign(resolve, { answers, asked });
}

/** A local push service that records every request; `/redirect/…` answers 307 to `redirectTo`. */
async function startPushService(): Promise<{ url: string; port: number; paths: string[]; hosts: string[]; redirectTo: { url: string }; close(): Promise<void> }> {
  const paths: string[] = [];
  const hosts: string[] = [];
  const redirectTo = { url: '' };
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      paths.push(req.url ?? '/');
      hosts.push(req.headers.host ?? '');
      if (req.url?.startsWith('/redirect/')) {
        res.writeHead(307, { location: `${redirectTo.url}/stolen` });
        res.end();
        return;
      }
      res.statusCode = 201;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, port, paths, hosts, redirectTo, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('the address space', () => {
  it.each([
    ['142.250.72.10', 'public'],
    ['17.57.146.20', 'public'],
    ['2a00:1450:4001:80b::200a', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.0.0.2', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.254', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['100.64.0.1', 'shared (CGNAT)'],
    ['fd00::1', 'unique local'],
    ['fc12::1', 'unique local'],
    ['::ffff:127.0.0.1', 'IPv4-mapped'],
    ['::ffff:8.8.8.8', 'IPv4-mapped'],
    // NAT64 (64:ff9b::/96) is what the IPv4 address it carries is.
    ['64:ff9b::a00:1', 'private'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'link-local'],
    ['64:ff9b::8efa:480a', 'public'],
    ['64:ff9b::142.250.72.10', 'public'],
    ['64:ff9b:0:0:0:0:17.57.146.20', 'public'],
    ['64:ff9b::ffff:ffff', 'reserved'],
    ['64:ff9b:1::a00:1', 'reserved'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['2002:7f00:1::1', 'reserved'],
    ['not-an-address', 'not an IP address'],
  ])('%s is %s', (address, kind) => {
    expect(addressKind(address)).toBe(kind);
  });
});

describe('the push endpoint policy', () => {
  it('defaults to the Google, Mozilla, Apple and Microsoft push services, replaced by SAMARITAN_PUSH_HOSTS', () => {
    expect(pushPolicyFromEnv({})).toEqual({ hosts: DEFAULT_PUSH_HOSTS });
    expect(pushPolicyFromEnv({ SAMARITAN_PUSH_HOSTS: ' Push.Example.org, *.push.example.net ,' })).toEqual({ hosts: ['push.example.org', '*.push.example.net'] });
  });

  it('a wildcard host covers the names below it, not the domain itself nor a name that merely ends the same', async () => {
    const dns = handDns({ 'a.push.apple.com': ['17.57.146.20'], 'push.apple.com': ['17.57.146.21'], 'evilpush.apple.com': ['17.57.146.22'] });
    const endpoints = new PushEndpoints({ hosts: DEFAULT_PUSH_HOSTS }, dns);
    expect((await endpoints.admit('https://a.push.apple.com/3/device/x')).ok).toBe(true);
    expect(await endpoints.admit('https://push.apple.com/x')).toMatchObject({ ok: false, reason: 'push.apple.com is not a known push service' });
    expect((await endpoints.admit('https://evilpush.apple.com/x')).ok).toBe(false);
    expect(dns.asked).toEqual(['a.push.apple.com']);
  });
});

describe('POST /api/volunteers/me/push-subscription with the default policy', () => {
  const dns = handDns({
    'fcm.googleapis.com': ['142.250.72.10', '2a00:1450:4001:80b::200a'],
    'metadata.push.apple.com': ['169.254.169.254'],
    'rebind.notify.windows.com': ['::ffff:127.0.0.1'],
    'mixed.push.services.mozilla.com': ['34.117.65.55', '10.0.0.5'],
    'ula.push.apple.com': ['fd00::1'],
    'cgnat.notify.windows.com': ['100.64.0.9'],
  });
  let t: ResponderServer;
  beforeAll(async () => {
    t = await startResponderServer({ clock: new ManualClock(), responders: { webhook: null, firstUnitEtaS: async () => 400, resolveHost: dns } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses endpoints that are not https on a known push service, or whose addresses are not public, with 422 PushEndpointNotAllowed', async () => {
    const v = await addVolunteer(t, { at: offset(CITY_HALL, 900, 900), available: false });
    const port = new URL(t.base).port;
    const refused = [
      `http://127.0.0.1:${port}/x`,
      `https://localhost:${port}/x`,
      'https://127.0.0.2/push',
      'http://169.254.169.254/latest/meta-data/',
      `https://[::1]:${port}/x`,
      'https://2130706433/x', // 127.0.0.1 written as one number
      'http://fcm.googleapis.com/fcm/send/x', // a known service, but not over TLS
      'ftp://fcm.googleapis.com/x',
      'https://user:secret@fcm.googleapis.com/fcm/send/x',
      'https://fcm.googleapis.com.attacker.example/x',
      'https://attacker.example/fcm.googleapis.com/x',
      'https://metadata.push.apple.com/x', // a known name that resolves to link-local space
      'https://rebind.notify.windows.com/x', // … to an IPv4-mapped loopback address
      'https://mixed.push.services.mozilla.com/x', // … to one public and one private address
      'https://ula.push.apple.com/x',
      'https://cgnat.notify.windows.com/x',
    ];
    for (const endpoint of refused) {
      const res = await t.request('POST', '/api/volunteers/me/push-subscription', { endpoint, keys: pushClient().keys }, bearer(v.token));
      expect(res.status, `${endpoint}: ${res.text}`).toBe(422);
      expect(res.body.error.code, endpoint).toBe('PushEndpointNotAllowed');
    }
    const mine = await t.request('GET', '/api/volunteers/me/push-subscription', undefined, bearer(v.token));
    expect(mine.body.subscriptions).toBe(0);
  });

  it('keeps an https endpoint of a known push service whose addresses are public, and a known name that does not resolve yet', async () => {
    const v = await addVolunteer(t, { at: offset(CITY_HALL, 900, -900), available: false });
    for (const endpoint of ['https://fcm.googleapis.com/fcm/send/abc:def', 'https://updates.push.services.mozilla.com/wpush/v2/gAAAA']) {
      const res = await t.request('POST', '/api/volunteers/me/push-subscription', { endpoint, keys: pushClient().keys }, bearer(v.token));
      expect(res.status, `${endpoint}: ${res.text}`).toBe(201);
    }
    expect((await t.request('GET', '/api/volunteers/me/push-subscription', undefined, bearer(v.token))).body.subscriptions).toBe(2);
  });
});

describe('the send checks the endpoint again', () => {
  const clock = new ManualClock();
  const dns = handDns({});
  let service: Awaited<ReturnType<typeof startPushService>>;
  let t: ResponderServer;
  beforeAll(async () => {
    service = await startPushService();
    t = await startResponderServer({
      clock,
      // Plain http so that a send that went ahead would reach the local service; loopback stays refused.
      responders: { webhook: null, firstUnitEtaS: async () => 400, pushServices: { hosts: ['*.example.test'], allowHttp: true }, resolveHost: dns },
    });
  });
  afterAll(async () => {
    await t?.close();
    await service?.close();
  });

  async function undeliveredReason(volunteerId: string, before: number): Promise<string> {
    await t.settle();
    const undelivered = ofType(await t.eventsAfter(before), 'VolunteerAlertUndelivered').filter((e) => e.data.volunteerId === volunteerId);
    expect(undelivered).toHaveLength(1);
    return undelivered[0]!.data.reason;
  }

  it('a name that resolved to a public address at registration and to loopback at the send is not sent to', async () => {
    dns.answers['rebind.example.test'] = ['93.184.216.34'];
    const v = await addVolunteer(t, { at: offset(CITY_HALL, 600, 640) });
    const sub = await t.request('POST', '/api/volunteers/me/push-subscription', { endpoint: `http://rebind.example.test:${service.port}/push/${v.id}`, keys: pushClient().keys }, bearer(v.token));
    expect(sub.status, sub.text).toBe(201);
    dns.answers['rebind.example.test'] = ['127.0.0.1'];
    const before = await t.head();
    await postIncident(t, { location: offset(CITY_HALL, 600, 600), nature: 'cardiac_arrest', place: 'public' });
    expect(await undeliveredReason(v.id, before)).toMatch(/push endpoint not allowed: rebind\.example\.test resolves to 127\.0\.0\.1 \(loopback\)/);
    expect(service.paths).not.toContain(`/push/${v.id}`);
  });

  it('a name that did not resolve at registration is checked at the send, and not sent to when it resolves to private space', async () => {
    const v = await addVolunteer(t, { at: offset(CITY_HALL, -600, 640) });
    const sub = await t.request('POST', '/api/volunteers/me/push-subscription', { endpoint: `http://later.example.test:${service.port}/push/${v.id}`, keys: pushClient().keys }, bearer(v.token));
    expect(sub.status, sub.text).toBe(201);
    dns.answers['later.example.test'] = ['10.20.30.40'];
    const before = await t.head();
    await postIncident(t, { location: offset(CITY_HALL, -600, 600), nature: 'cardiac_arrest', place: 'public' });
    expect(await undeliveredReason(v.id, before)).toMatch(/later\.example\.test resolves to 10\.20\.30\.40 \(private\)/);
    expect(service.paths).not.toContain(`/push/${v.id}`);
  });
});

describe('the send connects where it checked, and follows no redirect', () => {
  const dns = handDns({});
  let service: Awaited<ReturnType<typeof startPushService>>;
  let elsewhere: Awaited<ReturnType<typeof startPushService>>;
  let t: ResponderServer;
  beforeAll(async () => {
    service = await startPushService();
    elsewhere = await startPushService();
    service.redirectTo.url = elsewhere.url;
    t = await startResponderServer({
      clock: new ManualClock(),
      responders: {
        webhook: null,
        firstUnitEtaS: async () => 400,
        pushServices: { hosts: ['*.example.test'], allowHttp: true, allowLoopback: true },
        resolveHost: dns,
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await service?.close();
    await elsewhere?.close();
  });

  it('sends to the address the name resolved to at the check, with the name as the Host', async () => {
    dns.answers['pinned.example.test'] = ['127.0.0.1'];
    const v = await addVolunteer(t, { at: offset(CITY_HALL, 640, -600) });
    const endpoint = `http://pinned.example.test:${service.port}/push/${v.id}`;
    expect((await t.request('POST', '/api/volunteers/me/push-subscription', { endpoint, keys: pushClient().keys }, bearer(v.token))).status).toBe(201);
    const before = await t.head();
    await postIncident(t, { location: offset(CITY_HALL, 600, -600), nature: 'cardiac_arrest', place: 'public' });
    await t.settle();
    const i = service.paths.indexOf(`/push/${v.id}`);
    expect(i).toBeGreaterThanOrEqual(0);
    expect(service.hosts[i]).toBe(`pinned.example.test:${service.port}`);
    const sent = ofType(await t.eventsAfter(before), 'VolunteerAlertSent').filter((e) => e.data.volunteerId === v.id);
    expect(sent[0]?.data.channels).toEqual(['web_push']);
  });

  it('a push service that answers with a redirect is not followed', async () => {
    dns.answers['redirect.example.test'] = ['127.0.0.1'];
    const v = await addVolunteer(t, { at: offset(CITY_HALL, -640, -600) });
    const endpoint = `http://redirect.example.test:${service.port}/redirect/${v.id}`;
    expect((await t.request('POST', '/api/volunteers/me/push-subscription', { endpoint, keys: pushClient().keys }, bearer(v.token))).status).toBe(201);
    const before = await t.head();
    await postIncident(t, { location: offset(CITY_HALL, -600, -600), nature: 'cardiac_arrest', place: 'public' });
    await t.settle();
    expect(service.paths).toContain(`/redirect/${v.id}`);
    expect(elsewhere.paths).toEqual([]);
    const undelivered = ofType(await t.eventsAfter(before), 'VolunteerAlertUndelivered').filter((e) => e.data.volunteerId === v.id);
    expect(undelivered[0]?.data.reason).toMatch(/push service answered 307/);
  });
});
