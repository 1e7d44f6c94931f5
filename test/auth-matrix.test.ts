import { channel } from 'node:diagnostics_channel';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, SCOPES, type Role, type Scope } from '../src/core/roles.ts';
import { ACCESS, type Rule } from '../src/server/access.ts';
import { buildServer } from '../src/server/app.ts';
import { ManualClock } from '../src/time/clock.ts';
import { CIVIC_CENTER, createIncident, expectError } from './support/api.ts';
import { bearer, cookieFor, printedRoutes, recordRoutes, sessionHeaders } from './support/auth.ts';
import { startTestServer, type TestServer } from './support/server.ts';

/**
 * The route × role matrix of issue 3: every route the server has, from its own route table and
 * from GET /openapi.json, called for real by every kind of caller, must be allowed or refused
 * (401 without valid credentials, 403 for the wrong kind of credential or the wrong role) exactly as the one
 * table in access.ts says.
 */

const PASSWORD = 'matrix password 0123';

interface Caller {
  readonly label: string;
  readonly headers: Record<string, string>;
  /** Undefined: the caller has no valid credentials. */
  readonly role?: Role;
  /** How it proves who it is (valid callers only). */
  readonly via?: 'token' | 'session' | 'device';
  readonly scopes: readonly Scope[];
}

/** The rule for a route, HEAD sharing GET's (as documented in access.ts). */
const ruleOf = (route: string): Rule | undefined => ACCESS[route.replace(/^HEAD /, 'GET ')];

/**
 * Routes open to the network whose caller proves itself by other means than our credentials: a
 * partner centre signs the body with the key we share (src/alerting/signed-post.ts). No caller of
 * this matrix holds that key, so each is refused 401 PartnerSignatureInvalid, whatever it presents.
 */
const SIGNED_BY_PARTNER = new Set(['POST /api/partners/:partnerId/incidents']);

/** What the table says should happen, stated independently of the server's own check. */
function expected(rule: Rule, caller: Caller, route: string): 'allowed' | 401 | 403 | 'wrong kind' {
  if (SIGNED_BY_PARTNER.has(route)) return 401;
  if (rule === 'public') return 'allowed';
  if (caller.role === undefined) return 401;
  // A device token only on a volunteer's own routes (those with `via`), and nothing else there.
  if (!(rule.via ?? ['token', 'session']).includes(caller.via!)) return 'wrong kind';
  if (caller.role === 'integration') return rule.scope !== undefined && caller.scopes.includes(rule.scope) ? 'allowed' : 403;
  return rule.roles.includes(caller.role) ? 'allowed' : 403;
}

