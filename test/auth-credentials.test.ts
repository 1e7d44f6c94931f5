import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SESSION_TTL_MS } from '../src/accounts/accounts.ts';
import { issueSecret } from '../src/accounts/secrets.ts';
import { ManualClock } from '../src/time/clock.ts';
import { CIVIC_CENTER, expectError } from './support/api.ts';
import { bearer, sessionHeaders, signIn } from './support/auth.ts';
import { samaritan } from './support/cli.ts';
import { startTestServer, type TestServer } from './support/server.ts';

/** Credentials: a token's kind is fixed by its prefix, tokens and sessions end, hashes get stronger, nothing is cached. */

const PASSWORD = 'credentials password 9753';
const DAY_MS = 24 * 60 * 60 * 1000;

/** `<prefix>_<id>_<secret>` with another prefix. */
const withPrefix = (token: string, prefix: string) => `${prefix}_${token.slice(4)}`;

let t: TestServer | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await t?.close();
  t = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('a token’s prefix is bound to its kind', () => {
  it('a device token is refused on a staff route because of its kind (403 WrongCredentialKind), whatever role it names', async () => {
    t = await startTestServer();
    const device = await t.app.accounts.createToken({
      name: 'odd phone',
      role: 'dispatcher',
      kind: 'device',
      subject: 'V-1',
      by: 'test',
    });
    const refused = await t.request('GET', '/api/incidents', undefined, bearer(device.token));
    expectError(refused, 403, 'WrongCredentialKind');
    expect(refused.body.error.details).toEqual({ via: 'device' });
    expectError(
      await t.request('POST', '/api/incidents', { location: CIVIC_CENTER, nature: 'medical' }, bearer(device.token)),
      403,
      'WrongCredentialKind',
    );
    expectError(await t.request('GET', '/api/session', undefined, bearer(device.token)), 403, 'WrongCredentialKind');
  });

  it('a volunteer’s own routes take only a device token: a bearer token or a console session naming the volunteer role is refused', async () => {
    t = await startTestServer();
    expectError(
      await t.request('GET', '/api/volunteers/me', undefined, bearer(await t.token('volunteer'))),
      403,
      'WrongCredentialKind',
    );
    await t.app.accounts.addUser('volunteer-at-console', 'volunteer', PASSWORD, 'test');
    const s = await signIn(t, 'volunteer-at-console', PASSWORD);
    expectError(await t.request('GET', '/api/volunteers/me/alerts', undefined, sessionHeaders(s)), 403, 'WrongCredentialKind');
  });

  it('a token shown under another kind’s prefix is not valid (401), though its id and secret are right', async () => {
    t = await startTestServer();
    const device = await t.app.accounts.createToken({
      name: 'phone',
      role: 'volunteer',
      kind: 'device',
      subject: 'V-1',
      by: 'test',
    });
    const api = await t.app.accounts.createToken({ name: 'script', role: 'dispatcher', by: 'test' });
    expect(device.token.startsWith('dev_')).toBe(true);
    expect(api.token.startsWith('sam_')).toBe(true);
    expect((await t.request('GET', '/api/units', undefined, bearer(api.token))).status).toBe(200);
    expectError(await t.request('GET', '/api/units', undefined, bearer(withPrefix(api.token, 'dev'))), 401, 'Unauthenticated');
    expectError(
      await t.request('GET', '/api/volunteers/me', undefined, bearer(withPrefix(device.token, 'sam'))),
      401,
      'Unauthenticated',
    );
    expectError(await t.request('GET', '/api/units', undefined, bearer(withPrefix(device.token, 'sam'))), 401, 'Unauthenticated');
  });
});

