import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/time/clock.ts';
import { expectError } from './support/api.ts';
import { bearer } from './support/auth.ts';
import { startTestServer, type TestServer } from './support/server.ts';

/** Supervisors list, read and verify volunteers; every read of personal data is an audit event. */

const noAuth = { authorization: '' };

interface LoggedEvent {
  readonly seq: number;
  readonly type: string;
  readonly stream: string;
  readonly data: Record<string, unknown>;
}

describe('the registry for supervisors', () => {
  const clock = new ManualClock();
  let t: TestServer;
  let supervisor: Record<string, string>;
  const ids: string[] = [];
  const tokens: string[] = [];

  const eventsAfter = async (seq: number): Promise<LoggedEvent[]> =>
    (await t.request('GET', `/api/events?after=${seq}&limit=1000`, undefined, supervisor)).body.events as LoggedEvent[];
  const head = async () => (await t.request('GET', '/healthz')).body.head as number;

  beforeAll(async () => {
    t = await startTestServer({ clock });
    supervisor = bearer(await t.token('supervisor'));
    for (const [name, kind] of [
      ['Ana Nurse', 'nurse'],
      ['Ben Cpr', 'cpr'],
      ['Cy Nothing', undefined],
    ] as const) {
      const res = await t.request('POST', '/api/volunteers', { name, phone: '+1 415 555 0150', languages: ['en'], locationConsent: true }, noAuth);
      ids.push(res.body.id as string);
      tokens.push(res.body.token as string);
      if (kind) await t.request('POST', '/api/volunteers/me/qualifications', { kind, expiresAt: '2027-12-31' }, bearer(res.body.token as string));
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  it('GET /api/volunteers lists a page with personal data and counts, and writes one VolunteerDataRead naming who, whose and why', async () => {
    const before = await head();
    const res = await t.request('GET', '/api/volunteers?purpose=monthly%20review', undefined, supervisor);
    expect(res.status, res.text).toBe(200);
    expect(res.body.volunteers.map((v: { id: string }) => v.id)).toEqual([...ids].sort());
    expect(res.body.volunteers.find((v: { id: string }) => v.id === ids[0])).toMatchObject({ name: 'Ana Nurse', phone: '+1 415 555 0150' });
    expect(res.body.counts).toEqual({ active: 3, available: 0, synthetic: 0, pendingVerification: 2 });
    const audit = await eventsAfter(before);
    expect(audit).toEqual([
      expect.objectContaining({
        type: 'VolunteerDataRead',
        stream: 'audit-volunteer-data',
        data: { volunteerIds: [...ids].sort(), by: 'test-supervisor', purpose: 'monthly review' },
      }),
    ]);
  });

  it('pages by id with ?after, filters on pending verification, and an empty page reads nothing', async () => {
    const first = await t.request('GET', '/api/volunteers?limit=2', undefined, supervisor);
    expect(first.body.volunteers).toHaveLength(2);
    expect(first.body.next).toBe(first.body.volunteers[1].id);
    const second = await t.request('GET', `/api/volunteers?limit=2&after=${first.body.next}`, undefined, supervisor);
    expect(second.body.volunteers).toHaveLength(1);
    expect(second.body.next).toBeUndefined();
    const pending = await t.request('GET', '/api/volunteers?pending=true', undefined, supervisor);
    expect(pending.body.volunteers.map((v: { name: string }) => v.name).sort()).toEqual(['Ana Nurse', 'Ben Cpr']);
    const before = await head();
    const none = await t.request('GET', '/api/volunteers?available=true', undefined, supervisor);
    expect(none.body.volunteers).toEqual([]);
    expect(await head()).toBe(before);
  });

  it('GET /api/volunteers/:id is audited with its purpose; an unknown id is 404 and reads nothing', async () => {
    const before = await head();
    const res = await t.request('GET', `/api/volunteers/${ids[1]}?purpose=certificate%20check`, undefined, supervisor);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ id: ids[1], name: 'Ben Cpr', qualifications: [expect.objectContaining({ kind: 'cpr', verified: false })] });
    expect(res.body).not.toHaveProperty('devices');
    expect(await eventsAfter(before)).toEqual([
      expect.objectContaining({ type: 'VolunteerDataRead', data: { volunteerIds: [ids[1]], by: 'test-supervisor', purpose: 'certificate check' } }),
    ]);
    const at = await head();
    expectError(await t.request('GET', '/api/volunteers/VNOSUCHVOLUNTEER', undefined, supervisor), 404, 'UnknownVolunteer');
    expect(await head()).toBe(at);
  });

  it('a supervisor verifies a declared qualification (recorded with who); it shows on the volunteer’s own view', async () => {
    const res = await t.request('POST', `/api/volunteers/${ids[0]}/qualifications/nurse/verify`, undefined, supervisor);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ id: ids[0], qualifications: [expect.objectContaining({ kind: 'nurse', verified: true, verifiedBy: 'test-supervisor' })] });
    expect(JSON.stringify(res.body)).not.toContain('Ana Nurse'); // the answer reads no personal data
    const verified = (await eventsAfter(0)).filter((e) => e.type === 'QualificationVerified');
    expect(verified).toEqual([expect.objectContaining({ data: { volunteerId: ids[0], kind: 'nurse', by: 'test-supervisor' } })]);
    const me = await t.request('GET', '/api/volunteers/me', undefined, bearer(tokens[0]!));
    expect(me.body.qualifications).toEqual([expect.objectContaining({ kind: 'nurse', verified: true })]);
    expect(me.body.qualifications[0]).not.toHaveProperty('verifiedBy');

    expectError(await t.request('POST', `/api/volunteers/${ids[0]}/qualifications/nurse/verify`, {}, supervisor), 400, 'NothingToChange');
    expectError(await t.request('POST', `/api/volunteers/${ids[2]}/qualifications/cpr/verify`, {}, supervisor), 404, 'UnknownQualification');
    expectError(await t.request('POST', `/api/volunteers/${ids[2]}/qualifications/wizard/verify`, {}, supervisor), 400, 'ValidationFailed');
    expectError(await t.request('POST', '/api/volunteers/VNOBODY/qualifications/cpr/verify', {}, supervisor), 404, 'UnknownVolunteer');
  });

  it('a qualification that expired before it was verified cannot be verified', async () => {
    const res = await t.request('POST', '/api/volunteers', { name: 'Dee Late', phone: '+1 415 555 0151', locationConsent: true }, noAuth);
    const late = bearer(res.body.token as string);
    await t.request('POST', '/api/volunteers/me/qualifications', { kind: 'first_aid', expiresAt: new Date(clock.now() + 60_000).toISOString() }, late);
    clock.advance(120_000);
    expectError(await t.request('POST', `/api/volunteers/${res.body.id}/qualifications/first_aid/verify`, {}, supervisor), 409, 'QualificationExpired');
  });

  it('only supervisors read the registry: dispatchers, call-takers, admins and integrations get 403, nobody else 401', async () => {
    for (const role of ['dispatcher', 'call_taker', 'admin', 'integration'] as const) {
      const h = bearer(await t.token(role));
      expectError(await t.request('GET', '/api/volunteers', undefined, h), 403, 'Forbidden');
      expectError(await t.request('GET', `/api/volunteers/${ids[0]}`, undefined, h), 403, 'Forbidden');
      expectError(await t.request('POST', `/api/volunteers/${ids[0]}/qualifications/nurse/verify`, {}, h), 403, 'Forbidden');
    }
    expectError(await t.request('GET', '/api/volunteers', undefined, noAuth), 401, 'Unauthenticated');
  });
});
