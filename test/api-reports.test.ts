import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haversine, type LatLon } from '../src/core/lat-lon.ts';
import { parseCsvRecords } from '../src/interop/csv.ts';
import { ManualClock } from '../src/time/clock.ts';
import { CIVIC_CENTER, createIncident, expectError } from './support/api.ts';
import { addVolunteer, bearer, eventually } from './support/responders.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const MISSION = { lat: 37.7651, lon: -122.4197 };
const SECOND = 1000;

/** The station nearest a place, from the bundled list the server loads: what a live report calls its station area. */
function nearestStation(at: LatLon): string {
  const stations = JSON.parse(readFileSync(new URL('../data/sf/stations.json', import.meta.url), 'utf8')) as { id: string; location: LatLon }[];
  return stations.reduce((best, s) => (haversine(at, s.location) < haversine(at, best.location) ? s : best)).id;
}

/*
 * San Francisco, Wednesday 4 March 2026 (UTC−8; the clocks go forward on Sunday 8 March).
 *   Monday 09:00   C  medical          dispatched after 100 s, nothing more
 *   Wednesday 09:00 A  cardiac arrest   M53 and E36 dispatched at 40 s; E36 en route at 100 s, M53 at 110 s;
 *                                       M53 on scene at 350 s, E36 at 400 s → first unit M53: turnout 70, travel 240
 *   Wednesday 09:10 B  structure fire   E07 dispatched at 60 s, en route at 150 s, on scene at 450 s: turnout 90, travel 300
 *   Wednesday 09:20 D  alarm            not dispatched yet
 */