describe('tokens and sessions end', () => {
  it('an integration token ends 90 days after it was issued, unless issued with expiresInDays', async () => {
    const clock = new ManualClock();
    t = await startTestServer({ clock });
    const admin = bearer(await t.token('admin'));
    const made = await t.request('POST', '/api/tokens', { name: 'feed', role: 'integration', scopes: ['units:read'] }, admin);
    expect(made.status, made.text).toBe(201);
    expect(made.body.expiresAt).toBe(new Date(clock.now() + 90 * DAY_MS).toISOString());
    const week = await t.request(
      'POST',
      '/api/tokens',
      { name: 'trial', role: 'integration', scopes: ['units:read'], expiresInDays: 7 },
      admin,
    );
    expect(week.body.expiresAt).toBe(new Date(clock.now() + 7 * DAY_MS).toISOString());
    expect(
      (await t.request('GET', '/api/tokens', undefined, admin)).body.tokens.find((x: { name: string }) => x.name === 'feed')
        .expiresAt,
    ).toBe(made.body.expiresAt);

    clock.advance(7 * DAY_MS - 1000);
    expect((await t.request('GET', '/api/units', undefined, bearer(week.body.token))).status).toBe(200);
    clock.advance(1000);
    expectError(await t.request('GET', '/api/units', undefined, bearer(week.body.token)), 401, 'Unauthenticated');
    expect((await t.request('GET', '/api/units', undefined, bearer(made.body.token))).status).toBe(200);
    clock.advance(83 * DAY_MS - 1000);
    expect((await t.request('GET', '/api/units', undefined, bearer(made.body.token))).status).toBe(200);
    clock.advance(1000);
    expectError(await t.request('GET', '/api/units', undefined, bearer(made.body.token)), 401, 'Unauthenticated');
  });

  it('a token stored without an end (issued before tokens had one) ends 90 days after it was issued', async () => {
    const clock = new ManualClock();
    t = await startTestServer({ clock });
    const old = async (name: string, ageMs: number) => {
      const secret = issueSecret('sam');
      const token = {
        id: secret.id,
        kind: 'api',
        name,
        role: 'dispatcher',
        scopes: [],
        hash: secret.hash,
        createdAt: new Date(clock.now() - ageMs).toISOString(),
      } as const;
      await t!.app.writer.record([], { actor: { kind: 'system', id: 'test' }, records: [{ type: 'credential.add', token }] });
      return bearer(secret.token);
    };
    expect((await t.request('GET', '/api/units', undefined, await old('recent', 89 * DAY_MS))).status).toBe(200);
    expectError(await t.request('GET', '/api/units', undefined, await old('ancient', 90 * DAY_MS)), 401, 'Unauthenticated');
  });

  it('`samaritan token create --expires-in-days` sets the lifetime; without it a token ends after 90 days; a bad value is exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'samaritan-token-ttl-'));
    dirs.push(dir);
    const before = Date.now();
    const week = await samaritan(
      'token',
      'create',
      '--data-dir',
      dir,
      '--role',
      'integration',
      '--name',
      'week',
      '--scope',
      'units:read',
      '--expires-in-days',
      '7',
    );
    expect(week.code, week.stderr).toBe(0);
    const plain = await samaritan('token', 'create', '--data-dir', dir, '--role', 'dispatcher', '--name', 'plain');
    expect(plain.code, plain.stderr).toBe(0);
    const bad = await samaritan(
      'token',
      'create',
      '--data-dir',
      dir,
      '--role',
      'dispatcher',
      '--name',
      'bad',
      '--expires-in-days',
      '0',
    );
    expect([bad.code, bad.stdout]).toEqual([2, '']);
    const db = new Database(join(dir, 'samaritan.db'), { readonly: true });
    try {
      const rows = db.prepare('SELECT name, created_at, expires_at FROM credentials ORDER BY name').all() as {
        name: string;
        created_at: string;
        expires_at: string;
      }[];
      const lifetime = (name: string) => {
        const r = rows.find((x) => x.name === name)!;
        return Date.parse(r.expires_at) - Date.parse(r.created_at);
      };
      expect(rows.map((r) => r.name)).toEqual(['plain', 'week']);
      expect(lifetime('week')).toBe(7 * DAY_MS);
      expect(lifetime('plain')).toBe(90 * DAY_MS);
      expect(Date.parse(rows[0]!.created_at)).toBeGreaterThanOrEqual(before - 1000);
    } finally {
      db.close();
    }
  });

  it('a console session ends after 12 h unused, however long it has been in use', async () => {
    const clock = new ManualClock();
    t = await startTestServer({ clock });
    await t.app.accounts.addUser('night-shift', 'dispatcher', PASSWORD, 'test');
    const s = await signIn(t, 'night-shift', PASSWORD);
    for (let hour = 0; hour < 30; hour += 10) {
      clock.advance(10 * 60 * 60 * 1000);
      expect((await t.request('GET', '/api/units', undefined, sessionHeaders(s))).status).toBe(200);
    }
    // 30 h after sign-in and still in use; now left alone for 12 h.
    clock.advance(SESSION_TTL_MS - 1000);
    expect((await t.request('GET', '/api/session', undefined, sessionHeaders(s))).status).toBe(200);
    clock.advance(SESSION_TTL_MS);
    expectError(await t.request('GET', '/api/session', undefined, sessionHeaders(s)), 401, 'Unauthenticated');
  });
});

