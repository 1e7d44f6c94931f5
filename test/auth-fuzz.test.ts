import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, SCOPES } from '../src/core/roles.ts';
import { ACCESS } from '../src/server/access.ts';
import { CIVIC_CENTER, createIncident } from './support/api.ts';
import { cookieFor } from './support/auth.ts';
import { rawClient, type RawRequest, type RawResponse } from './support/raw-http.ts';
import { startTestServer, type TestServer } from './support/server.ts';

/**
 * Fuzzes the whole HTTP edge over real sockets: every route of the authorization table, with and
 * without valid credentials, with broken and hostile input. Whatever comes in, the server answers
 * below 500, every 4xx in the API's error shape, and it still serves afterwards.
 */

const RUNS = 1300;
const PER_RUN = 8; // requests in flight at once: RUNS × PER_RUN ≥ 10,000 requests
const SEED = Number(process.env['FUZZ_SEED'] ?? 20250601);
const PASSWORD = 'fuzz password 0123456';
/** Credentials that pass for most routes. */
const VALID = /^(dispatcher|call_taker|supervisor|admin|integration) token$|^fuzz-\w+ session$/;

/** A token of JSON text inserted verbatim, for literals JSON.stringify cannot write. */
const RAW = (literal: string) => `__RAW__${literal}__RAW__`;
const unraw = (json: string) => json.replace(/"__RAW__(.*?)__RAW__"/g, '$1');

/** Percent-encodes every byte of the UTF-8 text (lone surrogates become U+FFFD). */
const pct = (s: string) => Buffer.from(s, 'utf8').toString('hex').replace(/../g, '%$&');

const ODD = ['\ud800', '\udfff', '\udc00\ud800', '\u202e', '\u200f', '\u200b', '\u0000', '\ufeff', '\uffff', '\u2028', 'e\u0301', '🚒', 'İ', '\\', '"', '</script>', "' OR 1=1 --", '%00', '${x}', '__proto__'];

const shortOdd = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.array(fc.constantFrom(...ODD), { minLength: 1, maxLength: 12 }).map((a) => a.join('')),
);
const oddString = fc.oneof(
  shortOdd,
  fc.tuple(fc.constantFrom('x', 'é', '\u202e', '\u0000', '\ud83d'), fc.integer({ min: 200, max: 70_000 })).map(([c, n]) => c.repeat(n)),
);
const specialNumber = fc.constantFrom('NaN', 'Infinity', '-Infinity', '1e309', '-1e309', '1e-400', '0x10', '01', '.5', '+1', '-0', '123456789012345678901234567890', 'undefined').map(RAW);
const number = fc.oneof(fc.double(), fc.integer(), specialNumber, fc.constantFrom(90.0000001, -90.5, 180.0000001, -181, 1e308, -1e308, 5e-324));
const junk: fc.Arbitrary<unknown> = fc.oneof(
  oddString,
  number,
  fc.constantFrom(null, true, false, [], {}, '', 0),
  fc.jsonValue({ maxDepth: 3 }),
);
/** A valid value six times out of seven, junk otherwise. */
const mostly = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ arbitrary: valid, weight: 6 }, { arbitrary: junk, weight: 1 });

const lat = fc.oneof({ arbitrary: fc.double({ min: -90, max: 90, noNaN: true }), weight: 4 }, { arbitrary: number, weight: 1 });
const lon = fc.oneof({ arbitrary: fc.double({ min: -180, max: 180, noNaN: true }), weight: 4 }, { arbitrary: number, weight: 1 });
const location = mostly(fc.record({ lat, lon }));
const natureArb = mostly(fc.constantFrom('medical', 'cardiac_arrest', 'structure_fire', 'odor', 'alien_landing', 'constructor', 'MEDICAL'));
const unitId = mostly(fc.constantFrom('E01', 'M53', 'T02', 'E99', '__proto__', 'e01'));
const idLike = mostly(fc.stringMatching(/^[A-Za-z0-9_.:-]{1,20}$/));
const text = mostly(shortOdd);
const detail = {
  location,
  nature: natureArb,
  priority: mostly(fc.constantFrom(1, 2, 3, 0, 4, '1')),
  address: text,
  floor: text,
  access: text,
  callerName: text,
  callbackNumber: mostly(fc.constantFrom('+1 415 555 0100', '555-0100', 'call me')),
  notes: text,
};
const optional = <T extends Record<string, fc.Arbitrary<unknown>>>(model: T, required: (keyof T)[] = []) =>
  fc.record(model, { requiredKeys: required as never[] });
const unknownFields = fc.dictionary(fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('__proto__', 'constructor', 'role', 'admin')), junk, { maxKeys: 3 });

