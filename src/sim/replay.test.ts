import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfiguration, PROJECT_ROOT } from '../config/configuration.ts';
import type { LatLon } from '../core/lat-lon.ts';
import type { IncidentIntervals } from '../reports/intervals.ts';
import type { Router } from '../routing/router.ts';
import { loadSfRouter } from '../routing/sf-demo.ts';
import { runSimulation } from './replay.ts';
import { simJson } from './result-json.ts';
import { parseScenario } from './scenario.ts';
import type { SimCall, SimUnitRow } from './sim-calls.ts';
import type { TravelFactors } from './travel-factors.ts';

const T0 = Date.parse('2017-01-02T18:00:00Z');
const STATION_7: LatLon = { lat: 37.760255, lon: -122.415042 };
/** Outer Sunset, about 7 km west of station 7 (the only investigator's home). */
const SUNSET: LatLon = { lat: 37.753, lon: -122.495 };
const DOWNTOWN: LatLon = { lat: 37.7841, lon: -122.4075 };

const known = () => {
  const json = (f: string) => JSON.parse(readFileSync(`${PROJECT_ROOT}${f}`, 'utf8')) as { id: string }[];
  return {
    unitTypes: new Set(loadConfiguration().unitTypes.keys()),
    stations: new Set(json('data/sf/stations.json').map((s) => s.id)),
    units: new Set(json('data/sf/fleet.json').map((u) => u.id)),
  };
};
const scenario = (extra: Record<string, unknown> = {}) => parseScenario({ policies: ['routed'], ...extra }, known());

function row(unitType: string, busyAfterArrivalS = 600): SimUnitRow {
  return { unitId: `X-${unitType}`, unitType, dispatchOffsetS: 0, arrived: true, busyAfterArrivalS, transported: false, real: {} };
}

function call(id: string, atS: number, location: LatLon, rows: SimUnitRow[], priority = 1): SimCall {
  const receivedAt = T0 + atS * 1000;
  const real: IncidentIntervals = { incidentId: `SF-${id}`, receivedAt, location, stationArea: undefined, nature: 'other', priority, service: 'fire', volunteerCall: false };
  return { incidentId: `SF-${id}`, receivedAt, hour: 10, location, nature: 'other', callType: 'Other', priority, service: 'fire', volunteerCall: false, rows, real };
}

let router: Router;
beforeAll(() => {
  router = loadSfRouter(PROJECT_ROOT);
});

async function replay(calls: SimCall[], s = scenario(), travelFactors?: TravelFactors) {
  const result = await runSimulation({ calls, count: calls.length, scenario: s, seed: 7, router, callsFile: 'hand-made', ...(travelFactors ? { travelFactors } : {}) });
  const routed = result.policies.find((p) => p.name === 'routed')!;
  return { result, routed, byId: new Map(routed.incidents.map((i) => [i.incidentId, i])) };
}

const driveS = (from: LatLon, to: LatLon, unitType: string): number => {
  const [t] = router.estimator('drive').travelTimes(to, [{ id: 'u', location: from, unitType }]);
  if (!t?.ok) throw new Error('no route');
  return t.travelS;
};

