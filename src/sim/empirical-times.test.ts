import { describe, expect, it } from 'vitest';
import { seededRandom } from '../core/seeded-random.ts';
import { NFPA_1710, type IncidentIntervals } from '../reports/intervals.ts';
import { EmpiricalTimes, MIN_SAMPLES } from './empirical-times.ts';
import type { SimCall, SimUnitRow } from './sim-calls.ts';

let n = 0;
/** A call at `hour` whose units turned out in the given seconds (engines unless said). */
function call(hour: number, turnouts: readonly number[], o: { unitType?: string; priority?: number; callToDispatchS?: number } = {}): SimCall {
  const id = `C${++n}`;
  const rows: SimUnitRow[] = turnouts.map((t, i) => ({ unitId: `U${i}`, unitType: o.unitType ?? 'engine', dispatchOffsetS: 0, arrived: true, transported: false, real: { turnoutS: t } }));
  const real: IncidentIntervals = {
    incidentId: id,
    receivedAt: 0,
    location: { lat: 37.77, lon: -122.42 },
    stationArea: undefined,
    nature: 'medical',
    priority: o.priority ?? 1,
    service: 'ems',
    volunteerCall: false,
    ...(o.callToDispatchS !== undefined ? { callToDispatchS: o.callToDispatchS } : {}),
  };
  return { incidentId: id, receivedAt: 0, hour, location: real.location, nature: 'medical', callType: 'Medical Incident', priority: o.priority ?? 1, service: 'ems', volunteerCall: false, rows, real };
}

const draws = (f: (r: () => number) => number, seed = 7, count = 200) => {
  const r = seededRandom(seed);
  return Array.from({ length: count }, () => f(r));
};

describe('EmpiricalTimes', () => {
  const calls = [
    call(3, [40, 41, 42, 43, 44, 45]),
    call(14, [90, 91, 92, 93, 94]),
    call(15, [100, 101]),
    call(10, [60, 61, 62, 63, 64, 65], { unitType: 'medic' }),
    call(2, [], { priority: 1, callToDispatchS: 30 }),
    ...[31, 32, 33, 34].map((s) => call(2, [], { priority: 1, callToDispatchS: s })),
    call(20, [], { priority: 3, callToDispatchS: 200 }),
  ];
  const times = EmpiricalTimes.fromCalls(calls, new Map([['truck', { turnoutS: 77 }]]));

  it('draws only the data’s own values of that unit type and hour', () => {
    const at3 = draws((r) => times.turnoutS('engine', 3, r));
    expect(new Set(at3)).toEqual(new Set([40, 41, 42, 43, 44, 45]));
    expect(new Set(draws((r) => times.turnoutS('medic', 10, r)))).toEqual(new Set([60, 61, 62, 63, 64, 65]));
  });

  it('is the same for the same random source, different for another', () => {
    expect(draws((r) => times.turnoutS('engine', 3, r), 11)).toEqual(draws((r) => times.turnoutS('engine', 3, r), 11));
    expect(draws((r) => times.turnoutS('engine', 3, r), 11)).not.toEqual(draws((r) => times.turnoutS('engine', 3, r), 12));
  });

  it('widens an hour with too few values to the 3-hour window around it', () => {
    // Hour 15 has two values: with 14 (five) and 16 (none) the window has seven.
    expect(MIN_SAMPLES).toBeGreaterThan(2);
    expect(new Set(draws((r) => times.turnoutS('engine', 15, r), 3, 400))).toEqual(new Set([90, 91, 92, 93, 94, 100, 101]));
  });

  it('falls back to every hour of the type when the window has nothing', () => {
    const at22 = new Set(draws((r) => times.turnoutS('engine', 22, r), 5, 1000));
    expect(at22).toEqual(new Set([40, 41, 42, 43, 44, 45, 90, 91, 92, 93, 94, 100, 101]));
  });

  it('wraps the window around midnight', () => {
    // Hour 4 alone has nothing; 3 has six values.
    expect(new Set(draws((r) => times.turnoutS('engine', 4, r)))).toEqual(new Set([40, 41, 42, 43, 44, 45]));
    const late = EmpiricalTimes.fromCalls([call(0, [10, 11, 12, 13, 14])]);
    expect(new Set(draws((r) => late.turnoutS('engine', 23, r)))).toEqual(new Set([10, 11, 12, 13, 14]));
  });

  it('gives a unit type without data its configured turnout, and an unknown type NFPA’s fire turnout', () => {
    expect(draws((r) => times.turnoutS('truck', 3, r), 1, 5)).toEqual([77, 77, 77, 77, 77]);
    expect(times.turnoutS('hovercraft', 3, Math.random)).toBe(NFPA_1710.turnoutFireS);
  });

  it('leaves out units already rolling when sent (Response = Dispatch): a crew at its station never draws their zero', () => {
    const rolling = EmpiricalTimes.fromCalls([call(9, [0, 0, 0, 0, 0, 0, 0, 70, 71, 72, 73, 74])]);
    expect(new Set(draws((r) => rolling.turnoutS('engine', 9, r)))).toEqual(new Set([70, 71, 72, 73, 74]));
  });

  it('draws by the call’s priority when the type has enough turnouts at it, else from the type’s every priority', () => {
    const mixed = EmpiricalTimes.fromCalls([call(9, [60, 61, 62, 63, 64], { priority: 1 }), call(9, [20, 21, 22, 23, 24], { priority: 2 }), call(9, [5], { priority: 3 })]);
    expect(new Set(draws((r) => mixed.turnoutS('engine', 9, r, 1)))).toEqual(new Set([60, 61, 62, 63, 64]));
    expect(new Set(draws((r) => mixed.turnoutS('engine', 9, r, 2)))).toEqual(new Set([20, 21, 22, 23, 24]));
    expect(new Set(draws((r) => mixed.turnoutS('engine', 9, r, 3))).size).toBe(11);
  });

  it('draws alarm processing by priority and hour, then NFPA 1221 for a priority without data', () => {
    expect(new Set(draws((r) => times.callToDispatchS(1, 2, r)))).toEqual(new Set([30, 31, 32, 33, 34]));
    // Priority 3 has one value, at 20 h: any hour falls back to it.
    expect(new Set(draws((r) => times.callToDispatchS(3, 8, r)))).toEqual(new Set([200]));
    expect(times.callToDispatchS(2, 8, Math.random)).toBe(NFPA_1710.callToDispatchS);
  });
});
