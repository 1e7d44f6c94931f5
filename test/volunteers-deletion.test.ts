import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../src/core/actor.ts';
import { ManualClock } from '../src/time/clock.ts';
import { CIVIC_CENTER, expectError } from './support/api.ts';
import { bearer } from './support/auth.ts';
import { startTestServer, type TestServer } from './support/server.ts';

/**
 * Deleting an account (issue 5): the personal data goes, device tokens stop working, the log keeps
 * the pseudonymous id only, and nothing of the person is left anywhere in the data dir.
 */

const NAME = 'Quentin Erasable';
const PHONE = '+1 415 555 0188';

describe('deleting a volunteer account', () => {
  const clock = new ManualClock();
  let t: TestServer;
  let id: string;
  let token: string;
  let other: string;
  let supervisor: Record<string, string>;

  beforeAll(async () => {
    t = await startTestServer({ clock, store: 'sqlite' });
    supervisor = bearer(await t.token('supervisor'));
    const res = await t.request('POST', '/api/volunteers', { name: NAME, phone: PHONE, languages: ['it'], locationConsent: true }, { authorization: '' });
    id = res.body.id as string;
    token = res.body.token as string;
    const me = bearer(token);
    await t.request('POST', '/api/volunteers/me/qualifications', { kind: 'cpr', expiresAt: '2027-12-31' }, me);
    await t.request('PATCH', '/api/volunteers/me', { available: true, quietHours: { from: '22:00', to: '06:00' } }, me);
    await t.request('POST', '/api/volunteers/me/position', CIVIC_CENTER, me);
    await t.request('POST', `/api/volunteers/${id}/qualifications/cpr/verify`, {}, supervisor);
    await t.request('GET', `/api/volunteers/${id}?purpose=before%20deletion`, undefined, supervisor);
    await t.app.volunteers.addDevice(id, 'webpush', { endpoint: 'https://push.example/abc' });
    const second = await t.app.accounts.createToken({ name: 'volunteer device', role: 'volunteer', kind: 'device', subject: id, by: 'test' });
    other = second.token;
    expect(t.app.positions.index.get(id)).toBeDefined();
    // Before: the name is on disk (so the scan below can find it).
    expect(readdirSync(t.dataDir).some((f) => readFileSync(join(t.dataDir, f)).includes(Buffer.from(NAME)))).toBe(true);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('DELETE /api/volunteers/me answers 204; every device token of theirs stops working (401)', async () => {
    const res = await t.request('DELETE', '/api/volunteers/me', undefined, bearer(token));
    expect(res.status, res.text).toBe(204);
    expectError(await t.request('GET', '/api/volunteers/me', undefined, bearer(token)), 401, 'Unauthenticated');
    expectError(await t.request('GET', '/api/volunteers/me', undefined, bearer(other)), 401, 'Unauthenticated');
    expectError(await t.request('POST', '/api/volunteers/me/position', CIVIC_CENTER, bearer(other)), 401, 'Unauthenticated');
  });

  it('the personal data is gone: the profile row, the devices, the live position; staff get 410', async () => {
    expect(t.app.volunteers.profile(id)).toBeUndefined();
    expect(t.app.positions.index.get(id)).toBeUndefined();
    expectError(await t.request('GET', `/api/volunteers/${id}`, undefined, supervisor), 410, 'VolunteerGone');
    const list = await t.request('GET', '/api/volunteers', undefined, supervisor);
    expect(list.body.volunteers.map((v: { id: string }) => v.id)).not.toContain(id);
    expectError(await t.request('POST', `/api/volunteers/${id}/qualifications/cpr/verify`, {}, supervisor), 410, 'VolunteerGone');
  });

  it('the log keeps the pseudonymous id with the deletion and the token revocations, and names nobody', async () => {
    const events = (await t.request('GET', '/api/events?after=0&limit=1000', undefined, supervisor)).body.events as { type: string; stream: string; data: Record<string, unknown> }[];
    const mine = events.filter((e) => e.stream === `volunteer-${id}`).map((e) => e.type);
    expect(mine).toEqual(['VolunteerRegistered', 'QualificationDeclared', 'AvailabilitySet', 'QualificationVerified', 'VolunteerDeleted']);
    const deletedAt = events.findIndex((e) => e.type === 'VolunteerDeleted');
    expect(events.slice(deletedAt + 1).map((e) => e.type)).toEqual(['TokenRevoked', 'TokenRevoked']);
    expect(events.slice(deletedAt + 1).every((e) => e.data['by'] === 'the volunteer')).toBe(true);
    expect(events.some((e) => e.type === 'VolunteerDataRead' && (e.data['volunteerIds'] as string[]).includes(id))).toBe(true);
    const log = JSON.stringify(events);
    for (const personal of [NAME, 'Quentin', 'Erasable', PHONE, '555 0188', 'push.example']) expect(log).not.toContain(personal);
  });

  it('no byte of the name or phone is left in the data dir’s files (secure delete, WAL checkpointed)', () => {
    for (const file of readdirSync(t.dataDir)) {
      const bytes = readFileSync(join(t.dataDir, file));
      expect(bytes.includes(Buffer.from(NAME)), `${file} holds the name`).toBe(false);
      expect(bytes.includes(Buffer.from(PHONE)), `${file} holds the phone`).toBe(false);
    }
  });

  it('deleting twice is refused: the account is gone, the id cannot be used', async () => {
    expectError(await t.request('DELETE', '/api/volunteers/me', undefined, bearer(token)), 401, 'Unauthenticated');
    const r = await t.app.volunteers.erase(id, 'test', { actor: systemActor('test') });
    expect(r).toMatchObject({ ok: false, code: 'VolunteerGone' });
  });
});
