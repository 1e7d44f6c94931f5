import { seededRandom } from '../core/seeded-random.ts';
import type { LatLon } from '../core/lat-lon.ts';
import { demoCityCommands } from '../composition/demo-city.ts';
import type { StreamState } from '../core/loaded.ts';
import { loadConfiguration, unitStatusesOf, type Configuration } from '../config/configuration.ts';
import { loadVolunteerPolicy } from '../config/volunteer-policy-config.ts';
import type { VolunteerPolicy } from '../core/volunteer-policy.ts';
import type { IncidentIntervals } from '../reports/intervals.ts';
import { lateGrid } from '../reports/late-grid.ts';
import type { Router } from '../routing/router.ts';
import { straightLineEstimator } from '../routing/straight-line.ts';
import type { MemoryRetention } from '../store/memory/open-memory.ts';
import { EmpiricalTimes } from './empirical-times.ts';
import { PolicyRun, type Chosen } from './policy-run.ts';

type PolicyRunDeps = ConstructorParameters<typeof PolicyRun>[0];
import { minutesSaved, slowestCells, volunteerCallFirstHelpMedian } from './recruitment.ts';
import type { Scenario } from './scenario.ts';
import type { SimCall } from './sim-calls.ts';
import { cityCommands, SimFleet } from './sim-fleet.ts';
import type { PolicyName, PolicyResult, RecruitmentGain, SimResult } from './sim-result.ts';
import { SimWorld } from './sim-world.ts';
import { runPoliciesOnThread } from './policy-thread.ts';
import { TravelCache } from './travel-cache.ts';
import { fitTravelFactors, NO_FACTORS, type TravelFactors } from './travel-factors.ts';
import { placeVolunteers, type ExtraVolunteers } from './synthetic-volunteers.ts';
import { VolunteerSide } from './volunteer-side.ts';
import { FidelityTally } from './fidelity-tally.ts';
import { PolicyTally } from './policy-tally.ts';

export interface SimulationInput {
  readonly calls: Iterable<SimCall> | readonly SimCall[];
  /** How many calls the iterable holds (for the progress). */
  readonly count: number;
  readonly scenario: Scenario;
  readonly seed: number;
  readonly router: Router;
  readonly callsFile: string;
  /**
   * Keep every incident's record, real and simulated, in the result (default true). Without them
   * (a synthetic year) the policies and the real incidents carry their figures as summaries tallied
   * as the replay went, the same numbers, and recruitment is not measured (it compares incidents).
   */
  readonly keepIncidents?: boolean;
  /** The turnouts and alarm processing to draw from; needed when `calls` can be read only once. */
  readonly empirical?: EmpiricalTimes;
  /** Travel factors by priority; fitted from `calls` when absent and they can be read twice, else none (1). */
  readonly travelFactors?: TravelFactors;
  /**
   * Replay straight_line on a thread of its own, beside the others (same result, sooner on two
   * cores). The thread loads the demo city's road graph: only for a `router` that is that graph.
   */
  readonly threads?: boolean;
}

/** The fleet is commissioned this long before the first call, so every unit is home at the start. */
const SET_UP_BEFORE_MS = 60_000;

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
  /** Walking times, remembered across passes: a recruitment re-run asks again of the same homes and scenes. */
  readonly walk: TravelCache;
  readonly factors: TravelFactors;
}

interface PassResult {
  readonly runs: {
    readonly name: PolicyName;
    readonly run: PolicyRun;
    readonly world: SimWorld;
    readonly fleet: SimFleet;
    readonly volunteers?: VolunteerSide;
    /** The run's incidents tallied, when their records are not kept. */
    readonly tally?: PolicyTally;
  }[];
  readonly real: IncidentIntervals[];
  /** The real incidents tallied, when their records are not kept. */
  readonly realTally?: PolicyTally;
  readonly span: { from: number; to: number };
  /** Calls replayed. */
  readonly count: number;
  readonly fidelity: FidelityTally;
}

/** Replays every call once under each policy, in lockstep: a call is received by every policy's world in turn. */
/** How a recruitment re-run differs from the base pass: only some calls, their units given. */
interface PassOptions {
  readonly only?: (call: SimCall) => boolean;
  readonly given?: PolicyRunDeps['given'];
  readonly chosen?: PolicyRunDeps['chosen'];
}

