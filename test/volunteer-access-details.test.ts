import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestResponse, type TestServer } from './support/server.ts';

/*
 * Access details go only to those who go. A volunteer signs up on their own, declares CPR (not yet
 * verified) and stands at the door of a public building where someone collapses on the 3rd floor.
 * Before accepting they are shown the nature, the walk and the area; once they accept, the place and
 * the floor; the door code only once a supervisor has verified their CPR. Everything over HTTP,
 * against the real server.
 */
const SCENE = { lat: 37.78452, lon: -122.41348 };
const ARREST = { location: SCENE, nature: 'cardiac_arrest', priority: 1, place: 'public', floor: '3' } as const;
/** Long enough for the response engine on a busy machine; the alert normally comes within a second. */
const WAIT_MS = 15_000;

interface SignedUp {
  readonly id: string;
  readonly auth: Record<string, string>;
}

describe('access details only to those who go', () => {
  let t: TestServer;
  let supervisor: Record<string, string>;
  beforeAll(async () => {
    t = await startTestServer();
    supervisor = { authorization: `Bearer ${await t.token('supervisor')}` };
  });
  afterAll(async () => {
    await t?.close();
  });

  const ok = (res: TestResponse, status = 200): TestResponse => {
    expect(res.status, res.text).toBe(status);
    return res;
  };

  /** A volunteer who signed up themselves, on duty at `at`, with a self-declared qualification. */
  async function selfRegistered(name: string, at: { lat: number; lon: number }, kind = 'cpr'): Promise<SignedUp> {
    const signUp = ok(await t.request('POST', '/api/volunteers', { name, phone: '+1 415 555 0142', locationConsent: true }, { authorization: '' }), 201);
    const auth = { authorization: `Bearer ${signUp.body.token as string}` };
    ok(await t.request('PATCH', '/api/volunteers/me', { available: true }, auth));
    const expiresAt = new Date(t.app.clock() + 365 * 86_400_000).toISOString();
    ok(await t.request('POST', '/api/volunteers/me/qualifications', { kind, expiresAt }, auth), 201);
    ok(await t.request('POST', '/api/volunteers/me/position', at, auth), 202);
    return { id: signUp.body.id as string, auth };
  }

  async function alertOn(v: SignedUp, incidentId: string): Promise<{ res: TestResponse; alert: Record<string, any> }> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const res = ok(await t.request('GET', '/api/volunteers/me/alerts', undefined, v.auth));
      const alert = (res.body.alerts as { incidentId: string }[]).find((a) => a.incidentId === incidentId);
      if (alert !== undefined) return { res, alert };
      if (Date.now() > deadline) throw new Error(`no alert on ${incidentId}: ${res.text}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  it('a self-declared volunteer never sees the door code; once verified, sees it only after accepting', async () => {
    const v = await selfRegistered('Sam Self', SCENE);
    const first = ok(await t.request('POST', '/api/incidents', { ...ARREST, access: 'DOORCODE-4821' }), 201).body.id as string;

    // Alerted (a public cardiac arrest has roles for them: fetch an AED, meet the crew), not told where exactly.
    const before = await alertOn(v, first);
    expect(before.res.text).not.toContain('DOORCODE-4821');
    expect(before.alert).toMatchObject({ alertId: `${first}.${v.id}`, status: 'open', incident: { nature: 'cardiac_arrest', shown: 'area' } });
    expect(typeof before.alert['etaS']).toBe('number');
    for (const field of ['location', 'address', 'floor', 'access']) expect(before.alert['incident']).not.toHaveProperty(field);
    const area = before.alert['incident'].area as { lat: number; lon: number; withinM: number };
    expect(area.withinM).toBe(100);
    expect([area.lat, area.lon]).not.toEqual([SCENE.lat, SCENE.lon]);

    // Accepting gives the place and the floor, still no door code, and no instruction that needs one.
    const accepted = ok(await t.request('POST', `/api/volunteers/me/alerts/${first}.${v.id}/accept`, undefined, v.auth));
    expect(accepted.text).not.toContain('DOORCODE-4821');
    expect(accepted.body).toMatchObject({ alertId: `${first}.${v.id}`, status: 'accepted', incident: { location: SCENE, floor: '3', shown: 'place' } });
    expect(['fetch_aed', 'meet_crew']).toContain(accepted.body.role);
    expect(accepted.body.roleReason).not.toMatch(/door code/i);
    const after = ok(await t.request('GET', '/api/volunteers/me/alerts', undefined, v.auth));
    expect(after.text).not.toContain('DOORCODE-4821');
    expect(after.body.alerts[0]).toMatchObject({ status: 'accepted', incident: { location: SCENE, floor: '3' } });

    // A supervisor verifies the CPR; the incident is cancelled, and the volunteer is free again.
    ok(await t.request('POST', `/api/volunteers/${v.id}/qualifications/cpr/verify`, undefined, supervisor));
    ok(await t.request('POST', `/api/incidents/${first}/cancel`, { reason: 'caller recovered' }));
    const deadline = Date.now() + WAIT_MS;
    while ((ok(await t.request('GET', '/api/volunteers/me/alerts', undefined, v.auth)).body.alerts as unknown[]).length > 0) {
      if (Date.now() > deadline) throw new Error('the volunteer was never stood down');
      await new Promise((r) => setTimeout(r, 25));
    }

    // The same call again: still only the area before accepting; the door code with the accept.
    const second = ok(await t.request('POST', '/api/incidents', { ...ARREST, access: 'DOORCODE-7755' }), 201).body.id as string;
    const open = await alertOn(v, second);
    expect(open.res.text).not.toContain('DOORCODE-7755');
    expect(open.alert).toMatchObject({ status: 'open', incident: { shown: 'area' } });
    const accept = ok(await t.request('POST', `/api/volunteers/me/alerts/${second}.${v.id}/accept`, undefined, v.auth));
    expect(accept.body).toMatchObject({
      alertId: `${second}.${v.id}`,
      status: 'accepted',
      role: 'cpr',
      incident: { location: SCENE, floor: '3', access: 'DOORCODE-7755', shown: 'access' },
    });
    const mine = ok(await t.request('GET', '/api/volunteers/me/alerts', undefined, v.auth));
    expect(mine.body.alerts[0]).toMatchObject({ status: 'accepted', incident: { access: 'DOORCODE-7755' } });
    expect(mine.text).not.toContain('DOORCODE-4821');
  });

  it('a volunteer who could take no role is never alerted: a self-declared CPR at a choking, beside a verified one who is', async () => {
    const place = { lat: 37.7793, lon: -122.4193 };
    const declared = await selfRegistered('Dee Declared', place);
    const trained = await selfRegistered('Tia Trained', { lat: 37.7794, lon: -122.4193 });
    ok(await t.request('POST', `/api/volunteers/${trained.id}/qualifications/cpr/verify`, undefined, supervisor));
    const choking = ok(await t.request('POST', '/api/incidents', { location: place, nature: 'choking', priority: 1, place: 'public' }), 201).body.id as string;

    await alertOn(trained, choking);
    const view = ok(await t.request('GET', `/api/incidents/${choking}/volunteers`));
    const alerted = (view.body.response.alerts as { volunteerId: string }[]).map((a) => a.volunteerId);
    expect(alerted).toContain(trained.id);
    expect(alerted).not.toContain(declared.id);
    expect(ok(await t.request('GET', '/api/volunteers/me/alerts', undefined, declared.auth)).body.alerts).toEqual([]);
    ok(await t.request('POST', `/api/incidents/${choking}/cancel`, { reason: 'cleared' }));
  });
});
