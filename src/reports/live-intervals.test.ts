import { describe, expect, it } from 'vitest';
import type { Assignment, IncidentState } from '../core/incident.ts';
import type { ResponseState, VolunteerAlert } from '../core/volunteer-response.ts';
import { liveIntervals, nearestStationArea, type LiveContext } from './live-intervals.ts';

const T0 = Date.parse('2026-03-02T10:00:00Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();

const stations = [
  { id: '1', location: { lat: 37.79, lon: -122.40 } },
  { id: '2', location: { lat: 37.75, lon: -122.45 } },
];
const ctx: LiveContext = {
  stationAreaOf: nearestStationArea(stations),
  volunteerNatures: new Set(['cardiac_arrest']),
  unitTypeOf: (id) => (id.startsWith('M') ? 'medic' : 'engine'),
};

function incident(nature: string, assignments: Assignment[]): IncidentState {
  return {
    id: 'I1',
    status: 'on_scene',
    details: { location: { lat: 37.751, lon: -122.449 }, nature, priority: 1 },
    receivedAt: at(0),
    statusChangedAt: at(0),
    duplicates: [],
    assignments: Object.fromEntries(assignments.map((a) => [a.unitId, a])),
  };
}
const unit = (unitId: string, steps: { d?: number; e?: number; o?: number }): Assignment => ({
  unitId,
  status: 'on_scene',
  active: true,
  ...(steps.d === undefined ? {} : { dispatchedAt: at(steps.d) }),
  ...(steps.e === undefined ? {} : { enRouteAt: at(steps.e) }),
  ...(steps.o === undefined ? {} : { onSceneAt: at(steps.o) }),
});

describe('live intervals', () => {
  it('call to dispatch runs to the first dispatch; turnout and travel are the first unit on scene\'s own', () => {
    // E1 is dispatched first but arrives after M2, which was sent 30 s later.
    const r = liveIntervals(incident('cardiac_arrest', [unit('E1', { d: 40, e: 100, o: 500 }), unit('M2', { d: 70, e: 120, o: 400 })]), ctx);
    expect(r).toMatchObject({
      callToDispatchS: 40,
      turnoutS: 50,
      travelS: 280,
      firstUnitS: 400,
      firstHelpS: 400,
      firstUnitId: 'M2',
      firstUnitType: 'medic',
      service: 'ems',
      volunteerCall: true,
      stationArea: '2',
      receivedAt: T0,
    });
    expect(r.firstVolunteerS).toBeUndefined();
  });

  it('fire natures are judged as fire; natures volunteers are not alerted for are not volunteer calls', () => {
    const r = liveIntervals(incident('structure_fire', [unit('E1', { d: 60 })]), ctx);
    expect(r).toMatchObject({ service: 'fire', volunteerCall: false, callToDispatchS: 60 });
    expect(r.turnoutS).toBeUndefined();
    expect(r.firstUnitS).toBeUndefined();
    expect(r.firstHelpS).toBeUndefined();
  });

  it('a unit that never reported en route has an arrival but no turnout or travel', () => {
    const r = liveIntervals(incident('medical', [unit('M2', { d: 30, o: 300 })]), ctx);
    expect(r).toMatchObject({ callToDispatchS: 30, firstUnitS: 300 });
    expect(r.turnoutS).toBeUndefined();
    expect(r.travelS).toBeUndefined();
  });

  it('a volunteer who arrives before the first unit is the first help', () => {
    const alert = { alertId: 'a1', arrivedAt: at(250) } as VolunteerAlert;
    const late = { alertId: 'a2', arrivedAt: at(320) } as VolunteerAlert;
    const response = { alerts: { a1: alert, a2: late } } as unknown as ResponseState;
    const r = liveIntervals(incident('cardiac_arrest', [unit('M2', { d: 30, e: 60, o: 400 })]), ctx, response);
    expect(r).toMatchObject({ firstVolunteerS: 250, firstUnitS: 400, firstHelpS: 250 });
  });

  it('stamps out of order or over two hours apart give no interval rather than a negative or absurd one', () => {
    const r = liveIntervals(incident('medical', [unit('M2', { d: 30, e: 20, o: 3 * 3600 })]), ctx);
    expect(r.turnoutS).toBeUndefined();
    expect(r.travelS).toBeUndefined();
    expect(r.firstUnitS).toBeUndefined();
    expect(r.callToDispatchS).toBe(30);
  });

  it('without stations there is no station area', () => {
    expect(nearestStationArea([])({ lat: 37.7, lon: -122.4 })).toBeUndefined();
  });
});
