import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { addressKey } from '../src/server/sign-in-throttle.ts';
import { ManualClock } from '../src/time/clock.ts';
import { bearer } from './support/auth.ts';
import { startTestServer, type TestServer } from './support/server.ts';

/**
 * Sign-in throttling by name and address together, over real sockets from different loopback
 * addresses (the server listens on 127.0.0.1; Linux routes all of 127.0.0.0/8 to it).
 */

const PASSWORD = 'throttle password 1357';

interface Answer {
  readonly status: number;
  readonly retryAfter: string | undefined;
  readonly cacheControl: string | undefined;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  readonly body: any;
}

/** POST /api/session from the given local address. */
function signInFrom(t: TestServer, from: string, name: string, password: string): Promise<Answer> {
  const url = new URL(t.base);
  const body = Buffer.from(JSON.stringify({ name, password }));
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: '/api/session',
        localAddress: from,
        headers: { 'content-type': 'application/json', 'content-length': String(body.length) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            retryAfter: res.headers['retry-after'],
            cacheControl: res.headers['cache-control'],
            body: text ? (JSON.parse(text) as unknown) : undefined,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('sign-in throttling by name and address', () => {
  it('15 wrong passwords from 127.0.0.2 make that address wait longer and longer; the right password from 127.0.0.1 still signs in at once', async () => {
    const clock = new ManualClock();
    t = await startTestServer({ clock });
    await t.app.accounts.addUser('admin-under-attack', 'admin', PASSWORD, 'test');
    const waits: number[] = [];
    for (let wrong = 0; wrong < 15;) {
      const res = await signInFrom(t, '127.0.0.2', 'admin-under-attack', `guess ${wrong}`);
      if (res.status === 401) {
        wrong++;
        continue;
      }
      expect(res.status).toBe(429);
      expect(res.body.error.code).toBe('SignInThrottled');
      expect(res.retryAfter).toMatch(/^\d+$/);
      expect(res.body.error.details.retryAfterS).toBe(Number(res.retryAfter));
      waits.push(Number(res.retryAfter));
      clock.advance(Number(res.retryAfter) * 1000);
    }
    // Five free failures, then each wait doubles: 1, 2, 4 ... 512 s.
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512]);

    // The attacker's address is held back, even with the right password (which is not even checked).
    const held = await signInFrom(t, '127.0.0.2', 'admin-under-attack', PASSWORD);
    expect(held.status).toBe(429);
    expect(Number(held.retryAfter)).toBe(900); // capped at 15 minutes
    // The real user, from another address, is not slowed at all.
    const real = await signInFrom(t, '127.0.0.1', 'admin-under-attack', PASSWORD);
    expect(real.status).toBe(201);
    expect(real.body.user.name).toBe('admin-under-attack');

    // Only the checked attempts left a SignInFailed behind.
    const events = (await t.request('GET', '/api/events?after=0&limit=1000', undefined, bearer(await t.token('supervisor')))).body
      .events as {
      type: string;
      data: { ip?: string };
    }[];
    expect(events.filter((e) => e.type === 'SignInFailed').map((e) => e.data.ip)).toEqual(Array(15).fill('127.0.0.2'));

    // Once the wait has passed, the right password works from the attacker's address too.
    clock.advance(900_000);
    expect((await signInFrom(t, '127.0.0.2', 'admin-under-attack', PASSWORD)).status).toBe(201);
  });

  it('25 wrong passwords sent at once from 127.0.0.4 get only the five free checks (401), the rest 429; the real user from 127.0.0.1 still signs in', async () => {
    const clock = new ManualClock();
    t = await startTestServer({ clock });
    await t.app.accounts.addUser('admin-in-a-burst', 'admin', PASSWORD, 'test');
    const server = t;
    const answers = await Promise.all(Array.from({ length: 25 }, (_, i) => signInFrom(server, '127.0.0.4', 'admin-in-a-burst', `burst ${i}`)));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20);
    for (const a of answers.filter((x) => x.status === 429)) expect(a.body.error.code).toBe('SignInThrottled');
    // Only the checked ones were checked: five SignInFailed, no more.
    const events = (await t.request('GET', '/api/events?after=0&limit=1000', undefined, bearer(await t.token('supervisor')))).body
      .events as { type: string }[];
    expect(events.filter((e) => e.type === 'SignInFailed')).toHaveLength(5);

    const real = await signInFrom(t, '127.0.0.1', 'admin-in-a-burst', PASSWORD);
    expect(real.status).toBe(201);
  });

  it('another name from the throttled address is not held back, and a success forgives that address its failures', async () => {
    const clock = new ManualClock();
    t = await startTestServer({ clock });
    await t.app.accounts.addUser('target', 'dispatcher', PASSWORD, 'test');
    await t.app.accounts.addUser('bystander', 'dispatcher', PASSWORD, 'test');
    for (let i = 0; i < 5; i++) expect((await signInFrom(t, '127.0.0.3', 'target', `wrong ${i}`)).status).toBe(401);
    expect((await signInFrom(t, '127.0.0.3', 'target', PASSWORD)).status).toBe(429);
    expect((await signInFrom(t, '127.0.0.3', 'bystander', PASSWORD)).status).toBe(201);
    clock.advance(1000);
    expect((await signInFrom(t, '127.0.0.3', 'target', PASSWORD)).status).toBe(201);
    // Forgiven: five fresh failures are free again.
    for (let i = 0; i < 5; i++) expect((await signInFrom(t, '127.0.0.3', 'target', `wrong again ${i}`)).status).toBe(401);
    expect((await signInFrom(t, '127.0.0.3', 'target', PASSWORD)).status).toBe(429);
  });

  it('a spray of one name from many addresses leaves each address one free failure, and a fresh address still signs in', async () => {
    const clock = new ManualClock();
    t = await startTestServer({ clock });
    await t.app.accounts.addUser('sprayed', 'supervisor', PASSWORD, 'test');
    // 20 failures from 10 addresses, two each (under the five each gets alone).
    for (let a = 10; a < 20; a++) {
      for (let i = 0; i < 2; i++) expect((await signInFrom(t, `127.0.1.${a}`, 'sprayed', `spray ${a}.${i}`)).status).toBe(401);
    }
    // The name is now sprayed: an address that failed for it waits from its first failure on.
    const slowed = await signInFrom(t, '127.0.1.10', 'sprayed', PASSWORD);
    expect(slowed.status).toBe(429);
    expect(slowed.body.error.code).toBe('SignInThrottled');
    // A new sprayer gets one attempt, then waits.
    expect((await signInFrom(t, '127.0.1.30', 'sprayed', 'spray 30')).status).toBe(401);
    expect((await signInFrom(t, '127.0.1.30', 'sprayed', 'spray 30 again')).status).toBe(429);
    // The real user, from an address that never failed for the name, is never made to wait.
    expect((await signInFrom(t, '127.0.1.99', 'sprayed', PASSWORD)).status).toBe(201);
  });
});

describe('addressKey', () => {
  it('keeps IPv4 as is, unwraps IPv4-mapped IPv6, and takes IPv6 by its /64', () => {
    expect(addressKey('127.0.0.2')).toBe('127.0.0.2');
    expect(addressKey('::ffff:10.1.2.3')).toBe('10.1.2.3');
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });
});
