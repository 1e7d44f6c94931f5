import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryAedDirectory } from '../src/volunteers/aed-directory.ts';
import type { Aed } from '../src/core/aed.ts';
import { ManualClock } from '../src/time/clock.ts';
import {
  addVolunteer,
  bearer,
  CITY_HALL,
  offset,
  ofType,
  postIncident,
  startResponderServer,
  type ResponderServer,
  type TestVolunteer,
} from './support/responders.ts';

/**
 * Volunteer waves end to end over HTTP on a real SQLite data dir: volunteers signed up through the
 * registry with their phones' positions in the live index; incidents created with POST
 * /api/incidents; the response engine, timers and queue running as in `samaritan serve`.
 */

/** Scenes far enough apart (over 1.5 km) that one test's volunteers are out of another's reach. */
const UNION_SQUARE = { lat: 37.788, lon: -122.4075 };
const MISSION_DOLORES = { lat: 37.7596, lon: -122.4269 };
const FERRY_BUILDING = { lat: 37.7955, lon: -122.3937 };
const NOB_HILL = { lat: 37.7925, lon: -122.4158 };
const HAIGHT = { lat: 37.7699, lon: -122.4469 };

const OFFICE_HOURS = { mon: [{ from: '09:00', to: '17:00' }], tue: [{ from: '09:00', to: '17:00' }] };
/** 2025-06-01 12:00 UTC is a Sunday, 05:00 in San Francisco: the library is closed, the station cabinet open. */
const AEDS: Aed[] = [
  {
    id: 'aed-library',
    location: offset(UNION_SQUARE, 60, 40),
    placeName: 'Main Library lobby',
    floor: '1',
    openingHours: { utcOffsetMin: -420, weekly: OFFICE_HOURS },
    status: 'in_service',
  },
  {
    id: 'aed-bart',
    location: offset(UNION_SQUARE, -150, 250),
    placeName: 'Powell Street station cabinet',
    access: 'street level, next to the ticket machines',
    openingHours: { utcOffsetMin: -420, always: true, weekly: {} },
    status: 'in_service',
  },
];