async function replayPass(
  s: Shared,
  policies: readonly PolicyName[],
  extra: readonly ExtraVolunteers[],
  progress: (done: number) => void,
  o: PassOptions = {},
): Promise<PassResult> {
  const { input, config } = s;
  const rules = { natures: new Set(config.plans.keys()), volunteerPolicy: s.policy, unitStatuses: unitStatusesOf(config) };
  const road = s.road;
  const straight = straightLineEstimator(config.detourFactor, (t) => config.unitTypes.get(t)?.speedMps ?? 6);
  const keep = input.keepIncidents !== false;
  const real: IncidentIntervals[] = [];
  const realTally = keep ? undefined : new PolicyTally(input.scenario.thresholds, input.scenario.grid.cellM);
  const fidelity = new FidelityTally();
  /** Calls the routed run has not measured yet, by index: their real intervals are compared as it does. */
  const open = new Map<number, SimCall>();
  let runs: PassResult['runs'] = [];
  let from = NaN;
  let index = 0;
  for (const call of input.calls) {
    if (runs.length === 0) {
      from = call.receivedAt;
      runs = await Promise.all(policies.map((name) => setUp(s, name, rules, call.receivedAt - SET_UP_BEFORE_MS, name === 'straight_line' ? straight : road, extra, o, (i, rec) => {
        if (name !== 'routed') return;
        const r = open.get(i)?.real;
        if (r !== undefined) fidelity.add(rec, r);
        open.delete(i);
      })));
    }
    if (runs.some((r) => r.name === 'routed')) open.set(index, call);
    if (keep) real.push(call.real);
    else realTally!.add(call.real);
    if (o.only === undefined || o.only(call)) for (const r of runs) await r.run.receive(call, index);
    index++;
    progress(index);
  }
  for (const r of runs) await r.run.drain();
  const to = Math.max(from, ...runs.map((r) => r.run.lastAt));
  return { runs, real, ...(realTally ? { realTally } : {}), span: { from, to }, count: index, fidelity };
}

async function setUp(
  s: Shared,
  name: PolicyName,
  rules: ConstructorParameters<typeof SimWorld>[0],
  startAt: number,
  choose: ReturnType<Router['estimator']>,
  extra: readonly ExtraVolunteers[],
  o: PassOptions,
  onKept: (index: number, record: IncidentIntervals) => void,
): Promise<PassResult['runs'][number]> {
  const { input, config } = s;
  const world = new SimWorld(rules, startAt, RETENTION);
  const fleet = new SimFleet(config, s.road, input.scenario.model.lastScene);
  let volunteers: VolunteerSide | undefined;
  // The volunteer side schedules on the run, which is made after it: a holder breaks the knot.
  const holder: { run?: PolicyRun } = {};
  const tally = input.keepIncidents === false ? new PolicyTally(input.scenario.thresholds, input.scenario.grid.cellM) : undefined;
  world.tail.follow((events) => {
    fleet.notice(events);
    volunteers?.notice(events);
  });
  await world.executeAll(cityCommands(config, input.scenario, startAt));
  if (name === 'routed_volunteers') {
    const people = placeVolunteers(input.scenario.volunteers.shareOfResidents, seededRandom(input.seed), extra);
    volunteers = new VolunteerSide(people, {
      world,
      policy: s.policy,
      walk: s.walk,
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
    model: input.scenario.model,
    factors: s.factors,
    ...(name === 'routed_volunteers' && o.given ? { given: o.given } : {}),
    ...(name === 'routed_volunteers' && o.chosen ? { chosen: o.chosen } : {}),
    ...(volunteers ? { volunteers } : {}),
    keep: (i, record) => {
      if (tally) tally.add(record);
      else run.records[i] = record;
      onKept(i, record);
    },
  });
  holder.run = run;
  return { name, run, world, fleet, ...(volunteers ? { volunteers } : {}), ...(tally ? { tally } : {}) };
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
    ...(r.tally ? { summary: r.tally.summary() } : {}),
    utilisation,
    grid: r.tally ? r.tally.grid() : lateGrid(incidents, input.scenario.grid.cellM, input.scenario.thresholds.travelS),
    volunteers: { alerted: v?.alerted ?? 0, accepted: v?.accepted ?? 0, arrived: v?.arrived ?? 0 },
    shortfalls: r.run.shortfalls,
    rejections: r.world.rejections.summary(),
  };
}

