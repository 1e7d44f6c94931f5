import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Command } from './commands.ts';
import { decide } from './decide.ts';
import { epochMs, isoAt, seconds, type EpochMs } from './ids.ts';
import type { IncidentState } from './incident.ts';
import { haversine } from './lat-lon.ts';
import type { StreamState } from './loaded.ts';
import { recommend } from './recommend.ts';
import {
  COMMITTED_UNIT_STATUSES,
  DISPATCHABLE_UNIT_STATUSES,
  INCIDENT_STATUSES,
  UNIT_STATUSES,
  UNIT_TRANSITIONS,
  type IncidentStatus,
} from './statuses.ts';
import { CITY_HALL, PLANS, RULES, T0, UNIT_TYPES, details, fold, given, load, unitCommissioned, type World } from './test-kit.ts';
import type { TravelTimeEstimator } from './travel-time.ts';
import type { UnitState } from './unit.ts';

/*
 * Random dispatch shifts over a small fleet: a medic (it can transport), two engines and a truck,
 * three incident ids, and one unit id and one nature that do not exist. Every command is decided
 * as the command handler decides it, every accepted decision is folded in as the store folds it,
 * and the invariants are checked after every step.
 */
const FLEET = [
  unitCommissioned('M1', 'medic'),
  unitCommissioned('E1', 'engine'),
  unitCommissioned('E2', 'engine'),
  unitCommissioned('T1', 'truck'),
];
const UNIT_IDS = ['M1', 'E1', 'E2', 'T1', 'X9'] as const;
const INCIDENT_IDS = ['I1', 'I2', 'I3'] as const;
const NATURES = ['structure_fire', 'cardiac_arrest', 'medical', 'no_such_nature'] as const;

type Step =
  | { kind: 'receive'; incidentId: string; nature: string; offGlobe: boolean }
  | { kind: 'dispatch'; incidentId: string; unitIds: string[] }
  | { kind: 'status'; unitId: string; status: (typeof UNIT_STATUSES)[number] }
  /** One unit that is free now, to an incident that exists now (when there are any). */
  | { kind: 'dispatchFree'; incidentId: string; pick: number }
  | { kind: 'move'; unitId: string; pick: number }
  | { kind: 'cancel' | 'resolve' | 'close'; incidentId: string }
  | { kind: 'merge'; incidentId: string; into: string };

const incidentId = fc.constantFrom(...INCIDENT_IDS);
const unitId = fc.constantFrom(...UNIT_IDS);
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('receive' as const),
      incidentId,
      nature: fc.constantFrom(...NATURES),
      offGlobe: fc.nat(9).map((n) => n === 0),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('dispatch' as const), incidentId, unitIds: fc.array(unitId, { maxLength: 3 }) }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('dispatchFree' as const), incidentId, pick: fc.nat() }) },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('status' as const), unitId, status: fc.constantFrom(...UNIT_STATUSES) }),
  },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('move' as const), unitId, pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), incidentId }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('resolve' as const, 'close' as const), incidentId }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('merge' as const), incidentId, into: incidentId }) },
);
const shiftArb = fc.array(stepArb, { minLength: 10, maxLength: 60, size: 'max' });

const unitsOf = (w: World) => [...w.entries()].filter(([k]) => k.startsWith('unit-')).map(([, s]) => s as UnitState);
const incidentsOf = (w: World) => [...w.entries()].filter(([k]) => k.startsWith('incident-')).map(([, s]) => s as IncidentState);

