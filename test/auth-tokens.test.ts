import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CIVIC_CENTER, expectError } from './support/api.ts';
import { bearer, tokenIdOf } from './support/auth.ts';
import { killAllServers, spawnServer } from './support/child-server.ts';
import { samaritan } from './support/cli.ts';
import { startTestServer, type TestServer } from './support/server.ts';

/** Bearer tokens: issued by admins or the CLI, shown once, stored as a hash, listed, revoked, scoped. */

describe('bearer tokens over the API', () => {
  let t: TestServer;
  let admin: Record<string, string>;
  let supervisor: Record<string, string>;
  beforeAll(async () => {
    t = await startTestServer();
    admin = bearer(await t.token('admin'));
    supervisor = bearer(await t.token('supervisor'));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('an admin issues a token: 201, the token shown once, and it works at once', async () => {
    const res = await t.request('POST', '/api/tokens', { name: 'cad-bridge', role: 'dispatcher' }, admin);
    expect(res.status, res.text).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      name: 'cad-bridge',
      role: 'dispatcher',
      scopes: [],
      createdAt: expect.any(String),
      expiresAt: expect.any(String),
      token: expect.stringMatching(/^sam_[A-Za-z0-9_-]{12}_[A-Za-z0-9_-]{43}$/),
    });
    expect(tokenIdOf(res.body.token as string)).toBe(res.body.id);
    const units = await t.request('GET', '/api/units', undefined, bearer(res.body.token as string));
    expect(units.status).toBe(200);
    expect((await t.request('POST', '/api/incidents', { location: CIVIC_CENTER, nature: 'medical' }, bearer(res.body.token as string))).status).toBe(201);
  });

  it('GET /api/tokens lists tokens but never a secret or a hash', async () => {
    const issued = await t.request('POST', '/api/tokens', { name: 'listed', role: 'integration', scopes: ['units:read', 'events:read'] }, admin);
    const secret = (issued.body.token as string).slice(17);
    const list = await t.request('GET', '/api/tokens', undefined, admin);
    expect(list.status).toBe(200);
    const listed = (list.body.tokens as Record<string, unknown>[]).find((x) => x.id === issued.body.id);
    expect(listed).toEqual({ id: issued.body.id, name: 'listed', role: 'integration', scopes: ['units:read', 'events:read'], createdAt: expect.any(String), expiresAt: expect.any(String) });
    for (const tk of list.body.tokens as Record<string, unknown>[]) {
      for (const key of ['hash', 'token', 'secret']) expect(tk).not.toHaveProperty(key);
    }
    const stored = (await t.app.accounts.tokens('api')).map((r) => r.hash);
    expect(stored.length).toBeGreaterThan(3);
    expect(list.text).not.toContain(secret);
    for (const hash of stored) expect(list.text).not.toContain(hash);
    expect(list.text).not.toMatch(/sam_[A-Za-z0-9_-]{12}_/);
  });

  it('a revoked token is refused with 401 at once; revoking again is 404 UnknownToken', async () => {
    const issued = await t.request('POST', '/api/tokens', { name: 'short-lived', role: 'supervisor' }, admin);
    const token = bearer(issued.body.token as string);
    expect((await t.request('GET', '/api/events?limit=1', undefined, token)).status).toBe(200);
    const revoked = await t.request('DELETE', `/api/tokens/${issued.body.id}`, undefined, admin);
    expect(revoked.status, revoked.text).toBe(204);
    for (const [method, path] of [['GET', '/api/events?limit=1'], ['GET', '/api/units'], ['DELETE', '/api/session']] as const) {
      expectError(await t.request(method, path, undefined, token), 401, 'Unauthenticated');
    }
    expectError(await t.request('DELETE', `/api/tokens/${issued.body.id}`, undefined, admin), 404, 'UnknownToken');
    const listed = (await t.request('GET', '/api/tokens', undefined, admin)).body.tokens.find((x: { id: string }) => x.id === issued.body.id);
    expect(listed.revokedAt).toEqual(expect.any(String));
  });

  it('a token can revoke itself out of existence: an admin token that revokes itself gets 401 next', async () => {
    const issued = await t.request('POST', '/api/tokens', { name: 'self', role: 'admin' }, admin);
    const self = bearer(issued.body.token as string);
    expect((await t.request('DELETE', `/api/tokens/${issued.body.id}`, undefined, self)).status).toBe(204);
    expectError(await t.request('GET', '/api/tokens', undefined, self), 401, 'Unauthenticated');
  });

  it('TokenIssued and TokenRevoked go into the log with who did it, and no secret', async () => {
    const before = (await t.request('GET', '/healthz')).body.head as number;
    const issued = await t.request('POST', '/api/tokens', { name: 'audited', role: 'integration', scopes: ['incidents:read'] }, admin);
    await t.request('DELETE', `/api/tokens/${issued.body.id}`, undefined, admin);
    const res = await t.request('GET', `/api/events?after=${before}`, undefined, supervisor);
    expect(res.body.events).toEqual([
      expect.objectContaining({
        type: 'TokenIssued',
        stream: `token-${issued.body.id}`,
        data: { tokenId: issued.body.id, kind: 'api', name: 'audited', role: 'integration', scopes: ['incidents:read'], by: 'test-admin' },
      }),
      expect.objectContaining({ type: 'TokenRevoked', stream: `token-${issued.body.id}`, data: { tokenId: issued.body.id, by: 'test-admin' } }),
    ]);
    expect(res.text).not.toContain((issued.body.token as string).slice(17));
  });

  it('only admins issue, list or revoke tokens; an admin cannot issue a token with an unknown role or scope', async () => {
    for (const role of ['dispatcher', 'supervisor', 'call_taker', 'volunteer'] as const) {
      const who = bearer(await t.token(role));
      expectError(await t.request('POST', '/api/tokens', { name: 'escalate', role: 'admin' }, who), 403, 'Forbidden');
      expectError(await t.request('GET', '/api/tokens', undefined, who), 403, 'Forbidden');
      expectError(await t.request('DELETE', `/api/tokens/${tokenIdOf(t.dispatcherToken)}`, undefined, who), 403, 'Forbidden');
    }
    expectError(await t.request('POST', '/api/tokens', { name: 'x', role: 'root' }, admin), 400, 'ValidationFailed');
    expectError(await t.request('POST', '/api/tokens', { name: 'x', role: 'integration', scopes: ['everything'] }, admin), 400, 'ValidationFailed');
    expect((await t.request('GET', '/api/units')).status).toBe(200); // the dispatcher token survived
  });

  it('integration tokens reach only what their scopes allow', async () => {
    const unitsRead = bearer(await t.token('integration', ['units:read']));
    expect((await t.request('GET', '/api/units', undefined, unitsRead)).status).toBe(200);
    expect((await t.request('GET', '/api/stations', undefined, unitsRead)).status).toBe(200);
    expectError(await t.request('POST', '/api/units/E01/status', { status: 'out_of_service' }, unitsRead), 403, 'Forbidden');
    expectError(await t.request('POST', '/api/units/E01/position', CIVIC_CENTER, unitsRead), 403, 'Forbidden');
    expectError(await t.request('GET', '/api/incidents', undefined, unitsRead), 403, 'Forbidden');
    expectError(await t.request('GET', '/api/events', undefined, unitsRead), 403, 'Forbidden');

    const writer = bearer(await t.token('integration', ['incidents:write']));
    const created = await t.request('POST', '/api/incidents', { location: CIVIC_CENTER, nature: 'medical' }, writer);
    expect(created.status).toBe(201);
    expectError(await t.request('GET', `/api/incidents/${created.body.id}`, undefined, writer), 403, 'Forbidden');
    expectError(await t.request('POST', `/api/incidents/${created.body.id}/dispatch`, { unitIds: ['E05'] }, writer), 403, 'Forbidden');

    const avl = bearer(await t.token('integration', ['positions:write']));
    expect((await t.request('POST', '/api/units/E01/position', CIVIC_CENTER, avl)).status).toBe(202);
    expectError(await t.request('GET', '/api/units/E01', undefined, avl), 403, 'Forbidden');

    const none = bearer(await t.token('integration'));
    for (const path of ['/api/units', '/api/incidents', '/api/events', '/api/stations', '/api/natures', '/api/session']) {
      expectError(await t.request('GET', path, undefined, none), 403, 'Forbidden');
    }
  });
});