/** Each real unit's own station, as `samaritan serve` commissions the fleet (the scenario's changes aside). */
export function homesOf(config: Configuration): Map<string, LatLon> {
  const stations = new Map<string, LatLon>();
  const homes = new Map<string, LatLon>();
  for (const c of demoCityCommands(config, 0)) {
    if (c.type === 'OpenStation') stations.set(c.stationId, c.location);
    if (c.type === 'CommissionUnit' && stations.has(c.stationId)) homes.set(c.unitId, stations.get(c.stationId)!);
  }
  return homes;
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
  const road = new TravelCache(input.router.estimator('drive'));
  const factors = input.travelFactors ?? (readableTwice(input.calls) ? fitTravelFactors(input.calls, road, homesOf(config)).factors : NO_FACTORS);
  const shared: Shared = { config, policy: loadVolunteerPolicy(), empirical, input, road, walk: new TravelCache(input.router.estimator('walk')), factors };
  const wantsRecruitment = scenario.policies.includes('routed_volunteers') && scenario.recruitment.cells > 0 && scenario.recruitment.volunteersPerCell > 0;
  const canRecruit = wantsRecruitment && readableTwice(input.calls) && input.keepIncidents !== false;
  const passes = 1 + (canRecruit ? scenario.recruitment.cells : 0);
  const total = input.count * passes;
  let pass = 0;
  const tick = (done: number) => onProgress?.(pass * input.count + Math.min(done, input.count), total);

  // Units never depend on volunteers (a dispatch looks at the fleet only), so a recruitment re-run
  // needs only the volunteer calls, with the units the base pass sent to them, at the same times.
  const picks = new Map<string, Chosen[]>();
  const remember = (incidentId: string, group: number, chosen: Chosen) => {
    let groups = picks.get(incidentId);
    if (groups === undefined) picks.set(incidentId, (groups = []));
    groups[group] = chosen;
  };
  const apart: PolicyName[] = input.threads === true && Array.isArray(input.calls) && scenario.policies.length > 1 && scenario.policies.includes('straight_line') ? ['straight_line'] : [];
  const onThread =
    apart.length === 0
      ? Promise.resolve([])
      : runPoliciesOnThread({ calls: input.calls as readonly SimCall[], scenario: { ...scenario, policies: apart, recruitment: { ...scenario.recruitment, cells: 0 } }, seed: input.seed, travelFactors: factors });
  // Settled now, so that a thread that fails while the pass runs is not an unhandled rejection.
  const threadResults = onThread.then(
    (r) => ({ ok: true as const, r }),
    (e: unknown) => ({ ok: false as const, e }),
  );
  const here = scenario.policies.filter((p) => !apart.includes(p));
  const base = await replayPass(shared, here, [], tick, canRecruit ? { chosen: remember } : {});
  const fromThread = await threadResults;
  if (!fromThread.ok) throw fromThread.e;
  const policies = scenario.policies.map((name) => fromThread.r.find((p) => p.name === name) ?? policyResult(name, base, input));
  const recruitment: RecruitmentGain[] = [];
  if (canRecruit) {
    const before = base.runs.find((r) => r.name === 'routed_volunteers')!.run.records;
    const cellM = scenario.grid.cellM;
    for (const cell of slowestCells(before, cellM, scenario.recruitment.cells)) {
      pass++;
      const count = scenario.recruitment.volunteersPerCell;
      const again = await replayPass(shared, ['routed_volunteers'], [{ centre: cell.centre, sizeM: cellM, count }], tick, {
        only: (call) => call.volunteerCall,
        given: (incidentId, group) => picks.get(incidentId)?.[group],
      });
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
    ...(base.realTally ? { realSummary: base.realTally.summary() } : {}),
    policies,
    recruitment,
    count: base.count,
    ...(base.runs.some((r) => r.name === 'routed') ? { fidelity: base.fidelity.fidelity() } : {}),
    travelFactorByPriority: factors,
    model: { ...scenario.model },
    ...(wantsRecruitment && !canRecruit
      ? { recruitmentSkipped: input.keepIncidents === false ? 'per-incident records not kept' : 'the calls can be read only once' }
      : {}),
    ...(!wantsRecruitment ? { recruitmentSkipped: 'not asked for (no routed_volunteers, or no cells)' } : {}),
  };
}