describe('the route × role matrix: every route, every kind of caller, exactly as access.ts says', () => {
  const clock = new ManualClock();
  let t: TestServer;
  let routes: string[];
  const callers: Caller[] = [];
  let incident: string;
  let other: string;

  beforeAll(async () => {
    const recorder = recordRoutes();
    try {
      t = await startTestServer({ clock });
    } finally {
      recorder.stop();
    }
    // The server's route table: what onRoute saw, plus what the router prints and really has
    // (printRoutes alone misdraws wildcards, onRoute alone misses Fastify's implicit `/docs/`).
    const table = new Set(recorder.routes);
    for (const r of printedRoutes(t.server.printRoutes({ commonPrefix: false }))) {
      const [method, url] = r.split(' ') as [string, string];
      if (t.server.hasRoute({ method: method as 'GET', url })) table.add(r);
    }
    routes = [...table].filter((r) => !r.startsWith('OPTIONS ')).sort();

    const accounts = t.app.accounts;
    const add = async (role: Role) => accounts.addUser(`matrix-${role}`, role, PASSWORD, 'test');
    await accounts.addUser('matrix-signin', 'call_taker', PASSWORD, 'test');

    // Callers without valid credentials.
    callers.push({ label: 'no credentials', headers: { authorization: '' }, scopes: [] });
    callers.push({ label: 'a bogus bearer token', headers: bearer(`sam_AAAAAAAAAAAA_${'B'.repeat(43)}`), scopes: [] });
    callers.push({ label: 'a malformed Authorization header', headers: { authorization: 'Basic YWRtaW46YWRtaW4=' }, scopes: [] });
    const revoked = await accounts.createToken({ name: 'revoked', role: 'admin', by: 'test' });
    await accounts.revokeToken(revoked.record.id, 'test');
    callers.push({ label: 'a revoked admin token', headers: bearer(revoked.token), scopes: [] });
    await add('supervisor');
    const expired = (await accounts.signIn('matrix-supervisor', PASSWORD, '127.0.0.1'))!;
    clock.advance(12 * 60 * 60 * 1000 + 1);
    callers.push({ label: 'an expired supervisor session', headers: sessionHeaders({ cookie: cookieFor(expired.token), csrf: expired.csrf }), scopes: [] });
    const ended = (await accounts.signIn('matrix-supervisor', PASSWORD, '127.0.0.1'))!;
    await accounts.signOut((await accounts.authenticate(ended.token, 'session'))!);
    callers.push({ label: 'a signed-out supervisor session', headers: sessionHeaders({ cookie: cookieFor(ended.token), csrf: ended.csrf }), scopes: [] });
    callers.push({ label: 'a session cookie holding a bearer token', headers: { authorization: '', cookie: cookieFor(t.dispatcherToken) }, scopes: [] });

    // Bearer tokens of every role, integrations with no scope, each scope, and all of them.
    for (const role of ROLES) callers.push({ label: `${role} token`, headers: bearer(await t.token(role)), role, via: 'token', scopes: [] });
    for (const scope of SCOPES) {
      callers.push({ label: `integration token [${scope}]`, headers: bearer(await t.token('integration', [scope])), role: 'integration', via: 'token', scopes: [scope] });
    }
    callers.push({ label: 'integration token [all scopes]', headers: bearer(await t.token('integration', [...SCOPES])), role: 'integration', via: 'token', scopes: SCOPES });
    const device = await accounts.createToken({ name: 'phone', role: 'volunteer', kind: 'device', subject: 'volunteer-1', by: 'test' });
    callers.push({ label: 'volunteer device token', headers: bearer(device.token), role: 'volunteer', via: 'device', scopes: [] });

    // Console sessions of every role (the cookie with its CSRF token).
    for (const role of ROLES) {
      if (role !== 'supervisor') await add(role);
      const s = (await accounts.signIn(`matrix-${role}`, PASSWORD, '127.0.0.1'))!;
      callers.push({ label: `${role} session`, headers: sessionHeaders({ cookie: cookieFor(s.token), csrf: s.csrf }), role, via: 'session', scopes: [] });
    }

    incident = await createIncident(t, { location: CIVIC_CENTER, nature: 'medical' });
    other = await createIncident(t, { location: CIVIC_CENTER, nature: 'odor' });
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A real request for a route: its path parameters filled in and a body of the right shape. */
  function requestFor(route: string, caller: Caller): { path: string; body?: unknown } {
    const [method, url] = route.split(' ') as [string, string];
    const path = url
      .replace(/^\/api\/incidents\/:id/, `/api/incidents/${incident}`)
      .replace(/^\/api\/units\/:id/, '/api/units/E01')
      .replace(/^\/api\/tokens\/:id/, '/api/tokens/nosuchtoken0')
      .replace(/^\/api\/users\/:id/, '/api/users/nosuchuser')
      .replace(/^\/api\/volunteers\/:id/, '/api/volunteers/VNOSUCHVOLUNTEER')
      .replace(/:kind/, 'cpr')
      .replace(/\*$/, 'swagger-ui.css');
    const bodies: Record<string, unknown> = {
      'POST /api/session': { name: 'matrix-signin', password: PASSWORD },
      'POST /api/incidents': { location: CIVIC_CENTER, nature: 'medical' },
      'PATCH /api/incidents/:id': { notes: `checked by ${caller.label}` },
      'POST /api/incidents/:id/dispatch': { unitIds: ['E99'] },
      'POST /api/incidents/:id/merge': { into: other },
      'POST /api/units/:id/status': { status: 'available' },
      'POST /api/units/:id/position': CIVIC_CENTER,
      'POST /api/tokens': { name: 'matrix-made', role: 'integration', scopes: ['units:read'] },
      'POST /api/users': { name: `made-by-${caller.label.replace(/\W+/g, '-')}`, role: 'call_taker', password: PASSWORD },
      'PATCH /api/users/:id': { role: 'call_taker' },
      'POST /api/volunteers': { name: 'Matrix Volunteer', phone: '+1 415 555 0100', locationConsent: true },
      'PATCH /api/volunteers/me': { available: true },
      'POST /api/volunteers/me/qualifications': { kind: 'cpr', expiresAt: '2030-01-01' },
      'POST /api/volunteers/me/position': CIVIC_CENTER,
    };
    if (route in bodies) return { path, body: bodies[route] };
    return method === 'POST' ? { path, body: {} } : { path };
  }

  it('every route of the server has a rule in ACCESS, and every rule names a route the server has', () => {
    expect(routes.length).toBeGreaterThan(40);
    expect(routes.filter((r) => ruleOf(r) === undefined)).toEqual([]);
    const served = new Set(routes.map((r) => r.replace(/^HEAD /, 'GET ')));
    expect(Object.keys(ACCESS).filter((k) => !served.has(k))).toEqual([]);
  });

  it('every operation of GET /openapi.json is a route of the server, so the matrix below covers the documented API', async () => {
    const doc = (await t.request('GET', '/openapi.json', undefined, { authorization: '' })).body;
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    expect(documented.length).toBeGreaterThanOrEqual(27);
    expect(documented.filter((r) => !routes.includes(r))).toEqual([]);
    expect(documented.filter((r) => r.includes('/api/') && ruleOf(r) === 'public').sort()).toEqual([
      // Public warnings are for the public (OASIS CAP: the feed and each warning's alert).
      'GET /api/cap/feed',
      'GET /api/cap/warnings/:id',
      'GET /api/volunteers/push-key',
      // A partner centre's hand-over: open to the network, but signed with the key we share.
      'POST /api/partners/:partnerId/incidents',
      'POST /api/session',
      'POST /api/volunteers',
      'POST /api/volunteers/enrol',
    ]);
  });

  it('every route × every caller is allowed, 401 or 403 exactly as ACCESS says', async () => {
    // Signing out ends a session: it goes last for each caller.
    const ordered = [...routes.filter((r) => r !== 'DELETE /api/session'), 'DELETE /api/session'];
    const wrong: string[] = [];
    const tally = { allowed: 0, 401: 0, 403: 0, 'wrong kind': 0 };
    for (const caller of callers) {
      for (const route of ordered) {
        const rule = ruleOf(route)!;
        const want = expected(rule, caller, route);
        const { path, body } = requestFor(route, caller);
        const res = await t.request(route.split(' ')[0]!, path, body, caller.headers);
        const denial = res.body?.error?.code as string | undefined;
        const ok =
          want === 'allowed'
            ? res.status < 500 && res.status !== 401 && res.status !== 403
            : want === 'wrong kind'
              ? res.status === 403 && (route.startsWith('HEAD ') || denial === 'WrongCredentialKind')
              : res.status === want &&
                (route.startsWith('HEAD ') ||
                  denial === (SIGNED_BY_PARTNER.has(route) ? 'PartnerSignatureInvalid' : want === 401 ? 'Unauthenticated' : 'Forbidden'));
        if (!ok) wrong.push(`${caller.label} → ${route}: expected ${want}, got ${res.status} ${res.text.slice(0, 200)}`);
        tally[want]++;
      }
    }
    const cases = callers.length * ordered.length;
    console.log(`route × role matrix: ${ordered.length} routes × ${callers.length} callers = ${cases} cases checked`, tally);
    expect(wrong).toEqual([]);
    expect(callers.length).toBe(7 + ROLES.length + SCOPES.length + 2 + ROLES.length);
    expect(tally.allowed).toBeGreaterThan(0);
    expect(tally[401]).toBeGreaterThan(0);
    expect(tally[403]).toBeGreaterThan(0);
    expect(tally['wrong kind']).toBeGreaterThan(0);
  });

  it('401 and 403 both use the API error body, and a denied request changes nothing', async () => {
    const auditor = bearer(await t.token('admin')); // token events are not for dispatchers
    const before = (await t.request('GET', '/healthz')).body.head as number;
    const volunteer = await t.token('volunteer');
    const denied = [
      await t.request('POST', '/api/incidents', { location: CIVIC_CENTER, nature: 'medical' }, { authorization: '' }),
      await t.request('POST', '/api/incidents', { location: CIVIC_CENTER, nature: 'medical' }, bearer(volunteer)),
      await t.request('POST', '/api/users', { name: 'sneaky', role: 'admin', password: PASSWORD }, bearer(await t.token('supervisor'))),
    ];
    expectError(denied[0]!, 401, 'Unauthenticated');
    expectError(denied[1]!, 403, 'Forbidden');
    expectError(denied[2]!, 403, 'Forbidden');
    // Only the two tokens issued above reached the log.
    const after = (await t.request('GET', `/api/events?after=${before}`, undefined, auditor)).body.events as { type: string }[];
    expect(after.map((e) => e.type)).toEqual(['TokenIssued', 'TokenIssued']);
    expect(await t.app.accounts.userByName('sneaky')).toBeUndefined();
  });

  it('the server refuses to start when a route without a rule is registered', async () => {
    const plugin = await buildServer(t.app, { logger: false });
    void plugin.register(async (s) => {
      s.get('/api/unruled', async () => ({ secret: true }));
    });
    await expect(plugin.ready()).rejects.toThrow(/No authorization rule for GET \/api\/unruled/);
    await plugin.close().catch(() => undefined);

    const direct = await buildServer(t.app, { logger: false });
    expect(() => direct.put('/api/incidents/:id', async () => ({}))).toThrow(/No authorization rule for PUT \/api\/incidents\/:id/);
    await direct.close();
  });

  it('a route that slipped in before the table was installed is still refused at request time (403)', async () => {
    const recorder = recordRoutes();
    const early = (message: unknown) => {
      void (message as { fastify: FastifyInstance }).fastify.register(async (s) => {
        s.get('/api/early', async () => ({ secret: true }));
      });
    };
    channel('fastify.initialization').subscribe(early);
    let server: FastifyInstance;
    try {
      server = await buildServer(t.app, { logger: false });
    } finally {
      channel('fastify.initialization').unsubscribe(early);
      recorder.stop();
    }
    expect(recorder.routes.has('GET /api/early')).toBe(true);
    const res = await server.inject({ method: 'GET', url: '/api/early', headers: { authorization: `Bearer ${await t.token('admin')}` } });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({ error: { code: 'Forbidden', message: expect.any(String) } });
    await server.close();
  });
});