describe('the token and user CLI, with the server stopped', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await killAllServers();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('`token create` on a new data dir prints only the token; `user add` adds a user; `serve` then loads the demo city and honours both', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'samaritan-tokens-'));
    dirs.push(dir);
    const run = await samaritan('token', 'create', '--data-dir', dir, '--role', 'dispatcher', '--name', 'x');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^sam_[A-Za-z0-9_-]{12}_[A-Za-z0-9_-]{43}\n$/);
    expect(run.stdout.split('\n')).toHaveLength(2);
    const token = run.stdout.trim();

    const scoped = await samaritan('token', 'create', '--data-dir', dir, '--role', 'integration', '--name', 'feed', '--scope', 'units:read', '--scope', 'events:read');
    expect(scoped.code, scoped.stderr).toBe(0);
    const added = await samaritan('user', 'add', '--data-dir', dir, '--role', 'supervisor', '--name', 'sam-super', '--password', 'a very long password');
    expect(added.code, added.stderr).toBe(0);

    const server = await spawnServer(dir, { token });
    try {
      const stations = await server.request('GET', '/api/stations');
      expect(stations.status).toBe(200);
      expect(stations.body.stations).toHaveLength(44);
      // The first admin's password is in a file of the data dir only its owner reads, not in the output.
      const passwords = readFileSync(join(dir, 'first-start-passwords.txt'), 'utf8');
      expect(passwords).toMatch(/^admin\tname: admin\tpassword: \S{20}$/m);
      expect(server.output()).toContain(join(dir, 'first-start-passwords.txt'));
      expect(server.output()).not.toContain(/password: (\S{20})/m.exec(passwords)![1]);
      expect(server.output()).not.toContain(token);

      expect((await server.request('GET', '/api/stations', undefined, { authorization: `Bearer ${scoped.stdout.trim()}` })).status).toBe(200);
      expect((await server.request('GET', '/api/incidents', undefined, { authorization: `Bearer ${scoped.stdout.trim()}` })).status).toBe(403);
      expect((await server.request('GET', '/api/stations', undefined, { authorization: '' })).status).toBe(401);

      const signIn = await server.request('POST', '/api/session', { name: 'sam-super', password: 'a very long password' });
      expect(signIn.status).toBe(201);
      expect(signIn.body.user).toMatchObject({ name: 'sam-super', role: 'supervisor' });
      const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
      const me = await fetch(`${server.base}/api/session`, { headers: { cookie } });
      expect(((await me.json()) as { user: { role: string } }).user.role).toBe('supervisor');
      const wrong = await server.request('POST', '/api/session', { name: 'sam-super', password: 'not the password' });
      expect(wrong.status).toBe(401);
    } finally {
      await server.kill('SIGTERM');
    }
  });

  it('`token create` and `user add` refuse bad arguments with exit 2 and print no token', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'samaritan-tokens-'));
    dirs.push(dir);
    const bad = [
      ['token', 'create', '--data-dir', dir, '--role', 'root', '--name', 'x'],
      ['token', 'create', '--data-dir', dir, '--role', 'dispatcher'],
      ['token', 'create', '--data-dir', dir, '--role', 'integration', '--name', 'x', '--scope', 'everything'],
      ['token', 'list', '--data-dir', dir],
      ['user', 'add', '--data-dir', dir, '--role', 'admin', '--name', 'short', '--password', 'short'],
    ];
    const runs = await Promise.all(bad.map((args) => samaritan(...args)));
    runs.forEach((run, i) => {
      expect(run.code, bad[i]!.join(' ')).toBe(2);
      expect(run.stdout).toBe('');
    });
    const first = await samaritan('user', 'add', '--data-dir', dir, '--role', 'admin', '--name', 'twice', '--password', 'long enough password');
    expect(first.code).toBe(0);
    const second = await samaritan('user', 'add', '--data-dir', dir, '--role', 'admin', '--name', 'twice', '--password', 'long enough password');
    expect(second.code).toBe(2);
    expect(second.stderr).toContain('already exists');
  });
});
