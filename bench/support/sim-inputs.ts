// What the simulator benchmarks feed the replay: the four SF days, the road router, a stand-in
// router that answers every travel question in a straight line (the same replay without routing),
// and scenarios with the known fleet.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfiguration, PROJECT_ROOT } from '../../src/config/configuration.ts';
import { parseCsvRecords } from '../../src/interop/csv.ts';
import type { Router } from '../../src/routing/router.ts';
import { loadSfRouter } from '../../src/routing/sf-demo.ts';
import { straightLineEstimator } from '../../src/routing/straight-line.ts';
import { parseScenario, type Scenario } from '../../src/sim/scenario.ts';
import { readSimCalls, type SimCall } from '../../src/sim/sim-calls.ts';
import type { PolicyName } from '../../src/sim/sim-result.ts';

export const SF_CALLS_FILE = 'data/sf/sf_fire_calls_2016-12-31_to_2017-01-03.csv';
/** A person's walking speed for the straight-line stand-in (m/s). */
const WALK_MPS = 1.4;

/** Reads and groups the four SF days, as `samaritan sim` does. */
export function readSfCalls(): SimCall[] {
  const records = parseCsvRecords(readFileSync(join(PROJECT_ROOT, SF_CALLS_FILE), 'utf8'));
  const callTypes = JSON.parse(readFileSync(join(PROJECT_ROOT, 'config/sf-call-types.json'), 'utf8')) as Record<string, string>;
  return readSimCalls(records, callTypes).calls;
}

export const roadRouter = (): Router => loadSfRouter(PROJECT_ROOT);

/**
 * The road router with every travel time (drive and walk) taken in a straight line × the detour
 * factor instead: the replay's own work without a single road search, to show what routing costs.
 */
export function straightLineRouter(road: Router): Router {
  const config = loadConfiguration();
  const drive = straightLineEstimator(config.detourFactor, (t) => config.unitTypes.get(t)?.speedMps ?? 6);
  const walk = straightLineEstimator(config.detourFactor, () => WALK_MPS);
  const stand = Object.create(road) as Router;
  Object.defineProperty(stand, 'estimator', { value: (profile: 'drive' | 'walk' = 'drive') => (profile === 'walk' ? walk : drive) });
  return stand;
}

/** A scenario on the bundled fleet: these policies, recruitment's re-runs on or off. */
export function benchScenario(policies: readonly PolicyName[], recruitment: boolean): Scenario {
  const config = loadConfiguration();
  const stations = JSON.parse(readFileSync(join(PROJECT_ROOT, 'data/sf/stations.json'), 'utf8')) as { id: string }[];
  const fleet = JSON.parse(readFileSync(join(PROJECT_ROOT, 'data/sf/fleet.json'), 'utf8')) as { id: string }[];
  const known = { unitTypes: new Set(config.unitTypes.keys()), stations: new Set(stations.map((s) => s.id)), units: new Set(fleet.map((u) => u.id)) };
  return parseScenario({ name: 'bench', policies, ...(recruitment ? {} : { recruitment: { cells: 0 } }) }, known);
}
