import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/time/clock.ts';
import { CIVIC_CENTER, expectError } from './support/api.ts';
import { bearer } from './support/auth.ts';
import { startTestServer, type TestServer } from './support/server.ts';

/** The volunteer's own API (issue 5): sign-up, their data, availability, consent, qualifications, position. */

const ALICE = { name: 'Alice Test', phone: '+1 415 555 0101', languages: ['en', 'es'], locationConsent: true };
const noAuth = { authorization: '' };

interface SignedUp {
  readonly id: string;
  readonly token: string;
  readonly headers: Record<string, string>;
}

async function signUp(t: TestServer, body: Record<string, unknown> = ALICE): Promise<SignedUp> {
  const res = await t.request('POST', '/api/volunteers', body, noAuth);
  expect(res.status, res.text).toBe(201);
  return { id: res.body.id as string, token: res.body.token as string, headers: bearer(res.body.token as string) };
}

describe('volunteer self-service', () => {
  const clock = new ManualClock();
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ clock });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('sign-up needs no credentials and answers 201 with the id and a device token shown once that works at once', async () => {
    const res = await t.request('POST', '/api/volunteers', ALICE, noAuth);
    expect(res.status, res.text).toBe(201);
    expect(res.headers.get('location')).toBe('/api/volunteers/me');
    expect(res.body.id).toMatch(/^V[0-9A-Z]{12}$/);
    expect(res.body.token).toMatch(/^dev_[A-Za-z0-9_-]{12}_[A-Za-z0-9_-]{43}$/);
    expect(res.body.volunteer).toMatchObject({
      id: res.body.id,
      name: ALICE.name,
      phone: ALICE.phone,
      languages: ['en', 'es'],
      locationConsent: true,
      available: false,
      qualifications: [],
      synthetic: false,
      status: 'active',
    });
    const me = await t.request('GET', '/api/volunteers/me', undefined, bearer(res.body.token as string));
    expect(me.status, me.text).toBe(200);
    expect(me.body).toMatchObject({ id: res.body.id, name: ALICE.name, devices: [], activeAlerts: [] });
    // The token is kept as a hash only: listing tokens never shows it.
    const tokens = await t.app.accounts.tokens('device');
    expect(JSON.stringify(tokens)).not.toContain(res.body.token);
  });

  it('the log holds the pseudonymous registration only: no name, phone or language', async () => {
    const supervisor = bearer(await t.token('supervisor')); // the audit events are not for dispatchers
    const v = await signUp(t, { ...ALICE, name: 'Zelda Unique', phone: '+1 415 555 0177', languages: ['tl'] });
    const events = (await t.request('GET', '/api/events?after=0&limit=1000', undefined, supervisor)).body.events as { type: string; stream: string; data: unknown }[];
    const mine = events.filter((e) => JSON.stringify(e).includes(v.id));
    expect(mine.map((e) => e.type)).toEqual(['VolunteerRegistered']);
    expect(mine[0]!.data).toEqual({ volunteerId: v.id, languages: [], locationConsent: true });
    // The device token is audited too, under a generic name.
    expect(events.at(-1)).toMatchObject({ type: 'TokenIssued', data: { kind: 'device', role: 'volunteer', name: 'volunteer device', by: 'sign-up' } });
    const log = JSON.stringify(events);
    for (const secret of ['Zelda Unique', '555 0177', '"tl"', v.token]) expect(log).not.toContain(secret);
  });

  it('sign-up validates its body: 400 for a missing consent, a bad phone or an unknown field', async () => {
    expectError(await t.request('POST', '/api/volunteers', { name: 'X', phone: '+1 415 555 0101' }, noAuth), 400, 'ValidationFailed');
    expectError(await t.request('POST', '/api/volunteers', { ...ALICE, phone: 'call me' }, noAuth), 400, 'ValidationFailed');
    expectError(await t.request('POST', '/api/volunteers', { ...ALICE, role: 'admin' }, noAuth), 400, 'ValidationFailed');
    expectError(await t.request('POST', '/api/volunteers', { ...ALICE, languages: ['<script>'] }, noAuth), 400, 'ValidationFailed');
  });

  it('PATCH /me sets availability, quiet hours, consent and personal data; the same value twice is not an error', async () => {
    const v = await signUp(t);
    const on = await t.request('PATCH', '/api/volunteers/me', { available: true, quietHours: { from: '23:00', to: '07:00' } }, v.headers);
    expect(on.status, on.text).toBe(200);
    expect(on.body).toMatchObject({ available: true, quietHours: { from: '23:00', to: '07:00' } });
    expect((await t.request('PATCH', '/api/volunteers/me', { available: true }, v.headers)).status).toBe(200);
    const cleared = await t.request('PATCH', '/api/volunteers/me', { quietHours: null }, v.headers);
    expect(cleared.body).toMatchObject({ available: true, quietHours: null });
    const renamed = await t.request('PATCH', '/api/volunteers/me', { name: 'Alice B. Test', phone: '+1 415 555 0109', languages: ['fr'] }, v.headers);
    expect(renamed.body).toMatchObject({ name: 'Alice B. Test', phone: '+1 415 555 0109', languages: ['fr'], available: true });
    const off = await t.request('PATCH', '/api/volunteers/me', { locationConsent: false, available: false }, v.headers);
    expect(off.body).toMatchObject({ locationConsent: false, available: false });
    expectError(await t.request('PATCH', '/api/volunteers/me', {}, v.headers), 400, 'ValidationFailed');
    expectError(await t.request('PATCH', '/api/volunteers/me', { quietHours: { from: '08:00', to: '08:00' } }, v.headers), 400, 'InvalidQuietHours');
    expectError(await t.request('PATCH', '/api/volunteers/me', { quietHours: { from: '8am', to: '9am' } }, v.headers), 400, 'ValidationFailed');
  });

  it('a declared qualification stays unverified; one that already expired is refused', async () => {
    const v = await signUp(t);
    const res = await t.request('POST', '/api/volunteers/me/qualifications', { kind: 'cpr', expiresAt: '2027-06-30T00:00:00Z' }, v.headers);
    expect(res.status, res.text).toBe(201);
    expect(res.body.qualifications).toEqual([
      expect.objectContaining({ kind: 'cpr', expiresAt: '2027-06-30T00:00:00.000Z', verified: false, expired: false }),
    ]);
    const byDate = await t.request('POST', '/api/volunteers/me/qualifications', { kind: 'aed', expiresAt: '2026-01-31' }, v.headers);
    expect(byDate.status, byDate.text).toBe(201);
    expectError(await t.request('POST', '/api/volunteers/me/qualifications', { kind: 'cpr', expiresAt: '2020-01-01' }, v.headers), 400, 'InvalidQualification');
    expectError(await t.request('POST', '/api/volunteers/me/qualifications', { kind: 'wizard', expiresAt: '2027-01-01' }, v.headers), 400, 'ValidationFailed');
  });

  it('a position goes to the live index only (202), never to the log, and only while on duty with consent', async () => {
    const v = await signUp(t);
    await t.request('POST', '/api/volunteers/me/qualifications', { kind: 'cpr', expiresAt: '2027-06-30' }, v.headers);
    const before = (await t.request('GET', '/healthz')).body.head as number;

    const offDuty = await t.request('POST', '/api/volunteers/me/position', CIVIC_CENTER, v.headers);
    expect(offDuty.status, offDuty.text).toBe(202);
    expect(offDuty.body).toEqual({ kept: false, reason: expect.stringMatching(/off duty/) });
    expect(t.app.positions.index.get(v.id)).toBeUndefined();

    await t.request('PATCH', '/api/volunteers/me', { available: true }, v.headers);
    const head = (await t.request('GET', '/healthz')).body.head as number;
    const kept = await t.request('POST', '/api/volunteers/me/position', CIVIC_CENTER, v.headers);
    expect(kept.status).toBe(202);
    expect(kept.body).toEqual({ kept: true });
    const held = t.app.positions.index.get(v.id)!;
    expect(held).toMatchObject({ lat: CIVIC_CENTER.lat, lon: CIVIC_CENTER.lon, atMs: clock.now() });
    const attrs = t.app.positions.attrs;
    expect(attrs.bits.namesOf(held.attrs)).toEqual(['volunteer', 'available', 'cpr']);
    // Nothing was written for the fix: the log head moved only for the availability change.
    expect((await t.request('GET', '/healthz')).body.head).toBe(head);
    expect(head).toBe(before + 1);

    // Off duty: out of the index at once, and later fixes are not kept.
    await t.request('PATCH', '/api/volunteers/me', { available: false }, v.headers);
    expect(t.app.positions.index.get(v.id)).toBeUndefined();
    // Consent withdrawn: fixes are refused.
    await t.request('PATCH', '/api/volunteers/me', { available: true, locationConsent: false }, v.headers);
    expectError(await t.request('POST', '/api/volunteers/me/position', CIVIC_CENTER, v.headers), 409, 'LocationConsentRequired');
    expect(t.app.positions.index.get(v.id)).toBeUndefined();
    // A fix stamped in the future is a device clock fault.
    await t.request('PATCH', '/api/volunteers/me', { locationConsent: true }, v.headers);
    const future = new Date(clock.now() + 5 * 60_000).toISOString();
    expectError(await t.request('POST', '/api/volunteers/me/position', { ...CIVIC_CENTER, at: future }, v.headers), 400, 'ValidationFailed');
  });

  it('the index word follows qualifications: a verified nurse is found by a cpr filter', async () => {
    const v = await signUp(t);
    await t.request('PATCH', '/api/volunteers/me', { available: true }, v.headers);
    await t.request('POST', '/api/volunteers/me/position', CIVIC_CENTER, v.headers);
    await t.request('POST', '/api/volunteers/me/qualifications', { kind: 'nurse', expiresAt: '2028-01-01' }, v.headers);
    const found = t.app.positions.index.nearest(CIVIC_CENTER.lat, CIVIC_CENTER.lon, 50, {
      now: clock.now(),
      filter: t.app.positions.attrs.availableVolunteers(['cpr']),
    });
    expect(found.map((n) => n.id)).toContain(v.id);
  });

  it('a volunteer never reaches another volunteer’s data or the staff routes (403 WrongCredentialKind: a device token is for the volunteer’s own routes), and no path names another volunteer', async () => {
    const a = await signUp(t);
    const b = await signUp(t, { ...ALICE, name: 'Bob Other' });
    expectError(await t.request('GET', `/api/volunteers/${b.id}`, undefined, a.headers), 403, 'WrongCredentialKind');
    expectError(await t.request('GET', '/api/volunteers', undefined, a.headers), 403, 'WrongCredentialKind');
    expectError(await t.request('POST', `/api/volunteers/${a.id}/qualifications/cpr/verify`, {}, a.headers), 403, 'WrongCredentialKind');
    expectError(await t.request('GET', '/api/aeds', undefined, a.headers), 403, 'WrongCredentialKind');
    expectError(await t.request('GET', '/api/events', undefined, a.headers), 403, 'WrongCredentialKind');
    const me = await t.request('GET', '/api/volunteers/me', undefined, a.headers);
    expect(me.text).not.toContain('Bob Other');
    expect(me.text).not.toContain(b.id);
    // Staff tokens are not volunteers: /me is not theirs. Nor is a volunteer-role token that is not a device token.
    expectError(await t.request('GET', '/api/volunteers/me'), 403, 'WrongCredentialKind');
    expectError(await t.request('GET', '/api/volunteers/me', undefined, bearer(await t.token('volunteer'))), 403, 'WrongCredentialKind');
  });
});

describe('sign-up rate limit', () => {
  it('more than 20 sign-ups an hour from one address are refused (429 RateLimited)', async () => {
    const t = await startTestServer();
    try {
      for (let i = 0; i < 20; i++) expect((await t.request('POST', '/api/volunteers', { ...ALICE, name: `Person ${i}` }, noAuth)).status).toBe(201);
      const over = await t.request('POST', '/api/volunteers', ALICE, noAuth);
      expectError(over, 429, 'RateLimited');
      expect(over.headers.get('retry-after')).toMatch(/^\d+$/);
    } finally {
      await t.close();
    }
  });
});