/** Near-valid bodies for each route that takes one. */
const BODIES: Record<string, fc.Arbitrary<unknown>> = {
  'POST /api/session': optional({ name: mostly(fc.constantFrom('fuzz-admin', 'fuzz-dispatcher', 'admin', 'nobody')), password: mostly(fc.constantFrom(PASSWORD, 'wrong')) }, ['name', 'password']),
  'POST /api/incidents': optional(detail, ['location', 'nature']),
  'PATCH /api/incidents/:id': optional(detail),
  'POST /api/incidents/:id/dispatch': optional({ unitIds: mostly(fc.array(unitId, { maxLength: 60 })) }, ['unitIds']),
  'POST /api/incidents/:id/cancel': optional({ reason: text }),
  'POST /api/incidents/:id/resolve': optional({ reason: text }),
  'POST /api/incidents/:id/close': optional({ reason: text }),
  'POST /api/incidents/:id/merge': optional({ into: idLike }, ['into']),
  'POST /api/units/:id/status': optional({ status: mostly(fc.constantFrom('available', 'dispatched', 'en_route', 'on_scene', 'out_of_service', 'flying')), reason: text }, ['status']),
  'POST /api/units/:id/position': optional({ lat, lon, at: mostly(fc.constantFrom(new Date(0).toISOString(), '2999-01-01T00:00:00Z', 'yesterday')) }, ['lat', 'lon']),
  'POST /api/tokens': optional({ name: text, role: mostly(fc.constantFrom(...ROLES)), scopes: mostly(fc.array(mostly(fc.constantFrom(...SCOPES)), { maxLength: 8 })) }, ['name', 'role']),
  'POST /api/users': optional({ name: text, role: mostly(fc.constantFrom(...ROLES)), password: mostly(fc.constantFrom(PASSWORD, 'short')) }, ['name', 'role', 'password']),
  'PATCH /api/users/:id': optional({ role: mostly(fc.constantFrom(...ROLES)) }, ['role']),
};

const deep = fc.tuple(fc.constantFrom(33, 100, 1000, 10_000), fc.constantFrom('[', '{"a":'), fc.boolean()).map(([depth, open, closed]) => {
  const close = open === '[' ? ']' : '}';
  return `${open.repeat(depth)}1${closed ? close.repeat(depth) : ''}`;
});
const malformed = fc.constantFrom('{', '{"a":}', "{'a':1}", '[1,]', '{"a":1}{"b":2}', 'nul', 'true', '"str"', '\u0000', '\ufeff{}', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{}}}', '{"a":"\\x41"}', ' ', '{"lat":NaN,"lon":Infinity}');

interface Plan {
  route: string;
  params: string;
  query: string;
  method: string | undefined;
  credential: string;
  body: { kind: 'json' | 'text' | 'bytes' | 'none'; value: unknown } | undefined;
  contentType: string | undefined;
  extraHeaders: Record<string, string>;
}

