import { seededRandom } from '../core/seeded-random.ts';
import type { StreamState } from '../core/loaded.ts';
import { loadConfiguration, unitStatusesOf, type Configuration } from '../config/configuration.ts';
import { loadVolunteerPolicy } from '../config/volunteer-policy-config.ts';
import type { VolunteerPolicy } from '../core/volunteer-policy.ts';
import { quantile, type IncidentIntervals } from '../reports/intervals.ts';
import { lateGrid } from '../reports/late-grid.ts';
import type { Router } from '../routing/router.ts';
import { straightLineEstimator } from '../routing/straight-line.ts';
import type { MemoryRetention } from '../store/memory/open-memory.ts';
import { EmpiricalTimes } from './empirical-times.ts';
import { PolicyRun } from './policy-run.ts';
import { minutesSaved, slowestCells, volunteerCallFirstHelpMedian } from './recruitment.ts';
import type { Scenario } from './scenario.ts';
import type { SimCall } from './sim-calls.ts';
import { cityCommands, SimFleet } from './sim-fleet.ts';
import type { Fidelity, PolicyName, PolicyResult, RecruitmentGain, SimResult } from './sim-result.ts';
import { SimWorld } from './sim-world.ts';
import { TravelCache } from './travel-cache.ts';
import { placeVolunteers, type ExtraVolunteers } from './synthetic-volunteers.ts';
import { registryCommands, VolunteerSide } from './volunteer-side.ts';

export interface SimulationInput {
  readonly calls: Iterable<SimCall> | readonly SimCall[];
  /** How many calls the iterable holds (for the progress). */
  readonly count: number;
  readonly scenario: Scenario;
  readonly seed: number;
  readonly router: Router;
  readonly callsFile: string;
  /** Keep every real incident's record in the result (default true); the simulated ones are always kept. */
  readonly keepIncidents?: boolean;
  /** The turnouts and alarm processing to draw from; needed when `calls` can be read only once. */
  readonly empirical?: EmpiricalTimes;
}

/** The fleet is commissioned this long before the first call, so every unit is home at the start. */
const SET_UP_BEFORE_MS = 60_000;
const REGISTRY_BATCH = 4_000;

/** Finished streams go: a closed incident, a response whose volunteers were all stood down. */
const RETENTION: MemoryRetention<StreamState> = {
  keepEvents: false,
  frozen: true,
  forget: (stream, state) =>
    (stream.startsWith('incident-') || stream.startsWith('response-')) && 'status' in state && (state.status === 'closed' || state.status === 'stood_down'),
};

interface Shared {
  readonly config: Configuration;
  readonly policy: VolunteerPolicy;
  readonly empirical: EmpiricalTimes;
  readonly input: SimulationInput;
  /** The road's drive times, remembered across policies and passes (every policy travels by it). */
  readonly road: TravelCache;
}

interface PassResult {
  readonly runs: { readonly name: PolicyName; readonly run: PolicyRun; readonly world: SimWorld; readonly fleet: SimFleet; readonly volunteers?: VolunteerSide }[];
  readonly real: IncidentIntervals[];
  readonly span: { from: number; to: number };
  /** Calls replayed. */
  readonly count: number;
  readonly fidelity: { sim: number[]; real: number[] };
}

