import { afterEach, describe, expect, it } from 'vitest';
import { CIVIC_CENTER, expectError } from './support/api.ts';
import { bearer, bounded, sessionHeaders, signIn } from './support/auth.ts';
import { startTestServer, type TestResponse, type TestServer } from './support/server.ts';

/** Rate limits that really trigger, and the security headers every answer carries. */

const PASSWORD = 'limits password 2468';
const signInAs = (t: TestServer, name: string, password: string) => t.request('POST', '/api/session', { name, password }, { authorization: '' });

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** Asserts a 429 of @fastify/rate-limit: the API's error shape, with a Retry-After. */
function expectLimited(res: TestResponse): void {
  expectError(res, 429, 'RateLimited');
  expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
}

describe('rate limits', () => {
  it('a successful sign-in forgives the failures before it (failures are throttled per name and address: test/auth-sign-in-throttle.test.ts)', async () => {
    t = await startTestServer();
    await t.app.accounts.addUser('forgetful', 'call_taker', PASSWORD, 'test');
    for (let i = 0; i < 4; i++) expect((await signInAs(t, 'forgetful', 'wrong password')).status).toBe(401);
    expect((await signInAs(t, 'forgetful', PASSWORD)).status).toBe(201);
    for (let i = 0; i < 4; i++) expect((await signInAs(t, 'forgetful', 'wrong password')).status).toBe(401);
    expect((await signInAs(t, 'forgetful', PASSWORD)).status).toBe(201);
  });

  it('more than 30 sign-ins a minute from one IP are refused (429 RateLimited), whatever the names', async () => {
    t = await startTestServer();
    await t.app.accounts.addUser('real-user', 'dispatcher', PASSWORD, 'test');
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await signInAs(t, `sprayed-${i}`, 'password123456')).status);
    expect(statuses).toEqual(Array(30).fill(401));
    const over = await signInAs(t, 'real-user', PASSWORD);
    expectLimited(over);
    expect(over.headers.get('set-cookie')).toBeNull();
    expect(over.headers.get('x-ratelimit-limit')).toBe('30');
    expect(over.headers.get('x-ratelimit-remaining')).toBe('0');
    // Other routes are not limited by it.
    expect((await t.request('GET', '/api/units')).status).toBe(200);
  });

  it('POST /api/units/:id/position: beyond 1200 a minute per credential is 429, while another credential goes on', async () => {
    t = await startTestServer();
    const server = t;
    const avl = bearer(await server.token('integration', ['positions:write']));
    const units = ((await server.request('GET', '/api/units')).body.units as { id: string }[]).map((u) => u.id);
    const statuses = await bounded(
      8,
      Array.from({ length: 1200 }, (_, i) => async () => {
        const fix = { lat: CIVIC_CENTER.lat + (i % 50) * 1e-4, lon: CIVIC_CENTER.lon };
        return (await server.request('POST', `/api/units/${units[i % units.length]}/position`, fix, avl)).status;
      }),
    );
    expect(statuses.filter((s) => s !== 202)).toEqual([]);
    const over = await server.request('POST', '/api/units/E01/position', CIVIC_CENTER, avl);
    expectLimited(over);
    expect((await server.request('POST', '/api/units/E01/position', CIVIC_CENTER)).status).toBe(202); // the dispatcher token
    expect((await server.request('POST', '/api/units/E01/position', CIVIC_CENTER, bearer(await server.token('dispatcher')))).status).toBe(202);
    expect((await server.request('GET', '/api/units/E01')).status).toBe(200); // other routes of the same credential are not limited
  });

  it('POST /api/tokens: beyond 30 a minute per credential is 429', async () => {
    t = await startTestServer();
    const admin = bearer(await t.token('admin'));
    for (let i = 0; i < 30; i++) expect((await t.request('POST', '/api/tokens', { name: `bulk-${i}`, role: 'volunteer' }, admin)).status).toBe(201);
    expectLimited(await t.request('POST', '/api/tokens', { name: 'one-too-many', role: 'volunteer' }, admin));
    expect((await t.app.accounts.tokens('api')).filter((x) => x.name === 'one-too-many')).toEqual([]);
    expect((await t.request('POST', '/api/tokens', { name: 'another-admin', role: 'volunteer' }, bearer(await t.token('admin')))).status).toBe(201);
  });
});

describe('security headers', () => {
  const expectSecurityHeaders = (res: TestResponse, where: string) => {
    const csp = res.headers.get('content-security-policy') ?? '';
    const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k!, v.join(' ')]));
    expect(directives.get('default-src'), where).toBe("'self'");
    expect(directives.get('script-src'), where).toBe("'self'");
    expect(directives.get('object-src'), where).toBe("'none'");
    expect(directives.get('frame-ancestors'), where).toBe("'none'");
    expect(directives.get('base-uri'), where).toBe("'self'");
    expect(csp, where).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(res.headers.get('x-content-type-options'), where).toBe('nosniff');
    expect(res.headers.get('x-frame-options'), where).toBe('SAMEORIGIN');
    expect(res.headers.get('referrer-policy'), where).toBe('no-referrer');
    expect(res.headers.get('strict-transport-security'), where).toMatch(/^max-age=\d{7,}/);
    expect(res.headers.get('cross-origin-opener-policy'), where).toBe('same-origin');
    expect(res.headers.get('cross-origin-resource-policy'), where).toBe('same-origin');
    expect(res.headers.get('x-powered-by'), where).toBeNull();
  };

  it('every /api answer carries them, successes and errors alike: a strict CSP, nosniff, no framing, no referrer', async () => {
    t = await startTestServer();
    await t.app.accounts.addUser('headers', 'dispatcher', PASSWORD, 'test');
    const s = await signIn(t, 'headers', PASSWORD);
    const answers: [string, TestResponse][] = [
      ['200', await t.request('GET', '/api/units')],
      ['201', await t.request('POST', '/api/incidents', { location: CIVIC_CENTER, nature: 'medical' })],
      ['201 sign-in', s.res],
      ['204 sign-out', await t.request('DELETE', '/api/session', undefined, sessionHeaders(s))],
      ['400', await t.request('POST', '/api/incidents', { nature: 42 })],
      ['401', await t.request('GET', '/api/units', undefined, { authorization: '' })],
      ['403', await t.request('GET', '/api/tokens')],
      ['404', await t.request('GET', '/api/nothing-here')],
      ['413', await t.request('POST', '/api/incidents', { notes: 'x'.repeat(70_000) })],
      ['415', await t.request('POST', '/api/incidents', 'x', { 'content-type': 'text/plain' })],
      ['healthz', await t.request('GET', '/healthz')],
    ];
    for (const [where, res] of answers) expectSecurityHeaders(res, where);
    expect(answers.map(([, r]) => r.status)).toEqual([200, 201, 201, 204, 400, 401, 403, 404, 413, 415, 200]);
  });
});
