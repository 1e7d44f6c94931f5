import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/time/clock.ts';
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../src/accounts/accounts.ts';
import { canonicalJson, idempotencyFor } from '../src/server/idempotency-key.ts';
import { CIVIC_CENTER, expectError } from './support/api.ts';
import { bearer, sessionHeaders, signIn } from './support/auth.ts';
import { startTestServer, type TestServer } from './support/server.ts';

/** Idempotency-Key: scoped to the caller's credential, blind to the order of JSON keys, forgotten after 24 h. */

const PASSWORD = 'idempotency password 8642';

describe('Idempotency-Key', () => {
  const clock = new ManualClock();
  let t: TestServer;
  const post = (body: unknown, key: string, headers: Record<string, string> = {}) =>
    t.request('POST', '/api/incidents', body, { 'idempotency-key': key, ...headers });

  beforeAll(async () => {
    t = await startTestServer({ clock });
  });
  afterAll(async () => {
    await t.close();
  });

  it('two callers with the same role using one key with different bodies each get their own incident (201, different ids)', async () => {
    const a = bearer(await t.token('dispatcher'));
    const b = bearer(await t.token('dispatcher'));
    const first = await post({ location: CIVIC_CENTER, nature: 'medical' }, 'shared-key', a);
    const second = await post({ location: CIVIC_CENTER, nature: 'alarm' }, 'shared-key', b);
    expect(first.status, first.text).toBe(201);
    expect(second.status, second.text).toBe(201);
    expect(second.body.id).not.toBe(first.body.id);
    expect(second.headers.get('idempotent-replayed')).toBeNull();
    // Each caller still gets its own answer back on a retry.
    const againA = await post({ location: CIVIC_CENTER, nature: 'medical' }, 'shared-key', a);
    expect([againA.status, againA.body.id, againA.headers.get('idempotent-replayed')]).toEqual([201, first.body.id, 'true']);
    expectError(await post({ location: CIVIC_CENTER, nature: 'alarm' }, 'shared-key', a), 422, 'IdempotencyKeyMismatch');
  });

  it('the same body with its keys in another order, at any depth, replays the first answer', async () => {
    const first = await post(
      { nature: 'medical', priority: 2, location: { lat: CIVIC_CENTER.lat, lon: CIVIC_CENTER.lon }, address: '1 Main' },
      'reordered',
    );
    const again = await post(
      { address: '1 Main', location: { lon: CIVIC_CENTER.lon, lat: CIVIC_CENTER.lat }, priority: 2, nature: 'medical' },
      'reordered',
    );
    expect(first.status).toBe(201);
    expect([again.status, again.body.id, again.headers.get('idempotent-replayed')]).toEqual([201, first.body.id, 'true']);
  });

  it('a console user’s key is the user’s own: a second session of the same user replays it', async () => {
    await t.app.accounts.addUser('idem-user', 'dispatcher', PASSWORD, 'test');
    const one = await signIn(t, 'idem-user', PASSWORD);
    const two = await signIn(t, 'idem-user', PASSWORD);
    const body = { location: CIVIC_CENTER, nature: 'odor' };
    const first = await post(body, 'console-key', sessionHeaders(one));
    const again = await post(body, 'console-key', sessionHeaders(two));
    expect(first.status, first.text).toBe(201);
    expect([again.status, again.body.id, again.headers.get('idempotent-replayed')]).toEqual([201, first.body.id, 'true']);
    // The bearer token of the test server chose the same key for itself: another caller, another incident.
    const other = await post(body, 'console-key');
    expect(other.status).toBe(201);
    expect(other.body.id).not.toBe(first.body.id);
  });

  it('a key is forgotten after 24 h: the same request then makes a new incident', async () => {
    const body = { location: CIVIC_CENTER, nature: 'medical', notes: 'next day' };
    const first = await post(body, 'day-key');
    clock.advance(24 * 60 * 60 * 1000 - 1000);
    expect((await post(body, 'day-key')).body.id).toBe(first.body.id);
    clock.advance(1000);
    const later = await post(body, 'day-key');
    expect(later.status).toBe(201);
    expect(later.headers.get('idempotent-replayed')).toBeNull();
    expect(later.body.id).not.toBe(first.body.id);
  });
});

describe('canonicalJson', () => {
  it('sorts object keys at every depth, keeps array order, and drops undefined fields as JSON does', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' }, u: undefined })).toBe(
      '{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}',
    );
    expect(canonicalJson([2, 1])).toBe('[2,1]');
    expect(canonicalJson('é')).toBe('"é"');
  });
});

describe('idempotencyFor', () => {
  const principal: Principal = { role: 'dispatcher', scopes: [], name: 'script', via: 'token', credentialId: 'tok-1' };
  /** A request as Fastify hands it to a route of template `template`. */
  const request = (template: string, url: string) =>
    ({ principal, method: 'POST', url, routeOptions: { url: template }, body: { unitIds: ['E05'] } }) as unknown as FastifyRequest;

  it('scopes a key to the concrete path: the same key and body sent to two resources of one route are two requests', () => {
    const a = idempotencyFor(request('/api/incidents/:id/dispatch', '/api/incidents/A/dispatch'), 'k', {});
    const b = idempotencyFor(request('/api/incidents/:id/dispatch', '/api/incidents/B/dispatch'), 'k', {});
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(a.key).not.toBe(b.key);
  });

  it('leaves the query out of the scope', () => {
    const plain = idempotencyFor(request('/api/incidents', '/api/incidents'), 'k', {});
    const queried = idempotencyFor(request('/api/incidents', '/api/incidents?via=retry'), 'k', {});
    expect(queried.key).toBe(plain.key);
  });
});