/** The command a step stands for, given the state (a `move` is a legal status change, if the unit has one). */
function toCommand(step: Step, world: World, now: EpochMs): Command {
  switch (step.kind) {
    case 'receive':
      return {
        type: 'ReceiveIncident',
        now,
        incidentId: step.incidentId,
        details: details('structure_fire', { nature: step.nature, ...(step.offGlobe ? { location: { lat: 95, lon: 0 } } : {}) }),
      };
    case 'dispatch':
      return { type: 'DispatchUnits', now, incidentId: step.incidentId, unitIds: step.unitIds };
    case 'status':
      return { type: 'ChangeUnitStatus', now, unitId: step.unitId, status: step.status };
    case 'dispatchFree': {
      const free = unitsOf(world).filter((u) => DISPATCHABLE_UNIT_STATUSES.includes(u.status));
      const chosen = free[step.pick % Math.max(1, free.length)];
      const known = incidentsOf(world);
      const to = known[Math.floor(step.pick / 7) % Math.max(1, known.length)]?.id ?? step.incidentId;
      return { type: 'DispatchUnits', now, incidentId: to, unitIds: chosen === undefined ? ['X9'] : [chosen.id] };
    }
    case 'move': {
      // Mostly forward along the machine, now and then out of service.
      const u = world.get(`unit-${step.unitId}`) as UnitState | undefined;
      const legal = u === undefined ? UNIT_STATUSES : UNIT_TRANSITIONS[u.status].filter((s) => s !== 'dispatched');
      const forward = legal.filter((s) => s !== 'out_of_service');
      const choices = step.pick % 8 === 0 ? legal : forward;
      return {
        type: 'ChangeUnitStatus',
        now,
        unitId: step.unitId,
        status: choices[Math.floor(step.pick / 8) % choices.length] ?? u?.status ?? 'available',
      };
    }
    case 'cancel':
      return { type: 'CancelIncident', now, incidentId: step.incidentId, reason: 'property' };
    case 'resolve':
      return { type: 'ResolveIncident', now, incidentId: step.incidentId, reason: 'property' };
    case 'close':
      return { type: 'CloseIncident', now, incidentId: step.incidentId, reason: 'property' };
    case 'merge':
      return { type: 'MergeIncident', now, incidentId: step.incidentId, into: step.into };
  }
}

function expectInvariants(world: World): void {
  const units = new Map(unitsOf(world).map((u) => [u.id, u]));
  const incidents = new Map(incidentsOf(world).map((s) => [s.id, s]));
  for (const u of units.values()) {
    expect(UNIT_STATUSES).toContain(u.status);
    const committed = COMMITTED_UNIT_STATUSES.includes(u.status);
    expect(u.incidentId !== undefined, `${u.id} is ${u.status} with incident ${u.incidentId}`).toBe(committed);
    if (u.incidentId === undefined) continue;
    const a = incidents.get(u.incidentId)?.assignments[u.id];
    expect(a, `${u.id} committed to ${u.incidentId} is its active assignment`).toMatchObject({ active: true, status: u.status });
  }
  for (const s of incidents.values()) {
    expect(INCIDENT_STATUSES).toContain(s.status);
    for (const a of Object.values(s.assignments).filter((x) => x.active)) {
      const u = units.get(a.unitId);
      expect(u?.incidentId, `active assignment ${a.unitId} on ${s.id} is committed to it`).toBe(s.id);
      if (s.status === 'closed') expect.fail(`closed incident ${s.id} has active unit ${a.unitId}`);
      if (s.status === 'cancelled') expect(['transporting', 'at_hospital']).toContain(u?.status);
    }
  }
}

const FINAL: readonly IncidentStatus[] = ['closed', 'cancelled'];
const seen = { accepted: new Map<string, number>(), unitStatuses: new Set<string>(), incidentStatuses: new Set<string>() };

/** Runs a shift, checking every step; returns the final world. */
function runShift(steps: readonly Step[]): World {
  let world = given(FLEET).world;
  steps.forEach((step, i) => {
    const now = epochMs(T0 + (i + 1) * 60_000);
    const c = toCommand(step, world, now);
    const before = structuredClone(world);
    const loaded = load(world, c);
    const d = decide(c, loaded, RULES);
    // Decided against only the streams it asked for, it decides as it would against everything.
    expect(decide(c, world as ReadonlyMap<string, StreamState | undefined>, RULES)).toEqual(d);
    expect(world, 'decide changes nothing it is given').toEqual(before);
    if (!d.ok) {
      expect(d).not.toHaveProperty('events');
      return;
    }
    seen.accepted.set(c.type, (seen.accepted.get(c.type) ?? 0) + 1);
    expect(d.events.length).toBeGreaterThan(0);
    for (const e of d.events) {
      expect(e.at).toBe(isoAt(now));
      expect(loaded.has(e.stream), `${c.type} writes only streams it was decided against (${e.stream})`).toBe(true);
    }
    const next = fold(world, d.events);
    for (const s of incidentsOf(world)) {
      const after = incidentsOf(next).find((x) => x.id === s.id);
      if (FINAL.includes(s.status)) expect(after?.status, `${s.id} left ${s.status}`).toBe(s.status);
      if (after?.status === 'closed' && s.status !== 'closed') expect(s.status).toBe('resolved');
    }
    world = next;
    expectInvariants(world);
    for (const u of unitsOf(world)) seen.unitStatuses.add(u.status);
    for (const s of incidentsOf(world)) seen.incidentStatuses.add(s.status);
  });
  return world;
}