describe('volunteer waves over HTTP', () => {
  const clock = new ManualClock();
  let t: ResponderServer;
  const near = (n: number, m: number) => offset(CITY_HALL, n, m);

  beforeAll(async () => {
    t = await startResponderServer({
      clock,
      responders: { aeds: new InMemoryAedDirectory(AEDS), firstUnitEtaS: async () => 420, webhook: null },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('a cardiac arrest alerts wave 1 in the same second, nearest first, with the policy rule on each alert', async () => {
    const vols: TestVolunteer[] = [];
    for (let i = 0; i < 7; i++) vols.push(await addVolunteer(t, { at: near(40 + i * 60, 30) }));
    const before = await t.head();
    const id = await postIncident(t, { location: CITY_HALL, nature: 'cardiac_arrest', place: 'public', floor: '2', access: 'side door, code 4711' });
    await t.settle();
    const events = await t.eventsAfter(before);
    const received = ofType(events, 'IncidentReceived')[0]!;
    const alerts = ofType(events, 'VolunteerAlerted').filter((e) => e.data.incidentId === id);
    expect(alerts.length).toBe(5);
    for (const a of alerts) {
      expect(Math.abs(Date.parse(a.at) - Date.parse(received.at))).toBeLessThan(1000);
      expect(a.data).toMatchObject({ incidentId: id, wave: 1, policyRule: 'nature.cardiac_arrest+place.public', canFill: ['cpr', 'fetch_aed', 'meet_crew'] });
      // The alert copies neither the floor nor the access notes: a volunteer is shown them only on accepting.
      expect(a.data).not.toHaveProperty('floor');
      expect(a.data).not.toHaveProperty('access');
      expect(a.data.etaS).toBeGreaterThan(0);
    }
    const etas = alerts.map((a) => a.data.etaS);
    expect([...etas].sort((a, b) => a - b)).toEqual(etas);
    // The ranking is by walking time on the road network (one many-to-one search), not by distance.
    const walk = t.app.router.estimator('walk').travelTimes(CITY_HALL, vols.map((v) => ({ id: v.id, location: v.at, unitType: 'walk' })));
    const ranked = vols
      .map((v, i) => ({ id: v.id, etaS: walk[i]!.ok ? walk[i]!.travelS : Infinity }))
      .sort((a, b) => a.etaS - b.etaS || a.id.localeCompare(b.id));
    expect(alerts.map((a) => a.data.volunteerId)).toEqual(ranked.slice(0, 5).map((r) => r.id));
    expect(etas).toEqual(ranked.slice(0, 5).map((r) => r.etaS));
    const wave = ofType(events, 'VolunteerWaveSent')[0]!;
    expect(wave.data).toMatchObject({ wave: 1, volunteerIds: ranked.slice(0, 5).map((r) => r.id) });
  });

  it('accepts assign roles in order: cpr to the CPR-qualified, fetch_aed via an open AED with its route, then meet_crew; the rest stand down', async () => {
    const at = (n: number) => offset(UNION_SQUARE, n, 20);
    const b = await addVolunteer(t, { at: at(50), quals: [['first_aid', 'declared']] });
    const a = await addVolunteer(t, { at: at(90), quals: [['cpr', 'verified']] });
    const c = await addVolunteer(t, { at: at(130), quals: [['first_aid', 'declared']] });
    const d = await addVolunteer(t, { at: at(170), quals: [['cpr', 'verified']] });
    const e = await addVolunteer(t, { at: at(210), quals: [['aed', 'declared']] });
    const before = await t.head();
    const id = await postIncident(t, {
      location: UNION_SQUARE,
      nature: 'cardiac_arrest',
      place: 'public',
      floor: '3',
      access: 'lift behind the florist',
      callerName: 'Jane Caller',
      callbackNumber: '+1 415 555 0199',
    });
    await t.settle();
    const alerted = ofType(await t.eventsAfter(before), 'VolunteerAlerted').map((x) => x.data.volunteerId);
    expect(new Set(alerted)).toEqual(new Set([a, b, c, d, e].map((v) => v.id)));
    const accept = (v: TestVolunteer) => t.request('POST', `/api/volunteers/me/alerts/${id}.${v.id}/accept`, undefined, bearer(v.token));

    // B is not CPR-qualified: cpr stays open for a trained volunteer, B fetches the AED that is open.
    const byB = await accept(b);
    expect(byB.status, byB.text).toBe(200);
    expect(byB.body).toMatchObject({ alertId: `${id}.${b.id}`, status: 'accepted', role: 'fetch_aed' });
    expect(byB.body.aed).toMatchObject({ aedId: 'aed-bart', placeName: 'Powell Street station cabinet' });
    expect(byB.body.roleReason).toMatch(/not CPR-qualified/);
    expect(byB.body.route.map((l: { to: string }) => l.to)).toEqual(['aed', 'scene']);
    expect(byB.body.route[0].geometry.coordinates.length).toBeGreaterThan(1);
    const assigned = ofType(await t.eventsAfter(before), 'VolunteerRoleAssigned');
    expect(assigned[0]!.data.aedsPassedOver).toEqual([{ aedId: 'aed-library', reason: expect.stringMatching(/closed at sun 05:00/) }]);

    const byA = await accept(a);
    expect(byA.body).toMatchObject({ role: 'cpr', route: [{ to: 'scene' }] });
    const byC = await accept(c);
    expect(byC.body).toMatchObject({ role: 'meet_crew' });
    await t.settle();

    // Every role is filled: the response is complete and the open alerts are withdrawn.
    const events = await t.eventsAfter(before);
    const down = ofType(events, 'VolunteerStoodDown');
    expect(down.map((x) => x.data.volunteerId).sort()).toEqual([d.id, e.id].sort());
    for (const x of down) expect(x.data).toMatchObject({ reason: 'enough_accepted', wasAccepted: false });
    expect(ofType(events, 'VolunteerResponseStatusChanged')[0]!.data).toMatchObject({ to: 'complete', reason: 'enough_accepted' });
    expect(ofType(events, 'VolunteerAccepted').map((x) => x.data.volunteerId)).toEqual([b.id, a.id, c.id]);
    const late = await accept(d);
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('AlertNotOpen');

    // The volunteer's own view: the scene and their role, never the caller; B's first aid is
    // self-declared, so B is shown the place and floor but not the access notes; A's CPR is verified.
    const mine = await t.request('GET', '/api/volunteers/me/alerts', undefined, bearer(b.token));
    expect(mine.status).toBe(200);
    expect(mine.body.alerts).toHaveLength(1);
    expect(mine.body.alerts[0]).toMatchObject({
      alertId: `${id}.${b.id}`,
      role: 'fetch_aed',
      incident: { nature: 'cardiac_arrest', place: 'public', location: UNION_SQUARE, floor: '3', shown: 'place' },
    });
    expect(mine.text).not.toMatch(/Jane Caller|555 0199|callerName|callbackNumber|florist/);
    const theirs = await t.request('GET', '/api/volunteers/me/alerts', undefined, bearer(a.token));
    expect(theirs.body.alerts[0].incident).toMatchObject({ location: UNION_SQUARE, floor: '3', access: 'lift behind the florist', shown: 'access' });
    expect(theirs.text).not.toMatch(/Jane Caller|555 0199/);
    expect((await t.request('GET', '/api/volunteers/me/alerts', undefined, bearer(d.token))).body.alerts).toEqual([]);

    // The dispatcher's view: statuses, waves, rules, roles, the AED, and positions near the active incident.
    const view = await t.request('GET', `/api/incidents/${id}/volunteers`);
    expect(view.status, view.text).toBe(200);
    const r = view.body.response;
    expect(r).toMatchObject({ status: 'complete', statusReason: 'enough_accepted', roles: ['cpr', 'fetch_aed', 'meet_crew'] });
    expect(r.waves).toHaveLength(1);
    expect(r.waves[0]).toMatchObject({ wave: 1, volunteerIds: alerted });
    const byId = new Map((r.alerts as { volunteerId: string }[]).map((x) => [x.volunteerId, x as Record<string, unknown>]));
    expect(byId.get(b.id)).toMatchObject({ status: 'accepted', wave: 1, role: 'fetch_aed', policyRule: 'nature.cardiac_arrest+place.public', aed: { aedId: 'aed-bart' } });
    expect(byId.get(b.id)!['position']).toMatchObject({ lat: b.at.lat, lon: b.at.lon });
    expect(byId.get(b.id)!['route']).toBeDefined();
    expect(byId.get(d.id)).toMatchObject({ status: 'stood_down', position: null });
    expect(typeof byId.get(a.id)!['etaS']).toBe('number');
  });

  it('a first unit on scene stands down the open alerts; accepted volunteers carry on', async () => {
    const vols: TestVolunteer[] = [];
    for (let i = 0; i < 3; i++) vols.push(await addVolunteer(t, { at: offset(MISSION_DOLORES, 50 + i * 50, -20) }));
    const before = await t.head();
    const id = await postIncident(t, { location: MISSION_DOLORES, nature: 'cardiac_arrest', place: 'public' });
    await t.settle();
    expect(ofType(await t.eventsAfter(before), 'VolunteerAlerted')).toHaveLength(3);
    const res = await t.request('POST', `/api/volunteers/me/alerts/${id}.${vols[0]!.id}/accept`, undefined, bearer(vols[0]!.token));
    expect(res.body.role).toBe('cpr');
    const unit = (await t.request('GET', `/api/incidents/${id}/recommendation`)).body.candidates[0].unitId as string;
    expect((await t.request('POST', `/api/incidents/${id}/dispatch`, { unitIds: [unit] })).status).toBe(200);
    expect((await t.request('POST', `/api/units/${unit}/status`, { status: 'en_route' })).status).toBe(200);
    await t.settle();
    expect(ofType(await t.eventsAfter(before), 'VolunteerStoodDown')).toEqual([]);
    expect((await t.request('POST', `/api/units/${unit}/status`, { status: 'on_scene' })).status).toBe(200);
    await t.settle();
    const events = await t.eventsAfter(before);
    const down = ofType(events, 'VolunteerStoodDown');
    expect(down.map((x) => x.data.volunteerId).sort()).toEqual([vols[1]!.id, vols[2]!.id].sort());
    for (const x of down) expect(x.data.reason).toBe('first_unit_on_scene');
    expect(ofType(events, 'VolunteerResponseStatusChanged').map((x) => x.data.to)).toEqual(['complete']);
    const view = (await t.request('GET', `/api/incidents/${id}/volunteers`)).body.response;
    expect(view.status).toBe('complete');
    expect(view.alerts.find((x: { volunteerId: string }) => x.volunteerId === vols[0]!.id).status).toBe('accepted');
  });

  it('a cancelled incident stands every volunteer down, accepted ones too, and hides their positions', async () => {
    const vols: TestVolunteer[] = [];
    for (let i = 0; i < 2; i++) vols.push(await addVolunteer(t, { at: offset(FERRY_BUILDING, -60 - i * 60, -60) }));
    const before = await t.head();
    const id = await postIncident(t, { location: FERRY_BUILDING, nature: 'cardiac_arrest', place: 'public' });
    await t.settle();
    await t.request('POST', `/api/volunteers/me/alerts/${id}.${vols[0]!.id}/accept`, undefined, bearer(vols[0]!.token));
    const shown = (await t.request('GET', `/api/incidents/${id}/volunteers`)).body.response;
    expect(shown.alerts.find((x: { volunteerId: string }) => x.volunteerId === vols[0]!.id).position).not.toBeNull();
    expect((await t.request('POST', `/api/incidents/${id}/cancel`, { reason: 'caller recovered' })).status).toBe(200);
    await t.settle();
    const down = ofType(await t.eventsAfter(before), 'VolunteerStoodDown');
    expect(down.map((x) => [x.data.volunteerId, x.data.reason, x.data.wasAccepted]).sort()).toEqual(
      [
        [vols[0]!.id, 'incident_cancelled', true],
        [vols[1]!.id, 'incident_cancelled', false],
      ].sort(),
    );
    const hidden = (await t.request('GET', `/api/incidents/${id}/volunteers`)).body.response;
    expect(hidden.status).toBe('stood_down');
    expect(hidden.alerts.map((x: { position: unknown }) => x.position)).toEqual([null, null]);
  });

  it('alerts nobody for a nature the policy does not send volunteers to; structure fires reach off-duty firefighters only', async () => {
    const cpr = await addVolunteer(t, { at: offset(NOB_HILL, 40, 0) });
    const firefighter = await addVolunteer(t, { at: offset(NOB_HILL, 80, 0), quals: [['firefighter_off_duty', 'verified']] });
    const before = await t.head();
    for (const nature of ['hazmat', 'violence', 'medical']) await postIncident(t, { location: NOB_HILL, nature, place: 'public' });
    await t.settle();
    let events = await t.eventsAfter(before);
    expect(ofType(events, 'VolunteerResponseStarted')).toEqual([]);
    expect(ofType(events, 'VolunteerAlerted')).toEqual([]);

    const fire = await postIncident(t, { location: NOB_HILL, nature: 'structure_fire', place: 'public' });
    await t.settle();
    events = await t.eventsAfter(before);
    const alerts = ofType(events, 'VolunteerAlerted');
    expect(alerts.map((x) => [x.data.incidentId, x.data.volunteerId, x.data.policyRule])).toEqual([[fire, firefighter.id, 'nature.structure_fire+place.public']]);
    expect(alerts.some((x) => x.data.volunteerId === cpr.id)).toBe(false);
  });

  it('an unknown place or a home reaches verified nurses and doctors only', async () => {
    const cpr = await addVolunteer(t, { at: offset(HAIGHT, 40, 0) });
    const nurse = await addVolunteer(t, { at: offset(HAIGHT, 90, 0), quals: [['nurse', 'verified']] });
    await addVolunteer(t, { at: offset(HAIGHT, 120, 0), quals: [['doctor', 'declared']] });
    const before = await t.head();
    const id = await postIncident(t, { location: HAIGHT, nature: 'cardiac_arrest' });
    await t.settle();
    const alerts = ofType(await t.eventsAfter(before), 'VolunteerAlerted');
    expect(alerts.map((x) => [x.data.volunteerId, x.data.place, x.data.policyRule, x.data.qualification])).toEqual([
      [nurse.id, 'unknown', 'nature.cardiac_arrest+place.unknown', 'nurse'],
    ]);
    expect(alerts.some((x) => x.data.volunteerId === cpr.id)).toBe(false);
    // Only the volunteer's own alerts can be answered: anyone else's id is not found.
    const other = await t.request('POST', `/api/volunteers/me/alerts/${id}.${nurse.id}/accept`, undefined, bearer(cpr.token));
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe('UnknownAlert');
    const declined = await t.request('POST', `/api/volunteers/me/alerts/${id}.${nurse.id}/decline`, { reason: 'driving' }, bearer(nurse.token));
    expect(declined.status, declined.text).toBe(200);
    expect(declined.body.status).toBe('declined');
    expect((await t.request('GET', '/api/volunteers/me/alerts', undefined, bearer(nurse.token))).body.alerts).toEqual([]);
  });
});