/** Replays every call once under each policy, in lockstep: a call is received by every policy's world in turn. */
async function replayPass(
  s: Shared,
  policies: readonly PolicyName[],
  extra: readonly ExtraVolunteers[],
  progress: (done: number) => void,
): Promise<PassResult> {
  const { input, config } = s;
  const rules = { natures: new Set(config.plans.keys()), volunteerPolicy: s.policy, unitStatuses: unitStatusesOf(config) };
  const road = s.road;
  const straight = straightLineEstimator(config.detourFactor, (t) => config.unitTypes.get(t)?.speedMps ?? 6);
  const real: IncidentIntervals[] = [];
  const fidelity = { sim: [] as number[], real: [] as number[] };
  const calls: SimCall[] = [];
  let runs: PassResult['runs'] = [];
  let from = NaN;
  let index = 0;
  for (const call of input.calls) {
    if (runs.length === 0) {
      from = call.receivedAt;
      runs = await Promise.all(policies.map((name) => setUp(s, name, rules, call.receivedAt - SET_UP_BEFORE_MS, name === 'straight_line' ? straight : road, extra, (i, rec) => {
        if (name !== 'routed') return;
        const r = calls[i]?.real;
        if (r?.travelS !== undefined && rec.travelS !== undefined) {
          fidelity.sim.push(rec.travelS);
          fidelity.real.push(r.travelS);
        }
        delete calls[i];
      })));
    }
    if (runs.some((r) => r.name === 'routed')) calls[index] = call;
    if (input.keepIncidents !== false) real.push(call.real);
    for (const r of runs) await r.run.receive(call, index);
    index++;
    progress(index);
  }
  for (const r of runs) await r.run.drain();
  const to = Math.max(from, ...runs.map((r) => r.run.lastAt));
  return { runs, real, span: { from, to }, count: index, fidelity };
}

async function setUp(
  s: Shared,
  name: PolicyName,
  rules: ConstructorParameters<typeof SimWorld>[0],
  startAt: number,
  choose: ReturnType<Router['estimator']>,
  extra: readonly ExtraVolunteers[],
  onKept: (index: number, record: IncidentIntervals) => void,
): Promise<PassResult['runs'][number]> {
  const { input, config } = s;
  const world = new SimWorld(rules, startAt, RETENTION);
  const fleet = new SimFleet(config, s.road);
  let volunteers: VolunteerSide | undefined;
  // The volunteer side schedules on the run, which is made after it: a holder breaks the knot.
  const holder: { run?: PolicyRun } = {};
  world.tail.follow((events) => {
    fleet.notice(events);
    volunteers?.notice(events);
  });
  await world.executeAll(cityCommands(config, input.scenario, startAt));
  if (name === 'routed_volunteers') {
    const people = placeVolunteers(input.scenario.volunteers.shareOfResidents, seededRandom(input.seed), extra);
    const commands = registryCommands(people, startAt);
    for (let i = 0; i < commands.length; i += REGISTRY_BATCH) await world.executeAll(commands.slice(i, i + REGISTRY_BATCH));
    volunteers = new VolunteerSide(people, {
      world,
      policy: s.policy,
      walk: input.router.estimator('walk'),
      scenario: input.scenario,
      seed: input.seed,
      schedule: (at, action) => holder.run!.scheduleVolunteer(at, action),
    });
  }
  const run = new PolicyRun({
    world,
    fleet,
    choose,
    empirical: s.empirical,
    seed: input.seed,
    natures: rules.natures,
    ...(volunteers ? { volunteers } : {}),
    keep: (i, record) => {
      run.records[i] = record;
      onKept(i, record);
    },
  });
  holder.run = run;
  return { name, run, world, fleet, ...(volunteers ? { volunteers } : {}) };
}

function policyResult(name: PolicyName, p: PassResult, input: SimulationInput): PolicyResult {
  const r = p.runs.find((x) => x.name === name)!;
  const span = Math.max(1, p.span.to - p.span.from);
  const busy = r.run.utilisationMs(p.span.to);
  const utilisation: Record<string, number> = {};
  for (const id of [...new Set([...r.fleet.unitIds, ...busy.keys()])].sort()) utilisation[id] = Math.round(((busy.get(id) ?? 0) / span) * 10_000) / 10_000;
  const incidents = r.run.records.filter((x): x is IncidentIntervals => x !== undefined);
  const v = r.volunteers;
  return {
    name,
    incidents,
    utilisation,
    grid: lateGrid(incidents, input.scenario.grid.cellM, input.scenario.thresholds.travelS),
    volunteers: { alerted: v?.alerted ?? 0, accepted: v?.accepted ?? 0, arrived: v?.arrived ?? 0 },
    shortfalls: r.run.shortfalls,
    rejections: r.world.rejections.summary(),
  };
}