describe('properties of random dispatch shifts', () => {
  it('every step keeps units and incidents consistent, and a rejected command changes nothing', () => {
    fc.assert(
      fc.property(shiftArb, (steps) => {
        runShift(steps);
      }),
      { numRuns: 500 },
    );
    // The shifts did reach the interesting places, so the invariants were tested there.
    for (const t of [
      'ReceiveIncident',
      'DispatchUnits',
      'ChangeUnitStatus',
      'CancelIncident',
      'ResolveIncident',
      'CloseIncident',
      'MergeIncident',
    ]) {
      expect(seen.accepted.get(t) ?? 0, `accepted ${t}`).toBeGreaterThan(0);
    }
    expect([...seen.unitStatuses].sort()).toEqual([...UNIT_STATUSES].sort());
    expect([...seen.incidentStatuses].sort()).toEqual([...INCIDENT_STATUSES].sort());
  });

  it('the recommendation for any incident of a random shift obeys the response plan', () => {
    const estimator: TravelTimeEstimator = {
      name: 'test-crow-flies',
      travelTimes: (to, origins) =>
        origins.map((o) =>
          o.id === 'T1'
            ? { ok: false, code: 'NoRoute' }
            : { ok: true, distanceM: haversine(o.location, to), travelS: seconds(haversine(o.location, to) / 10) },
        ),
    };
    const offsets = fc.array(
      fc.tuple(
        fc.double({ min: -0.05, max: 0.05, noNaN: true }),
        fc.double({ min: -0.05, max: 0.05, noNaN: true }),
        fc.boolean(),
      ),
      {
        minLength: FLEET.length,
        maxLength: FLEET.length,
      },
    );
    fc.assert(
      fc.property(shiftArb, offsets, (steps, where) => {
        const world = runShift(steps);
        const units = unitsOf(world).map((unit, i) => {
          const [dLat, dLon, live] = where[i] ?? [0, 0, false];
          return {
            unit,
            location: { lat: CITY_HALL.lat + dLat, lon: CITY_HALL.lon + dLon },
            source: live ? ('live' as const) : ('station' as const),
            placeName: 'Station',
          };
        });
        for (const incident of incidentsOf(world)) {
          const plan = PLANS.get(incident.details.nature);
          const turnoutS = (t: string) => seconds(UNIT_TYPES.get(t)?.turnoutS ?? 60);
          const r = recommend({ incident, plan, units, estimator, turnoutS });
          const byId = new Map(units.map((w) => [w.unit.id, w]));
          const active = new Set(
            Object.values(incident.assignments)
              .filter((a) => a.active)
              .map((a) => a.unitId),
          );
          expect(new Set(r.candidates.map((c) => c.unitId)).size).toBe(r.candidates.length);
          for (const c of r.candidates) {
            const w = byId.get(c.unitId);
            expect(w && DISPATCHABLE_UNIT_STATUSES.includes(w.unit.status), `${c.unitId} is dispatchable`).toBe(true);
            expect(active.has(c.unitId)).toBe(false);
            expect(w?.unit.capabilities).toContain(c.fills);
            expect(c.etaS).toBeCloseTo(c.turnoutS + c.travelS, 9);
            expect(c.turnoutS > 0).toBe(w?.source === 'station' && w.unit.status === 'available');
            expect(c.unitId).not.toBe('T1');
          }
          expect(r.candidates.map((c) => c.etaS)).toEqual([...r.candidates.map((c) => c.etaS)].sort((a, b) => a - b));
          for (const need of plan?.units ?? []) {
            const filled =
              r.assigned.filter((a) => a.fills === need.capability).length +
              r.candidates.filter((c) => c.fills === need.capability).length;
            const short = r.shortfalls.find((s) => s.capability === need.capability);
            expect(filled + (short?.missing ?? 0), `${need.capability} is filled or short`).toBe(
              Math.max(need.count, r.assigned.filter((a) => a.fills === need.capability).length),
            );
          }
          const picked = new Set(r.candidates.map((c) => c.unitId));
          for (const p of r.passedOver) expect(picked.has(p.unitId) || active.has(p.unitId)).toBe(false);
          expect(r.passedOver.length).toBeLessThanOrEqual(8);
        }
      }),
      { numRuns: 300 },
    );
  });
});