const pathParam = fc.oneof(
  { arbitrary: fc.constantFrom('E01', 'M53', 'E99', '__proto__', 'nosuchuser', 'I250601-ABCDEF'), weight: 4 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 30 }).map(pct), weight: 2 },
  { arbitrary: fc.constantFrom('%ZZ', '%', '%00', '..%2F..%2Fetc%2Fpasswd', '%E0%A4%A', '%C0%AF', 'a%2Fb', ';x=1', '%F0%9F%9A%92'), weight: 2 },
  { arbitrary: fc.integer({ min: 60, max: 4000 }).map((n) => 'A'.repeat(n)), weight: 1 },
);
const queryString = fc.oneof(
  fc.constant(''),
  fc.array(fc.tuple(fc.constantFrom('status', 'limit', 'after', 'x', '__proto__', '', 'status[]'), fc.oneof(fc.constantFrom('all', 'open', '0', '-1', '1e309', 'NaN', '5001', ''), fc.string({ unit: 'binary', maxLength: 20 }).map(pct))), { maxLength: 4 }).map((kv) => '?' + kv.map(([k, v]) => `${k}=${v}`).join('&')),
  fc.constantFrom('?%ZZ', '?&&&', `?limit=${'9'.repeat(400)}`, '?a=%00'),
);
const contentType = fc.oneof(
  { arbitrary: fc.constant('application/json'), weight: 8 },
  { arbitrary: fc.constantFrom('application/json; charset=utf-8', 'APPLICATION/JSON', 'application/json; charset=utf-16le', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=zz', 'application/vnd.api+json', 'application/json-patch+json', '*/*', 'application/json;;;', 'garbage'), weight: 3 },
  { arbitrary: fc.constant(undefined), weight: 1 },
);

describe('fuzzing every route over real HTTP, with and without credentials', () => {
  let t: TestServer;
  const credentials: Record<string, Record<string, string>> = {};
  const incidents: string[] = [];

  beforeAll(async () => {
    t = await startTestServer();
    const accounts = t.app.accounts;
    credentials['none'] = {};
    credentials['bogus token'] = { authorization: `Bearer sam_AAAAAAAAAAAA_${'B'.repeat(43)}` };
    credentials['junk authorization'] = { authorization: 'Bearer \u00ff\u00fe' };
    for (const role of ROLES) credentials[`${role} token`] = { authorization: `Bearer ${await t.token(role, role === 'integration' ? [...SCOPES] : [])}` };
    await accounts.addUser('fuzz-admin', 'admin', PASSWORD, 'test');
    await accounts.addUser('fuzz-dispatcher', 'dispatcher', PASSWORD, 'test');
    await openSessions();
    credentials['junk cookie'] = { cookie: 'samaritan_session=%E0%A4%A; other=1; samaritan_session=' };
    for (let i = 0; i < 5; i++) incidents.push(await createIncident(t, { location: CIVIC_CENTER, nature: 'medical' }));
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Signs the fuzz users in afresh (fuzzed requests may sign them out or change their role). */
  async function openSessions() {
    for (const [name, role] of [['fuzz-admin', 'admin'], ['fuzz-dispatcher', 'dispatcher']] as const) {
      const user = (await t.app.accounts.userByName(name))!;
      if (user.role !== role) await t.app.accounts.changeRole(user, role, 'test');
      const s = (await t.app.accounts.signIn(name, PASSWORD, '127.0.0.1'))!;
      credentials[`${name} session`] = { cookie: cookieFor(s.token), 'x-csrf-token': s.csrf };
      credentials[`${name} session without csrf`] = { cookie: cookieFor(s.token) };
      credentials[`${name} session, wrong csrf`] = { cookie: cookieFor(s.token), 'x-csrf-token': 'x'.repeat(32) };
    }
  }

  function toRequest(p: Plan): RawRequest {
    const [routeMethod, url] = p.route.split(' ') as [string, string];
    const method = p.method ?? routeMethod;
    const path = (url.startsWith('/') ? url : `/api/${url}`).replace(/:id/, p.params).replace(/\*$/, p.params) + p.query;
    const headers: Record<string, string> = { ...credentials[p.credential], ...p.extraHeaders };
    let body: Buffer | undefined;
    if (p.body && p.body.kind !== 'none' && method !== 'HEAD') {
      const v = p.body.value;
      body = p.body.kind === 'bytes' ? (v as Buffer) : Buffer.from(p.body.kind === 'json' ? unraw(JSON.stringify(v) ?? 'null') : (v as string));
      if (p.contentType !== undefined) headers['content-type'] = p.contentType;
    }
    return { method, path, headers, ...(body ? { body } : {}) };
  }

  it('at least 10,000 requests: 0 answers ≥ 500, every 4xx in the API error shape, and the server still serves', async () => {
    const routes = Object.keys(ACCESS);
    const anyRoute = fc.oneof(
      { arbitrary: fc.constantFrom(...routes), weight: 9 },
      { arbitrary: fc.tuple(fc.constantFrom('GET', 'POST'), fc.string({ unit: 'binary', maxLength: 30 }).map(pct)).map(([m, p]) => `${m} ${p}`), weight: 1 },
    );
    const wild: fc.Arbitrary<Plan> = anyRoute.chain((route) =>
      fc.record({
        route: fc.constant(route),
        params: pathParam,
        query: fc.oneof({ arbitrary: fc.constant(''), weight: 3 }, { arbitrary: queryString, weight: 1 }),
        method: fc.oneof(
          { arbitrary: fc.constant(undefined), weight: 12 },
          { arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'PROPFIND', 'SEARCH', 'FOO', 'get'), weight: 2 },
        ),
        credential: fc.oneof(
          { arbitrary: fc.constantFrom(...Object.keys(credentials).filter((c) => VALID.test(c))), weight: 2 },
          { arbitrary: fc.constantFrom(...Object.keys(credentials)), weight: 1 },
        ),
        body: fc.oneof(
          { arbitrary: (BODIES[route] ?? fc.constant({})).map((value) => ({ kind: 'json' as const, value })), weight: 6 },
          { arbitrary: fc.tuple(BODIES[route] ?? fc.constant({}), unknownFields).map(([b, u]) => ({ kind: 'json' as const, value: typeof b === 'object' && b !== null ? { ...b, ...u } : u })), weight: 2 },
          { arbitrary: junk.map((value) => ({ kind: 'json' as const, value })), weight: 2 },
          { arbitrary: fc.oneof(malformed, deep, oddString).map((value) => ({ kind: 'text' as const, value })), weight: 3 },
          { arbitrary: fc.uint8Array({ maxLength: 64 }).map((a) => ({ kind: 'bytes' as const, value: Buffer.from(a) })), weight: 1 },
          { arbitrary: fc.constant({ kind: 'none' as const, value: undefined }), weight: 2 },
        ),
        contentType,
        extraHeaders: fc.oneof(
          { arbitrary: fc.constant({}), weight: 6 },
          { arbitrary: fc.record({ 'idempotency-key': fc.oneof(fc.constant(''), fc.stringMatching(/^[!-~]{1,300}$/)), accept: fc.constantFrom('*/*', 'text/html', 'application/xml') }, { requiredKeys: [] }), weight: 1 },
        ),
      }),
    );
    // Well-formed requests from a caller the route admits, so the fuzzed values reach the domain.
    const wellFormed: fc.Arbitrary<Plan> = fc.constantFrom(...routes.filter((r) => r.startsWith('POST /api/') || r.startsWith('PATCH /api/'))).chain((route) =>
      fc.record({
        route: fc.constant(route),
        params: route.includes('/units/') ? fc.constantFrom('E01', 'E03', 'M53', 'T02', 'E99') : fc.constantFrom(...incidents, 'nosuchuser'),
        query: fc.constant(''),
        method: fc.constant(undefined),
        credential: /tokens|users/.test(route) ? fc.constantFrom('admin token', 'fuzz-admin session') : fc.constantFrom('dispatcher token', 'fuzz-dispatcher session'),
        body: (BODIES[route] ?? fc.constant({})).map((value) => ({ kind: 'json' as const, value })),
        contentType: fc.constant('application/json'),
        extraHeaders: fc.constant({}),
      }),
    );
    const plan = fc.oneof({ arbitrary: wild, weight: 3 }, { arbitrary: wellFormed, weight: 1 });

    const client = rawClient(t.base, PER_RUN);
    const histogram = new Map<number, number>();
    const bad: string[] = [];
    let sent = 0;
    const check = (r: RawRequest, res: RawResponse) => {
      sent++;
      histogram.set(res.status, (histogram.get(res.status) ?? 0) + 1);
      const where = `${r.method} ${r.path.slice(0, 120)} → ${res.status} ${res.text.slice(0, 200)}`;
      if (res.status === 0) bad.push(`no answer: ${where} ${JSON.stringify(r.headers).slice(0, 200)}`);
      else if (res.status >= 500) bad.push(`5xx: ${where}`);
      else if (res.status >= 400 && r.method !== 'HEAD') {
        let body: { error?: { code?: unknown; message?: unknown } } | undefined;
        try {
          body = JSON.parse(res.text) as typeof body;
        } catch {
          body = undefined;
        }
        const shaped =
          /^application\/json/.test(String(res.headers['content-type'])) &&
          body !== undefined && body !== null && Object.keys(body).join() === 'error' &&
          typeof body.error?.code === 'string' && typeof body.error.message === 'string';
        if (!shaped) bad.push(`not the error shape: ${where}`);
      }
    };
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(plan, { minLength: PER_RUN, maxLength: PER_RUN }), async (plans) => {
          const requests = plans.map(toRequest);
          const responses = await Promise.all(requests.map((r) => client.send(r)));
          requests.forEach((r, i) => check(r, responses[i]!));
          if (requests.some((r, i) => r.method === 'DELETE' && r.headers['cookie'] !== undefined && responses[i]!.status === 204)) {
            await openSessions(); // a fuzzed sign-out ended one: keep both sessions usable
          }
        }),
        // Every finding is collected (below) rather than shrunk, so one run reports them all.
        { numRuns: RUNS, seed: SEED },
      );
    } finally {
      client.close();
      const statuses = [...histogram.entries()].sort(([a], [b]) => a - b);
      console.log(`fuzz: ${sent} requests (seed ${SEED}), status histogram: ${statuses.map(([s, n]) => `${s}×${n}`).join(' ')}`);
    }
    expect(bad.length, bad.slice(0, 20).join('\n')).toBe(0);
    expect(sent).toBeGreaterThanOrEqual(10_000);
    expect([...histogram.keys()].some((s) => s < 300)).toBe(true);

    const health = await t.request('GET', '/healthz');
    expect(health.status).toBe(200);
    expect(health.body.status).toBe('ok');
    expect((await t.request('GET', '/api/incidents', undefined, { authorization: '' })).status).toBe(401);
    expect((await t.request('GET', '/api/stations')).body.stations).toHaveLength(44);
  });
});