function fidelityOf(pairs: { sim: number[]; real: number[] }): Fidelity {
  const median = (v: number[]) => {
    const q = quantile([...v].sort((a, b) => a - b), 0.5);
    return q === null ? null : Math.round(q * 10) / 10;
  };
  const errors = pairs.sim.map((x, i) => Math.abs(x - pairs.real[i]!));
  const n = errors.length;
  return {
    n,
    simFirstUnitTravelMedianS: median(pairs.sim),
    realFirstUnitTravelMedianS: median(pairs.real),
    firstUnitTravelMedianAbsErrorS: median(errors),
    firstUnitTravelMeanAbsErrorS: n === 0 ? null : Math.round((errors.reduce((a, b) => a + b, 0) / n) * 10) / 10,
  };
}

const readableTwice = (calls: Iterable<SimCall>): boolean => Array.isArray(calls) || calls[Symbol.iterator]() !== (calls as unknown);

/**
 * Replays real (or synthetic) calls under each of the scenario's policies, each in its own world
 * through the same core and writer as the server, then measures recruitment: the routed_volunteers
 * run again with more volunteers in each of the cells where help was slowest.
 */
export async function runSimulation(input: SimulationInput, onProgress?: (done: number, total: number) => void): Promise<SimResult> {
  const config = loadConfiguration();
  const { scenario } = input;
  let empirical = input.empirical;
  if (empirical === undefined) {
    if (!readableTwice(input.calls)) throw new Error('runSimulation: calls that can be read once need `empirical` times');
    empirical = EmpiricalTimes.fromCalls(input.calls, config.unitTypes);
  }
  const shared: Shared = { config, policy: loadVolunteerPolicy(), empirical, input, road: new TravelCache(input.router.estimator('drive')) };
  const wantsRecruitment = scenario.policies.includes('routed_volunteers') && scenario.recruitment.cells > 0 && scenario.recruitment.volunteersPerCell > 0;
  const canRecruit = wantsRecruitment && readableTwice(input.calls);
  const passes = 1 + (canRecruit ? scenario.recruitment.cells : 0);
  const total = input.count * passes;
  let pass = 0;
  const tick = (done: number) => onProgress?.(pass * input.count + Math.min(done, input.count), total);

  const base = await replayPass(shared, scenario.policies, [], tick);
  const policies = scenario.policies.map((name) => policyResult(name, base, input));
  const recruitment: RecruitmentGain[] = [];
  if (canRecruit) {
    const before = base.runs.find((r) => r.name === 'routed_volunteers')!.run.records;
    const cellM = scenario.grid.cellM;
    for (const cell of slowestCells(before, cellM, scenario.recruitment.cells)) {
      pass++;
      const count = scenario.recruitment.volunteersPerCell;
      const again = await replayPass(shared, ['routed_volunteers'], [{ centre: cell.centre, sizeM: cellM, count }], tick);
      const after = again.runs[0]!.run.records;
      recruitment.push({
        row: cell.row,
        col: cell.col,
        centre: cell.centre,
        volunteersAdded: count,
        minutesSaved: minutesSaved(before, after),
        firstHelpMedianBeforeS: volunteerCallFirstHelpMedian(before),
        firstHelpMedianAfterS: volunteerCallFirstHelpMedian(after),
      });
    }
    recruitment.sort((a, b) => b.minutesSaved - a.minutesSaved || a.row - b.row || a.col - b.col);
  }
  onProgress?.(total, total);
  return {
    seed: input.seed,
    callsFile: input.callsFile,
    scenarioName: scenario.name,
    thresholds: scenario.thresholds,
    span: base.span,
    real: base.real,
    policies,
    recruitment,
    count: base.count,
    ...(base.runs.some((r) => r.name === 'routed') ? { fidelity: fidelityOf(base.fidelity) } : {}),
    ...(wantsRecruitment && !canRecruit ? { recruitmentSkipped: 'the calls can be read only once' } : {}),
    ...(!wantsRecruitment ? { recruitmentSkipped: 'not asked for (no routed_volunteers, or no cells)' } : {}),
  };
}