describe('a session’s end moved on with use', () => {
  it('when a request moves the session’s end on, the cookie is sent again with a fresh Max-Age of 12 h; a request that moved nothing sends none', async () => {
    const clock = new ManualClock();
    t = await startTestServer({ clock });
    await t.app.accounts.addUser('cookie-keeper', 'dispatcher', PASSWORD, 'test');
    const s = await signIn(t, 'cookie-keeper', PASSWORD);
    expect(s.setCookie).toContain(`Max-Age=${SESSION_TTL_MS / 1000}`);

    // Just signed in: the end is where it was put, nothing to send.
    expect((await t.request('GET', '/api/units', undefined, sessionHeaders(s))).headers.get('set-cookie')).toBeNull();

    clock.advance(10 * 60 * 60 * 1000);
    const used = await t.request('GET', '/api/units', undefined, sessionHeaders(s));
    expect(used.status).toBe(200);
    const refreshed = used.headers.get('set-cookie');
    expect(refreshed).not.toBeNull();
    expect(refreshed!.split(';')[0]).toBe(s.cookie);
    const attributes = refreshed!.split(';').map((a) => a.trim());
    expect(attributes).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/', `Max-Age=${SESSION_TTL_MS / 1000}`]));
    expect(used.headers.get('cache-control')).toBe('no-store');
  });

  it('a disk that refuses the write of a session’s new end does not fail the request: the session keeps its old end, no cookie is sent, one line is logged; with the disk back the end moves on', async () => {
    const clock = new ManualClock();
    const lines: string[] = [];
    const dataDir = mkdtempSync(join(tmpdir(), 'samaritan-extend-'));
    dirs.push(dataDir);
    t = await startTestServer({ clock, dataDir, accounts: { log: (line) => lines.push(line) } });
    await t.app.accounts.addUser('full-disk-shift', 'dispatcher', PASSWORD, 'test');
    const s = await signIn(t, 'full-disk-shift', PASSWORD);
    const db = (t.app.store as unknown as { readonly database: Database.Database }).database;

    clock.advance(2 * 60 * 60 * 1000);
    db.pragma('query_only = ON');
    try {
      for (let i = 0; i < 3; i++) {
        clock.advance(10_000); // past the few seconds a checked credential is held
        const read = await t.request('GET', '/api/session', undefined, sessionHeaders(s));
        expect(read.status, read.text).toBe(200);
        expect(read.headers.get('set-cookie')).toBeNull();
      }
    } finally {
      db.pragma('query_only = OFF');
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/keeps its old end/);

    clock.advance(10_000);
    const back = await t.request('GET', '/api/session', undefined, sessionHeaders(s));
    expect(back.status).toBe(200);
    expect(back.headers.get('set-cookie')).toContain(`Max-Age=${SESSION_TTL_MS / 1000}`);
    expect(lines).toHaveLength(2);
    // 12 h after the write that worked, and not 12 h after sign-in.
    clock.advance(SESSION_TTL_MS - 60_000);
    expect((await t.request('GET', '/api/session', undefined, sessionHeaders(s))).status).toBe(200);
  });
});

describe('password hashes', () => {
  it('a hash made at a lower cost than the server’s is made again at the next sign-in, and the password still works', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'samaritan-rehash-'));
    dirs.push(dataDir);
    t = await startTestServer({ dataDir, accounts: { scryptLog2N: 10 } });
    await t.app.accounts.addUser('old-hash', 'dispatcher', PASSWORD, 'test');
    expect((await t.app.accounts.userByName('old-hash'))?.passwordHash).toMatch(/^scrypt\$1024\$8\$1\$/);
    await t.close();

    t = await startTestServer({ dataDir, accounts: { scryptLog2N: 11 } });
    expectError(
      await t.request('POST', '/api/session', { name: 'old-hash', password: 'not the password' }, { authorization: '' }),
      401,
      'Unauthenticated',
    );
    expect((await t.app.accounts.userByName('old-hash'))?.passwordHash).toMatch(/^scrypt\$1024\$/);
    await signIn(t, 'old-hash', PASSWORD);
    const upgraded = (await t.app.accounts.userByName('old-hash'))!.passwordHash;
    expect(upgraded).toMatch(/^scrypt\$2048\$8\$1\$/);
    await signIn(t, 'old-hash', PASSWORD);
    expect((await t.app.accounts.userByName('old-hash'))!.passwordHash).toBe(upgraded); // not made again at the same cost
  });
});

describe('Cache-Control: no-store on every authenticated answer', () => {
  it('answers to a bearer token or a session, sign-in and sign-out, and refusals of credentials are never cached; public answers are not marked', async () => {
    t = await startTestServer();
    await t.app.accounts.addUser('cached', 'dispatcher', PASSWORD, 'test');
    expect((await t.request('GET', '/api/units')).headers.get('cache-control')).toBe('no-store');
    const s = await signIn(t, 'cached', PASSWORD);
    expect(s.res.headers.get('cache-control')).toBe('no-store');
    expect((await t.request('GET', '/api/session', undefined, sessionHeaders(s))).headers.get('cache-control')).toBe('no-store');
    expect(
      (await t.request('GET', '/api/units', undefined, bearer(`sam_AAAAAAAAAAAA_${'B'.repeat(43)}`))).headers.get(
        'cache-control',
      ),
    ).toBe('no-store');
    expect((await t.request('GET', '/api/nosuchroute')).headers.get('cache-control')).toBe('no-store');
    expect((await t.request('DELETE', '/api/session', undefined, sessionHeaders(s))).headers.get('cache-control')).toBe(
      'no-store',
    );
    expect((await t.request('GET', '/healthz', undefined, { authorization: '' })).headers.get('cache-control')).toBeNull();
  });
});