describe('live response-time reports', () => {
  let t: TestServer;
  const monday = Date.parse('2026-03-02T17:00:00.000Z');
  const wednesday = Date.parse('2026-03-04T17:00:00.000Z');
  const clock = new ManualClock(monday);
  const ids: Record<string, string> = {};
  const receivedAt: Record<string, number> = {};

  const at = (ms: number) => clock.advance(ms - clock.now());
  const ok = async (method: string, path: string, body?: unknown) => {
    const res = await t.request(method, path, body);
    expect(res.status, res.text).toBeLessThan(300);
    return res;
  };
  const status = (unit: string, s: string) => ok('POST', `/api/units/${unit}/status`, { status: s });

  beforeAll(async () => {
    t = await startTestServer({ clock });
    const receive = async (name: string, body: Record<string, unknown>) => {
      receivedAt[name] = clock.now();
      ids[name] = await createIncident(t, body);
    };
    await receive('C', { location: MISSION, nature: 'medical' });
    at(monday + 100 * SECOND);
    await ok('POST', `/api/incidents/${ids['C']}/dispatch`, { unitIds: ['54'] });

    at(wednesday);
    await receive('A', { location: CIVIC_CENTER, nature: 'cardiac_arrest' });
    const a = (s: number) => at(wednesday + s * SECOND);
    a(40);
    await ok('POST', `/api/incidents/${ids['A']}/dispatch`, { unitIds: ['53', 'E36'] });
    a(100);
    await status('E36', 'en_route');
    a(110);
    await status('53', 'en_route');
    a(350);
    await status('53', 'on_scene');
    a(400);
    await status('E36', 'on_scene');

    const b0 = wednesday + 600 * SECOND;
    at(b0);
    await receive('B', { location: MISSION, nature: 'structure_fire' });
    at(b0 + 60 * SECOND);
    await ok('POST', `/api/incidents/${ids['B']}/dispatch`, { unitIds: ['E07'] });
    at(b0 + 150 * SECOND);
    await status('E07', 'en_route');
    at(b0 + 450 * SECOND);
    await status('E07', 'on_scene');

    at(wednesday + 1200 * SECOND);
    await receive('D', { location: CIVIC_CENTER, nature: 'alarm' });
  });
  afterAll(async () => {
    await t?.close();
  });

  const report = async (query: string) => (await ok('GET', `/api/reports/intervals?${query}`)).body;

  it("today is the service's local day: the median, 90th percentile and shares are the exact seconds of the day's incidents", async () => {
    const r = await report('period=today');
    expect(r.period).toEqual({ name: 'today', from: '2026-03-04T08:00:00.000Z', to: '2026-03-05T08:00:00.000Z', timeZone: 'America/Los_Angeles' });
    expect(r.thresholds).toEqual({ callToDispatchS: 64, turnoutEmsS: 60, turnoutFireS: 80, travelS: 240 });
    expect(r.incidents).toBe(3);
    expect(r.distributions).toEqual({
      callToDispatchS: { n: 2, medianS: 50, p90S: 58 },
      turnoutS: { n: 2, medianS: 80, p90S: 88 },
      travelS: { n: 2, medianS: 270, p90S: 294 },
      firstUnitS: { n: 2, medianS: 400, p90S: 440 },
      firstHelpS: { n: 2, medianS: 400, p90S: 440 },
    });
    // EMS turnout 70 > 60 and fire turnout 90 > 80 both miss; travel 240 is within, 300 is not.
    expect(r.compliance).toEqual({ callToDispatch: 1, turnout: 0, travel: 0.5, n: { callToDispatch: 2, turnout: 2, travel: 2 } });
    const areas = Object.fromEntries((r.byStationArea as { area: string; n: number; medianS: number }[]).map((x) => [x.area, x]));
    expect(areas[nearestStation(CIVIC_CENTER)]).toMatchObject({ medianS: 240 });
    expect(areas[nearestStation(MISSION)]).toMatchObject({ medianS: 300 });
    expect((r.grid as { incidents: number }[]).reduce((n, c) => n + c.incidents, 0)).toBe(3);
  });

  it('this week runs from Monday midnight to the next, across the change of clocks, and holds Monday\'s incident', async () => {
    const r = await report('period=week');
    expect(r.period).toMatchObject({ name: 'week', from: '2026-03-02T08:00:00.000Z', to: '2026-03-09T07:00:00.000Z' });
    expect(r.incidents).toBe(4);
    expect(r.distributions.callToDispatchS).toEqual({ n: 3, medianS: 60, p90S: 92 });
  });

  it('from and to pick any period up to 31 days; to is excluded', async () => {
    const r = await report(`from=${new Date(receivedAt['A']!).toISOString()}&to=${new Date(receivedAt['D']!).toISOString()}`);
    expect(r.incidents).toBe(2);
    expect((await report('from=2026-02-01&to=2026-03-01')).incidents).toBe(0);
  });

  it('the CSV has one row per incident with its intervals in seconds, as a download', async () => {
    const res = await ok('GET', '/api/reports/intervals.csv?period=today');
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="intervals-samaritan-2026-03-04.csv"');
    const rows = parseCsvRecords(res.text);
    expect(rows.map((x) => x['incidentId'])).toEqual([ids['A'], ids['B'], ids['D']]);
    expect(rows[0]).toMatchObject({ policy: 'live', nature: 'cardiac_arrest', service: 'ems', volunteerCall: 'true', callToDispatchS: '40', turnoutS: '70', travelS: '240', firstUnitS: '350', firstUnitId: '53', firstUnitType: 'medic', stationArea: nearestStation(CIVIC_CENTER) });
    // The volunteer policy sends volunteers to meet the crew at a structure fire; never to an alarm.
    expect(rows[1]).toMatchObject({ service: 'fire', volunteerCall: 'true', callToDispatchS: '60', turnoutS: '90', travelS: '300', firstUnitS: '450', firstUnitId: 'E07' });
    expect(rows[2]).toMatchObject({ nature: 'alarm', volunteerCall: 'false', callToDispatchS: '', firstUnitS: '' });
  });

  it("the NERIS CSV gives the first unit's own stamps and ISO 8601 durations", async () => {
    const res = await ok('GET', '/api/reports/intervals.csv?period=today&names=neris');
    expect(res.headers.get('content-disposition')).toMatch(/filename="intervals-neris-2026-03-04\.csv"/);
    const [a] = parseCsvRecords(res.text);
    const iso = (s: number) => new Date(wednesday + s * SECOND).toISOString().replace('.000Z', '+00:00');
    expect(a).toMatchObject({
      incident_internal_id: ids['A'],
      dispatch_time_call_arrival: iso(0),
      dispatch_incident_code: 'cardiac_arrest',
      dispatch_time_alarm_processing: 'PT40S',
      unit_id_reported: '53',
      time_dispatch: iso(40),
      time_enroute_to_scene: iso(110),
      time_on_scene: iso(350),
      time_turnout: 'PT1M10S',
      time_travel: 'PT4M',
    });
  });

  it('the charts are standalone SVG images, titled in the language asked for', async () => {
    for (const chart of ['distribution.svg?interval=turnoutS', 'station-areas.svg', 'late-map.svg']) {
      const res = await ok('GET', `/api/reports/charts/${chart}${chart.includes('?') ? '&' : '?'}period=week`);
      expect(res.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
      expect(res.text).toMatch(/^<svg[^>]*role="img"/);
      expect(res.text).toContain('<title');
      expect(res.text).not.toMatch(/<script|href="http/);
    }
    const fr = await ok('GET', '/api/reports/charts/distribution.svg?period=today&interval=travelS&lang=fr');
    expect(fr.text).toContain('Trajet');
  });

  it('in French, the words the charts draw themselves are French too: axes, legends and descriptions', async () => {
    const english = /share of incidents|median|percentile|within|cells? of|Travel standard|incidents,|Station \d/;
    const words = (svg: string) => svg.replace(/<[^>]+>/g, ' ');
    for (const [chart, french] of [
      ['distribution.svg?interval=travelS', /part des interventions.*médiane/s],
      ['distribution.svg?interval=turnoutS', /Secours à personne.*médiane/s],
      ['station-areas.svg', /Caserne \d.*90e centile/s],
      ['late-map.svg', /Délai médian des premiers secours.*Objectif de trajet manqué/s],
    ] as const) {
      const svg = (await ok('GET', `/api/reports/charts/${chart}${chart.includes('?') ? '&' : '?'}period=week&lang=fr`)).text;
      expect(words(svg), chart).toMatch(french);
      expect(words(svg), chart).not.toMatch(english);
      const en = (await ok('GET', `/api/reports/charts/${chart}${chart.includes('?') ? '&' : '?'}period=week`)).text;
      expect(words(en), chart).toMatch(english);
    }
  });

  it('a volunteer who reports arriving first is the first help', async () => {
    const e0 = wednesday + 1800 * SECOND;
    at(e0);
    const v = await addVolunteer(t, { at: { lat: CIVIC_CENTER.lat + 0.001, lon: CIVIC_CENTER.lon } });
    const id = await createIncident(t, { location: CIVIC_CENTER, nature: 'cardiac_arrest', place: 'public' });
    const alert = await eventually(
      async () => {
        const res = await t.request('GET', '/api/volunteers/me/alerts', undefined, bearer(v.token));
        return (res.body?.alerts as { alertId: string }[] | undefined)?.[0];
      },
      5000,
      'an alert to the volunteer',
    );
    expect((await t.request('POST', `/api/volunteers/me/alerts/${alert.alertId}/accept`, {}, bearer(v.token))).status).toBeLessThan(300);
    at(e0 + 180 * SECOND);
    expect((await t.request('POST', `/api/volunteers/me/alerts/${alert.alertId}/arrived`, {}, bearer(v.token))).status).toBeLessThan(300);
    const rows = parseCsvRecords((await ok('GET', '/api/reports/intervals.csv?period=today')).text);
    expect(rows.find((x) => x['incidentId'] === id)).toMatchObject({ firstVolunteerS: '180', firstHelpS: '180', firstUnitS: '' });
  });

  it('a period that cannot be read, or is longer than 31 days, is refused with a code', async () => {
    const refuse = async (query: string, code: string) => expectError(await t.request('GET', `/api/reports/intervals?${query}`), 400, code);
    await refuse('period=month', 'InvalidReportPeriod');
    await refuse('from=2026-03-01', 'InvalidReportPeriod');
    await refuse('from=yesterday&to=2026-03-01', 'InvalidReportPeriod');
    await refuse('from=2026-03-02&to=2026-03-01', 'InvalidReportPeriod');
    await refuse('period=today&from=2026-03-01&to=2026-03-02', 'InvalidReportPeriod');
    await refuse('from=2026-01-01&to=2026-02-02', 'ReportPeriodTooLong');
    await refuse('colour=red', 'ValidationFailed');
    expectError(await t.request('GET', '/api/reports/intervals.csv?names=xml'), 400, 'ValidationFailed');
    expectError(await t.request('GET', '/api/reports/charts/pie.svg'), 400, 'ValidationFailed');
    expectError(await t.request('GET', '/api/reports/charts/late-map.svg?from=2026-01-01&to=2026-03-01'), 400, 'ReportPeriodTooLong');
  });

  it('dispatchers, supervisors and integrations that read incidents may read reports; a volunteer device and a call taker may not', async () => {
    const get = async (path: string, token: string) => t.request('GET', path, undefined, bearer(token));
    for (const path of ['/api/reports/intervals', '/api/reports/intervals.csv', '/api/reports/charts/late-map.svg']) {
      expect((await get(path, await t.token('supervisor'))).status).toBe(200);
      expect((await get(path, await t.token('integration', ['incidents:read']))).status).toBe(200);
      expectError(await get(path, await t.token('integration', ['units:read'])), 403, 'Forbidden');
      expectError(await get(path, await t.token('call_taker')), 403, 'Forbidden');
      const device = await addVolunteer(t, { at: MISSION, available: false });
      expectError(await get(path, device.token), 403, 'WrongCredentialKind');
      expectError(await t.request('GET', path, undefined, { authorization: '' }), 401, 'Unauthenticated');
    }
  });
});