describe('the replay', () => {
  it('a_unit_busy_on_one_incident_is_not_sent_to_the_next_one_nearby_the_next_unit_goes', async () => {
    const { routed, byId } = await replay([call('1', 0, DOWNTOWN, [row('engine')]), call('2', 1, DOWNTOWN, [row('engine')])]);
    const a = byId.get('SF-1')!;
    const b = byId.get('SF-2')!;
    expect(a.firstUnitId).toBeDefined();
    expect(b.firstUnitId).toBeDefined();
    expect(b.firstUnitId).not.toBe(a.firstUnitId);
    expect(b.travelS!).toBeGreaterThanOrEqual(a.travelS!);
    expect(routed.shortfalls).toBe(0);
    expect(routed.rejections).toEqual({});
  });

  it('a_row_no_unit_of_its_type_can_fill_is_a_shortfall_and_the_replay_goes_on', async () => {
    const { routed, byId } = await replay([call('1', 0, DOWNTOWN, [row('investigator')]), call('2', 1, DOWNTOWN, [row('investigator')])]);
    expect(byId.get('SF-1')!.firstUnitId).toBe('AR1');
    expect(byId.get('SF-2')!.firstUnitId).toBeUndefined();
    expect(routed.shortfalls).toBe(1);
    expect(routed.incidents).toHaveLength(2);
  });

  it('a_unit_sent_again_before_it_is_home_starts_from_its_last_scene_not_from_its_station', async () => {
    const fromStation = driveS(STATION_7, SUNSET, 'investigator');
    // Received → dispatched 64 s (NFPA 1221, no data), turnout 120 s (configured), travel, 60 s on scene.
    const cleared = 64 + 120 + fromStation + 60;
    const next = { lat: SUNSET.lat + 0.0005, lon: SUNSET.lon };
    const { byId } = await replay([
      call('1', 0, SUNSET, [row('investigator', 60)]),
      call('2', cleared + 10, next, [row('investigator', 60)]),
      call('3', cleared + 4 * 3600, next, [row('investigator', 60)]),
    ]);
    expect(byId.get('SF-1')!.travelS).toBe(fromStation);
    const again = byId.get('SF-2')!;
    expect(again.firstUnitId).toBe('AR1');
    expect(again.travelS!).toBeLessThan(fromStation / 2);
    // Hours later it is home again, and drives the whole way.
    expect(byId.get('SF-3')!.travelS!).toBeGreaterThan(fromStation / 2);
  });

  it('a_unit_added_by_the_scenario_at_a_station_near_a_cluster_of_calls_lowers_their_travel', async () => {
    const cluster = [0, 1, 2].map((k) => call(String(k + 1), k * 3 * 3600, { lat: SUNSET.lat + k * 0.002, lon: SUNSET.lon }, [row('investigator', 120)]));
    const before = await replay(cluster);
    const after = await replay(cluster, scenario({ units: { add: [{ id: 'AR9', unitType: 'investigator', stationId: '23' }] } }));
    for (const c of cluster) {
      const b = before.byId.get(c.incidentId)!;
      const a = after.byId.get(c.incidentId)!;
      expect(a.firstUnitId).toBe('AR9');
      expect(a.travelS!).toBeLessThan(b.travelS!);
    }
  });

  it('a_non_emergency_call_is_driven_slower_by_its_priority_factor_and_not_with_the_switch_off', async () => {
    const factors = { '1': 1, '2': 1.5, '3': 1 };
    const road = driveS(STATION_7, SUNSET, 'investigator');
    const calls = [call('1', 0, SUNSET, [row('investigator')], 2), call('2', 6 * 3600, SUNSET, [row('investigator')], 1)];
    const on = await replay(calls, scenario(), factors);
    expect(on.byId.get('SF-1')!.travelS).toBe(Math.round(road * 1.5));
    expect(on.byId.get('SF-2')!.travelS).toBe(road);
    expect(on.result.travelFactorByPriority).toEqual(factors);
    const off = await replay(calls, scenario({ model: { priorityTravelFactor: false } }), factors);
    expect(off.byId.get('SF-1')!.travelS).toBe(road);
  });

  it('each_switch_of_the_model_takes_its_part_out_turnout_dispatch_order_last_scene', async () => {
    const fromStation = driveS(STATION_7, SUNSET, 'investigator');
    const cleared = 64 + 120 + fromStation + 60;
    const next = { lat: SUNSET.lat + 0.0005, lon: SUNSET.lon };
    const late = { ...row('investigator', 60), dispatchOffsetS: 600 };
    const calls = [call('1', 0, SUNSET, [late]), call('2', 600 + cleared + 10, next, [row('investigator', 60)])];
    const all = await replay(calls);
    expect(all.byId.get('SF-1')!.callToDispatchS).toBe(64 + 600);
    expect(all.byId.get('SF-1')!.turnoutS).toBe(120);
    expect(all.byId.get('SF-2')!.travelS!).toBeLessThan(fromStation / 2);
    expect(all.result.model).toEqual({ turnout: true, dispatchOrder: true, lastScene: true, priorityTravelFactor: true });

    const noTurnout = await replay(calls, scenario({ model: { turnout: false } }));
    expect(noTurnout.byId.get('SF-1')!.turnoutS).toBe(0);
    expect(noTurnout.byId.get('SF-1')!.firstUnitS).toBe(64 + 600 + fromStation);
    const noOrder = await replay(calls, scenario({ model: { dispatchOrder: false } }));
    expect(noOrder.byId.get('SF-1')!.callToDispatchS).toBe(64);
    const noLastScene = await replay([calls[0]!, call('2', 600 + cleared + 10, SUNSET, [row('investigator', 60)])], scenario({ model: { lastScene: false } }));
    expect(noLastScene.byId.get('SF-2')!.travelS).toBe(fromStation);
  });

  it('straight_line_replayed_on_its_own_thread_gives_the_same_result_as_in_lockstep', async () => {
    const calls = [0, 1, 2, 3].map((k) => call(String(k + 1), k * 600, { lat: DOWNTOWN.lat + k * 0.003, lon: DOWNTOWN.lon - k * 0.004 }, [row('engine'), row('medic')], k % 2 === 0 ? 1 : 2));
    const s = scenario({ policies: ['straight_line', 'routed'] });
    const run = (threads: boolean) => runSimulation({ calls, count: calls.length, scenario: s, seed: 3, router, callsFile: 'hand-made', threads });
    const [apart, together] = [await run(true), await run(false)];
    expect(JSON.stringify(simJson(apart))).toBe(JSON.stringify(simJson(together)));
    expect(apart.policies.map((p) => p.name)).toEqual(['straight_line', 'routed']);
    expect(apart.policies[0]!.incidents).toHaveLength(4);
  });
});
