import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { StoredEvent } from '../src/core/events.ts';
import { CODE_ALPHABET } from '../src/server/one-time-secrets.ts';
import { ManualClock } from '../src/time/clock.ts';
import { expectError } from './support/api.ts';
import { addVolunteer, bearer, CITY_HALL, offset, startResponderServer, type ResponderServer } from './support/responders.ts';

/** Opens the responder socket at `path`: the first frame's type, or the HTTP status that refused it. */
function openSocket(base: string, path: string, headers: Record<string, string> = {}): Promise<{ frame?: { type: string; volunteerId?: string }; status?: number }> {
  return new Promise((resolve, reject) => {
    const s = new WebSocket(`${base.replace('http', 'ws')}${path}`, { headers });
    s.once('unexpected-response', (req, res) => {
      req.destroy();
      resolve({ status: res.statusCode ?? 0 });
    });
    s.on('message', (data) => {
      s.close();
      resolve({ frame: JSON.parse(String(data)) });
    });
    s.once('error', (e) => reject(e));
  });
}

describe('responder devices: socket tickets, enrolment codes, the push key', () => {
  let t: ResponderServer;
  const clock = new ManualClock(Date.parse('2026-03-02T08:00:00.000Z'));
  beforeAll(async () => {
    t = await startResponderServer({ clock });
  });
  afterAll(async () => {
    await t?.close();
  });

  const events = async () => (await t.app.store.readAfter(0, 100_000)) as readonly StoredEvent[];

  it('opens the responder socket with a single-use ticket instead of a bearer header', async () => {
    const v = await addVolunteer(t, { at: offset(CITY_HALL, 100, 100), available: false });
    const issued = await t.request('POST', '/api/volunteers/me/stream/ticket', undefined, bearer(v.token));
    expect(issued.status, issued.text).toBe(200);
    expect(issued.body.ticket).toMatch(/^vtk_/);
    expect(Date.parse(issued.body.expiresAt)).toBe(clock.now() + 30_000);
    const opened = await openSocket(t.base, `/api/volunteers/me/stream?ticket=${issued.body.ticket}`);
    expect(opened.frame).toEqual({ type: 'ready', volunteerId: v.id });
    // Spent: the same ticket opens nothing again.
    expect((await openSocket(t.base, `/api/volunteers/me/stream?ticket=${issued.body.ticket}`)).status).toBe(401);
    // The bearer header still works.
    expect((await openSocket(t.base, '/api/volunteers/me/stream', bearer(v.token))).frame?.type).toBe('ready');
  });

  it('refuses an expired ticket, one whose device token was revoked, and a ticket for a staff token', async () => {
    const v = await addVolunteer(t, { at: offset(CITY_HALL, 200, 100), available: false });
    const late = (await t.request('POST', '/api/volunteers/me/stream/ticket', undefined, bearer(v.token))).body.ticket as string;
    clock.advance(30_001);
    expect((await openSocket(t.base, `/api/volunteers/me/stream?ticket=${late}`)).status).toBe(401);
    const revoked = (await t.request('POST', '/api/volunteers/me/stream/ticket', undefined, bearer(v.token))).body.ticket as string;
    const tokenId = [...(await t.app.accounts.activeDevices(v.id))][0]!;
    await t.app.accounts.revokeToken(tokenId, 'test');
    expect((await openSocket(t.base, `/api/volunteers/me/stream?ticket=${revoked}`)).status).toBe(401);
    expect((await openSocket(t.base, '/api/volunteers/me/stream?ticket=vtk_made-up')).status).toBe(401);
    expectError(await t.request('POST', '/api/volunteers/me/stream/ticket'), 403, 'WrongCredentialKind');
  });

  it('enrols a second phone with a one-time code, which then acts for the same volunteer', async () => {
    const v = await addVolunteer(t, { at: offset(CITY_HALL, 300, 100), available: false });
    const issued = await t.request('POST', '/api/volunteers/me/enrolment-code', undefined, bearer(v.token));
    expect(issued.status, issued.text).toBe(201);
    const code = issued.body.code as string;
    expect(code).toHaveLength(8);
    for (const c of code) expect(CODE_ALPHABET).toContain(c);
    expect(Date.parse(issued.body.expiresAt)).toBe(clock.now() + 10 * 60_000);

    // Typed on the other phone in lower case with a dash: still the code.
    const typed = `${code.slice(0, 4).toLowerCase()}-${code.slice(4)}`;
    const enrolled = await t.request('POST', '/api/volunteers/enrol', { code: typed }, { authorization: '' });
    expect(enrolled.status, enrolled.text).toBe(201);
    expect(enrolled.body.id).toBe(v.id);
    expect(enrolled.body.token).not.toBe(v.token);
    const me = await t.request('GET', '/api/volunteers/me', undefined, bearer(enrolled.body.token));
    expect(me.status, me.text).toBe(200);
    expect(me.body.id ?? me.body.volunteerId).toBe(v.id);
    expect((await t.app.accounts.activeDevices(v.id)).size).toBe(2);

    const log = await events();
    expect(log.filter((e) => e.type === 'EnrolmentCodeIssued' && e.data.volunteerId === v.id)).toHaveLength(1);
    const done = log.filter((e) => e.type === 'DeviceEnrolled' && e.data.volunteerId === v.id);
    expect(done).toHaveLength(1);
    expect(JSON.stringify(log)).not.toContain(code);

    // Single use.
    expectError(await t.request('POST', '/api/volunteers/enrol', { code }, { authorization: '' }), 400, 'EnrolmentCodeInvalid');
  });

  it('refuses a wrong code, an expired one, and one whose phone was revoked', async () => {
    expectError(await t.request('POST', '/api/volunteers/enrol', { code: 'ACDEFGHJ' }, { authorization: '' }), 400, 'EnrolmentCodeInvalid');
    expectError(await t.request('POST', '/api/volunteers/enrol', { code: 'short' }, { authorization: '' }), 400, 'ValidationFailed');
    const v = await addVolunteer(t, { at: offset(CITY_HALL, 400, 100), available: false });
    const old = (await t.request('POST', '/api/volunteers/me/enrolment-code', undefined, bearer(v.token))).body.code as string;
    clock.advance(10 * 60_000 + 1);
    expectError(await t.request('POST', '/api/volunteers/enrol', { code: old }, { authorization: '' }), 400, 'EnrolmentCodeInvalid');
    const code = (await t.request('POST', '/api/volunteers/me/enrolment-code', undefined, bearer(v.token))).body.code as string;
    await t.app.accounts.revokeToken([...(await t.app.accounts.activeDevices(v.id))][0]!, 'test');
    expectError(await t.request('POST', '/api/volunteers/enrol', { code }, { authorization: '' }), 400, 'EnrolmentCodeInvalid');
  });

  it('holds back an address that keeps guessing codes', async () => {
    let last = 0;
    for (let i = 0; i < 12; i++) last = (await t.request('POST', '/api/volunteers/enrol', { code: 'WWWWWWWW' }, { authorization: '' })).status;
    expect(last).toBe(429);
  });

  it('gives the VAPID public key without credentials, the same as the device route', async () => {
    const open = await t.request('GET', '/api/volunteers/push-key', undefined, { authorization: '' });
    expect(open.status).toBe(200);
    const v = await addVolunteer(t, { at: offset(CITY_HALL, 500, 100), available: false });
    const own = await t.request('GET', '/api/volunteers/me/push-subscription', undefined, bearer(v.token));
    expect(open.body.vapidPublicKey).toBe(own.body.vapidPublicKey);
    expect(open.body.vapidPublicKey).toMatch(/^[A-Za-z0-9_-]{80,}$/);
  });
});
