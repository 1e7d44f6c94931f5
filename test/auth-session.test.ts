import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_TTL_MS } from '../src/accounts/accounts.ts';
import { ManualClock } from '../src/time/clock.ts';
import { CIVIC_CENTER, createIncident, expectError } from './support/api.ts';
import { bearer, sessionHeaders, signIn, type SignedIn } from './support/auth.ts';
import { startTestServer, type TestResponse, type TestServer } from './support/server.ts';

/** The console's session cookie: how it is set, fixation, CSRF, sign-out, role changes and the audit trail. */

const PASSWORDS = {
  'ada-dispatcher': 'ada correct horse battery',
  'bob-admin': 'bob staple gun 4711 !',
  'cy-calltaker': 'cy orbital sunrise 99',
} as const;
const INCIDENT = { location: CIVIC_CENTER, nature: 'medical' } as const;

interface LoggedEvent {
  seq: number;
  type: string;
  stream: string;
  data: Record<string, unknown>;
}

describe('console sessions: an httpOnly SameSite=Strict cookie with CSRF protection', () => {
  const clock = new ManualClock();
  let t: TestServer;
  let supervisor: Record<string, string>;
  /** Every response of this file, to scan for secrets at the end. */
  const seen: TestResponse[] = [];
  const secrets: string[] = [];
  const ids: Record<string, string> = {};

  const call = async (method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
    const res = await t.request(method, path, body, headers);
    seen.push(res);
    return res;
  };
  const login = async (name: keyof typeof PASSWORDS, extra: Record<string, string> = {}): Promise<SignedIn> => {
    const s = await signIn(t, name, PASSWORDS[name], extra);
    seen.push(s.res);
    secrets.push(decodeURIComponent(s.cookie.split('=')[1]!));
    return s;
  };
  const events = async (): Promise<LoggedEvent[]> => {
    const all: LoggedEvent[] = [];
    for (;;) {
      const res = await call('GET', `/api/events?after=${all.at(-1)?.seq ?? 0}&limit=1000`, undefined, supervisor);
      expect(res.status).toBe(200);
      if (res.body.events.length === 0) return all;
      all.push(...(res.body.events as LoggedEvent[]));
    }
  };

  beforeAll(async () => {
    t = await startTestServer({ clock });
    supervisor = bearer(await t.token('supervisor'));
    ids['ada-dispatcher'] = (await t.app.accounts.addUser('ada-dispatcher', 'dispatcher', PASSWORDS['ada-dispatcher'], 'test')).id;
    ids['bob-admin'] = (await t.app.accounts.addUser('bob-admin', 'admin', PASSWORDS['bob-admin'], 'test')).id;
    ids['cy-calltaker'] = (await t.app.accounts.addUser('cy-calltaker', 'call_taker', PASSWORDS['cy-calltaker'], 'test')).id;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('signing in answers 201 with the user and a CSRF token, and sets an HttpOnly, SameSite=Strict, Path=/ cookie', async () => {
    const s = await login('ada-dispatcher');
    expect(s.res.body).toEqual({ user: { id: ids['ada-dispatcher'], name: 'ada-dispatcher', role: 'dispatcher' }, csrfToken: expect.any(String) });
    expect(s.csrf.length).toBeGreaterThanOrEqual(32);
    const attributes = s.setCookie.split(';').map((a) => a.trim());
    expect(attributes[0]).toMatch(/^samaritan_session=ses_[A-Za-z0-9_-]+$/);
    expect(attributes).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/', `Max-Age=${SESSION_TTL_MS / 1000}`]));
    const me = await call('GET', '/api/session', undefined, sessionHeaders(s));
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ user: { id: ids['ada-dispatcher'], name: 'ada-dispatcher', role: 'dispatcher' }, via: 'session', csrfToken: s.csrf });
  });

  it('session fixation: every sign-in gets a new session id, whatever cookie came with it', async () => {
    const planted = `samaritan_session=ses_AAAAAAAAAAAA_${'A'.repeat(43)}`;
    const afterPlanted = await login('ada-dispatcher', { cookie: planted });
    expect(afterPlanted.cookie).not.toBe(planted);
    expectError(await call('GET', '/api/session', undefined, { authorization: '', cookie: planted }), 401, 'Unauthenticated');

    const first = await login('ada-dispatcher');
    const again = await login('ada-dispatcher', { cookie: first.cookie, 'x-csrf-token': first.csrf });
    expect(again.cookie).not.toBe(first.cookie);
    expect(again.csrf).not.toBe(first.csrf);
    const cookies = new Set([afterPlanted.cookie, first.cookie, again.cookie]);
    expect(cookies.size).toBe(3);
  });

  it('session fixation: a low-privilege session planted before an admin signs in is not elevated', async () => {
    const attacker = await login('cy-calltaker');
    const admin = await login('bob-admin', { cookie: attacker.cookie });
    expect(admin.cookie).not.toBe(attacker.cookie);
    expect((await call('GET', '/api/session', undefined, sessionHeaders(attacker))).body.user.role).toBe('call_taker');
    expectError(await call('GET', '/api/users', undefined, sessionHeaders(attacker)), 403, 'Forbidden');
    expect((await call('GET', '/api/users', undefined, sessionHeaders(admin))).status).toBe(200);
  });

  it('CSRF: a cookie-authenticated POST, PATCH or DELETE without the x-csrf-token header is 403 CsrfTokenInvalid and changes nothing', async () => {
    const s = await login('ada-dispatcher');
    const id = await createIncident(t, INCIDENT);
    const before = (await call('GET', '/healthz')).body.head as number;
    const noCsrf = { authorization: '', cookie: s.cookie };
    expectError(await call('POST', '/api/incidents', INCIDENT, noCsrf), 403, 'CsrfTokenInvalid');
    expectError(await call('PATCH', `/api/incidents/${id}`, { notes: 'forged' }, noCsrf), 403, 'CsrfTokenInvalid');
    expectError(await call('POST', `/api/incidents/${id}/cancel`, {}, noCsrf), 403, 'CsrfTokenInvalid');
    expectError(await call('DELETE', '/api/session', undefined, noCsrf), 403, 'CsrfTokenInvalid');
    expect((await call('GET', '/healthz')).body.head).toBe(before);
    expect((await call('GET', '/api/session', undefined, noCsrf)).status).toBe(200); // not signed out
  });

  it('CSRF: a wrong token, an empty one, or another session’s token is 403 too', async () => {
    const s = await login('ada-dispatcher');
    const other = await login('ada-dispatcher');
    const id = await createIncident(t, INCIDENT);
    for (const csrf of ['wrong', '', other.csrf, s.csrf.slice(0, -1), `${s.csrf}x`]) {
      const headers = { authorization: '', cookie: s.cookie, 'x-csrf-token': csrf };
      expectError(await call('POST', '/api/incidents', INCIDENT, headers), 403, 'CsrfTokenInvalid');
      expectError(await call('PATCH', `/api/incidents/${id}`, { notes: 'forged' }, headers), 403, 'CsrfTokenInvalid');
    }
    const admin = await login('bob-admin');
    const forgedAdmin = { authorization: '', cookie: admin.cookie, 'x-csrf-token': s.csrf };
    expectError(await call('PATCH', `/api/users/${ids['cy-calltaker']}`, { role: 'admin' }, forgedAdmin), 403, 'CsrfTokenInvalid');
    expectError(await call('DELETE', '/api/tokens/nosuchtoken0', undefined, forgedAdmin), 403, 'CsrfTokenInvalid');
    expect((await t.app.accounts.userByName('cy-calltaker'))!.role).toBe('call_taker');
  });

  it('CSRF: with the right token POST, PATCH and DELETE go through; GET needs none; bearer tokens need none', async () => {
    const s = await login('ada-dispatcher');
    const created = await call('POST', '/api/incidents', INCIDENT, sessionHeaders(s));
    expect(created.status, created.text).toBe(201);
    const id = created.body.id as string;
    expect((await call('PATCH', `/api/incidents/${id}`, { notes: 'from the console' }, sessionHeaders(s))).status).toBe(200);
    expect((await call('POST', `/api/incidents/${id}/cancel`, {}, sessionHeaders(s))).status).toBe(200);
    const noCsrf = { authorization: '', cookie: s.cookie };
    expect((await call('GET', `/api/incidents/${id}`, undefined, noCsrf)).body.notes).toBe('from the console');
    expect((await call('GET', '/api/units', undefined, noCsrf)).status).toBe(200);
    expect((await call('HEAD', '/api/units', undefined, noCsrf)).status).toBe(200);

    const dispatcher = bearer(t.dispatcherToken);
    expect((await call('POST', '/api/incidents', INCIDENT, dispatcher)).status).toBe(201);
    const admin = bearer(await t.token('admin'));
    expect((await call('POST', '/api/tokens', { name: 'no-csrf-needed', role: 'integration', scopes: ['units:read'] }, admin)).status).toBe(201);
    expect((await call('DELETE', '/api/session', undefined, dispatcher)).status).toBe(204);
    expect((await call('GET', '/api/units', undefined, dispatcher)).status).toBe(200); // a bearer token is not signed out
  });

  it('signing out (DELETE /api/session) clears the cookie, and the old cookie stops working at once', async () => {
    const s = await login('ada-dispatcher');
    const out = await call('DELETE', '/api/session', undefined, sessionHeaders(s));
    expect(out.status).toBe(204);
    const cleared = out.headers.get('set-cookie')!;
    expect(cleared).toMatch(/^samaritan_session=;/);
    expect(cleared).toContain('Max-Age=0');
    for (const [method, path, body] of [
      ['GET', '/api/session'],
      ['GET', '/api/incidents'],
      ['POST', '/api/incidents', INCIDENT],
      ['DELETE', '/api/session'],
    ] as const) {
      expectError(await call(method, path, body, sessionHeaders(s)), 401, 'Unauthenticated');
    }
    const other = await login('ada-dispatcher'); // other sessions of the same user live on
    expect((await call('GET', '/api/session', undefined, sessionHeaders(other))).status).toBe(200);
  });

  it('a session ends after 12 h unused (each use moves its end on: test/auth-credentials.test.ts)', async () => {
    const s = await login('cy-calltaker');
    clock.advance(SESSION_TTL_MS - 1000);
    expect((await call('GET', '/api/session', undefined, sessionHeaders(s))).status).toBe(200);
    clock.advance(SESSION_TTL_MS);
    expectError(await call('GET', '/api/session', undefined, sessionHeaders(s)), 401, 'Unauthenticated');
  });

  it('a role change (PATCH /api/users/:id) takes effect on the next request of a session already open', async () => {
    const cy = await login('cy-calltaker');
    const id = await createIncident(t, INCIDENT);
    expectError(await call('POST', `/api/incidents/${id}/dispatch`, { unitIds: ['E05'] }, sessionHeaders(cy)), 403, 'Forbidden');
    const admin = await login('bob-admin');
    const patched = await call('PATCH', `/api/users/${ids['cy-calltaker']}`, { role: 'dispatcher' }, sessionHeaders(admin));
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body).toEqual({ id: ids['cy-calltaker'], name: 'cy-calltaker', role: 'dispatcher' });
    expect((await call('GET', '/api/session', undefined, sessionHeaders(cy))).body.user.role).toBe('dispatcher');
    expect((await call('POST', `/api/incidents/${id}/dispatch`, { unitIds: ['E05'] }, sessionHeaders(cy))).status).toBe(200);

    expect((await call('PATCH', `/api/users/${ids['cy-calltaker']}`, { role: 'volunteer' }, sessionHeaders(admin))).status).toBe(200);
    expectError(await call('GET', '/api/incidents', undefined, sessionHeaders(cy)), 403, 'Forbidden');
    expect((await call('PATCH', `/api/users/${ids['cy-calltaker']}`, { role: 'call_taker' }, sessionHeaders(admin))).status).toBe(200);
    expect((await call('GET', '/api/incidents', undefined, sessionHeaders(cy))).status).toBe(200);

    const changes = (await events()).filter((e) => e.type === 'UserRoleChanged' && e.data.userId === ids['cy-calltaker']);
    expect(changes.map((e) => [e.data.from, e.data.to, e.data.by])).toEqual([
      ['call_taker', 'dispatcher', 'bob-admin'],
      ['dispatcher', 'volunteer', 'bob-admin'],
      ['volunteer', 'call_taker', 'bob-admin'],
    ]);
  });

  it('a wrong password is 401 with a SignInFailed event; the right one a SignedIn event; an unknown name looks the same', async () => {
    const before = (await call('GET', '/healthz')).body.head as number;
    const wrong = await call('POST', '/api/session', { name: 'ada-dispatcher', password: 'not her password' }, { authorization: '' });
    expectError(wrong, 401, 'Unauthenticated');
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const unknown = await call('POST', '/api/session', { name: 'nobody-here', password: 'whatever it is' }, { authorization: '' });
    expectError(unknown, 401, 'Unauthenticated');
    expect(unknown.body.error.message).toBe(wrong.body.error.message);
    const s = await login('ada-dispatcher');
    const out = await call('DELETE', '/api/session', undefined, sessionHeaders(s));
    expect(out.status).toBe(204);

    const recent = (await events()).filter((e) => e.seq > before);
    expect(recent.map((e) => e.type)).toEqual(['SignInFailed', 'SignInFailed', 'SignedIn', 'SignedOut']);
    expect(recent[0]).toMatchObject({ stream: 'audit-sign-in', data: { name: 'ada-dispatcher', ip: '127.0.0.1' } });
    expect(recent[1]).toMatchObject({ data: { name: 'nobody-here' } });
    expect(recent[2]).toMatchObject({ stream: `user-${ids['ada-dispatcher']}`, data: { userId: ids['ada-dispatcher'], ip: '127.0.0.1' } });
    expect(recent[3]!.data.sessionId).toBe(recent[2]!.data.sessionId);
    expect(s.cookie).toContain(`ses_${recent[2]!.data.sessionId as string}_`); // the id, never the secret
  });

  it('no event and no response ever holds a password, a session or token secret, or a password or token hash', async () => {
    const logText = JSON.stringify(await events());
    const responses = seen.map((r) => `${JSON.stringify([...r.headers.entries()].filter(([k]) => k !== 'set-cookie'))}\n${r.text}`).join('\n');
    const users = await t.app.accounts.users();
    const tokens = [...(await t.app.accounts.tokens('api')), ...(await t.app.accounts.tokens('session'))];
    const forbidden = [
      ...Object.values(PASSWORDS),
      ...secrets.map((s) => s.split('_').slice(2).join('_')), // the secret part of each session id
      t.dispatcherToken.slice(17),
      ...users.flatMap((u) => [u.passwordHash, u.passwordHash.split('$').at(-1)!, u.passwordHash.split('$').at(-2)!]),
      ...tokens.map((tk) => tk.hash),
    ];
    expect(secrets.length).toBeGreaterThan(10);
    expect(tokens.some((tk) => tk.kind === 'session')).toBe(true);
    for (const secret of forbidden) {
      expect(secret.length).toBeGreaterThanOrEqual(12);
      expect(logText.includes(secret), `the event log holds ${secret}`).toBe(false);
      expect(responses.includes(secret), `a response holds ${secret}`).toBe(false);
    }
    expect(logText).toContain('SignInFailed');
    expect(seen.length).toBeGreaterThan(60);
    expect(seen.filter((r) => r.status >= 500)).toEqual([]);
  });
});
