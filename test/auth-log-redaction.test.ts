import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSamaritan, type Samaritan } from '../src/composition/samaritan.ts';
import { buildServer } from '../src/server/app.ts';
import { CIVIC_CENTER } from './support/api.ts';
import { cookieFor } from './support/auth.ts';

/**
 * Secrets never reach the logs: the server logs at its most verbose level into a captured stream
 * while real requests carry bearer tokens, session cookies, CSRF tokens, passwords and phone numbers.
 */

const PASSWORD = 'log password 13579 secret';
const PHONE = '+1 415 555 0199';

describe('log redaction', () => {
  const dir = mkdtempSync(join(tmpdir(), 'samaritan-logs-'));
  const lines: string[] = [];
  let app: Samaritan;
  let server: FastifyInstance;
  let base: string;
  const secrets: string[] = [];

  const send = async (method: string, path: string, headers: Record<string, string>, body?: unknown) => {
    const res = await fetch(base + path, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, headers: res.headers, text: await res.text() };
  };

  beforeAll(async () => {
    app = await openSamaritan({ dataDir: dir });
    server = await buildServer(app, { logger: { level: 'trace' }, loggerStream: { write: (line: string) => void lines.push(line) } });
    base = await server.listen({ port: 0, host: '127.0.0.1' });
    await app.accounts.addUser('logged-user', 'dispatcher', PASSWORD, 'test');
  });
  afterAll(async () => {
    await server?.close();
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('Authorization, cookies, x-csrf-token, set-cookie, passwords and phone numbers never appear in the log lines', async () => {
    const token = (await app.accounts.createToken({ name: 'logged', role: 'admin', by: 'test' })).token;
    secrets.push(token, token.slice(17), PASSWORD, PHONE);
    const auth = { authorization: `Bearer ${token}` };

    const signIn = await send('POST', '/api/session', {}, { name: 'logged-user', password: PASSWORD });
    expect(signIn.status).toBe(201);
    const setCookie = signIn.headers.get('set-cookie')!;
    const cookie = setCookie.split(';')[0]!;
    const csrf = (JSON.parse(signIn.text) as { csrfToken: string }).csrfToken;
    secrets.push(setCookie, cookie.split('=')[1]!, decodeURIComponent(cookie.split('=')[1]!), csrf);
    const session = { cookie: `${cookie}; theme=dark`, 'x-csrf-token': csrf };

    expect((await send('POST', '/api/session', {}, { name: 'logged-user', password: `${PASSWORD}-wrong` })).status).toBe(401);
    secrets.push(`${PASSWORD}-wrong`);
    expect((await send('GET', '/api/units', auth)).status).toBe(200);
    expect((await send('GET', '/api/session', session)).status).toBe(200);
    const created = await send('POST', '/api/incidents', session, { location: CIVIC_CENTER, nature: 'medical', callbackNumber: PHONE, callerName: 'Pat' });
    expect(created.status).toBe(201);
    const issued = await send('POST', '/api/tokens', auth, { name: 'issued-in-log-test', role: 'dispatcher' });
    expect(issued.status).toBe(201);
    const issuedToken = (JSON.parse(issued.text) as { token: string }).token;
    secrets.push(issuedToken, issuedToken.slice(17));
    const userPassword = 'new user password 24680';
    expect((await send('POST', '/api/users', auth, { name: 'added-in-log-test', role: 'call_taker', password: userPassword })).status).toBe(201);
    secrets.push(userPassword);
    // Failures log too: a bad token, a bad cookie, a wrong CSRF token, a validation error echoing a password.
    const badToken = `sam_AAAAAAAAAAAA_${'S'.repeat(43)}`;
    const badCookie = cookieFor(`ses_BBBBBBBBBBBB_${'C'.repeat(43)}`);
    const badCsrf = 'forged-csrf-token-value-123456';
    const badPassword = 'x'.repeat(150) + 'leaked-password-in-error';
    secrets.push(badToken, badCookie, badCsrf, badPassword);
    expect((await send('GET', '/api/units', { authorization: `Bearer ${badToken}` })).status).toBe(401);
    expect((await send('GET', '/api/units', { cookie: badCookie })).status).toBe(401);
    expect((await send('POST', '/api/incidents', { cookie, 'x-csrf-token': badCsrf }, { location: CIVIC_CENTER, nature: 'medical' })).status).toBe(403);
    expect((await send('POST', '/api/users', auth, { name: 'bad', role: 'call_taker', password: badPassword, extra: 1 })).status).toBe(400);
    expect((await send('DELETE', '/api/session', session)).status).toBe(204);

    const log = lines.join('');
    expect(lines.length).toBeGreaterThan(20);
    expect(log).toContain('incoming request');
    expect(log).toContain('request completed');
    for (const secret of secrets) expect(log.includes(secret), `the log holds ${secret.slice(0, 40)}`).toBe(false);
    expect(log).not.toMatch(/sam_[A-Za-z0-9_-]{12}_[A-Za-z0-9_-]{43}/);
    expect(log).not.toMatch(/ses_[A-Za-z0-9_-]{12}_[A-Za-z0-9_-]{43}/);
  });

  it('the redaction list covers the shapes a handler might log: request and response headers, bodies, people', () => {
    const marker = 'REDACT-ME-7f3a';
    const before = lines.length;
    const headers = { authorization: `Bearer ${marker}`, cookie: `samaritan_session=${marker}`, 'x-csrf-token': marker, 'set-cookie': `s=${marker}` };
    server.log.info({ req: { headers }, res: { headers } }, 'headers under req/res');
    server.log.info({ headers }, 'bare headers');
    server.log.info({ body: { name: 'n', password: marker, token: marker } }, 'a body');
    server.log.info({ incident: { callbackNumber: marker }, volunteer: { phone: marker } }, 'people');
    server.log.child({ reqId: 'x' }).warn({ user: { password: marker } }, 'from a child logger');
    const written = lines.slice(before);
    expect(written).toHaveLength(5);
    for (const line of written) expect(line, line).not.toContain(marker);
  });
});
