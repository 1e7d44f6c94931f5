// Benchmark: the simulator (`samaritan sim`) on the four San Francisco days, then on a synthetic
// year drawn from their mix.
//
//   npx tsx bench/sim-replay.ts            (or: npm run bench -- sim-replay)
//   npx tsx bench/sim-replay.ts --quick    (one round, a year of 20,000 calls)
//
// Four days (1,800 incidents), in this process, rounds interleaved so that a drift of the machine
// lands on every variant alike:
//   read + group            the baseline: the CSV read and grouped into incidents, nothing replayed
//   replay, routed          the three policies, travel on the road graph (as the command runs)
//   replay, straight line   the same replay with every travel time a straight line: no routing,
//                           so routed ÷ straight line is what routing costs
// each with recruitment off (one pass) and on (the default: the volunteers' run again for each of
// the 5 slowest cells).
// The year (BENCH_SIM_YEAR calls, 500,000 by default) runs in a child process, alone, so its peak
// memory is its own: first only drawing the calls (the floor), then the replay (routed policy,
// recruitment off, no per-incident record kept: the figures are tallied as it goes; travel factors
// fitted on the four days). Peak RSS is sampled, and read from getrusage and from /usr/bin/time -v
// when there is one; the heap still in use after a full collection at the end is what it keeps.
//
// Knobs (environment): BENCH_SIM_ROUNDS (2; --quick 1), BENCH_SIM_YEAR (500000; --quick 20000; 0
// skips the year), BENCH_SIM_YEAR_POLICIES (routed; a comma list of straight_line, routed,
// routed_volunteers), BENCH_SEED (1), BENCH_SIM_SEMI_SPACE_MB (0: Node's default young generation;
// 32 lets the year's short-lived objects die young, at some memory).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { Router } from '../src/routing/router.ts';
import { runSimulation } from '../src/sim/replay.ts';
import { POLICY_NAMES } from '../src/sim/sim-result.ts';
import type { SimCall } from '../src/sim/sim-calls.ts';
import { ROOT } from './support/children.ts';
import { fmtRatio, machineFacts, table } from './support/report.ts';
import { benchScenario, readSfCalls, roadRouter, SF_CALLS_FILE, straightLineRouter } from './support/sim-inputs.ts';
import { envInt } from './support/stats.ts';

const QUICK = process.argv.includes('--quick');
const ROUNDS = envInt('BENCH_SIM_ROUNDS', QUICK ? 1 : 2);
const YEAR = process.env['BENCH_SIM_YEAR'] === '0' ? 0 : envInt('BENCH_SIM_YEAR', QUICK ? 20_000 : 500_000);
const YEAR_POLICIES = (process.env['BENCH_SIM_YEAR_POLICIES'] ?? 'routed').split(',').map((p) => p.trim());
const SEED = envInt('BENCH_SEED', 1);
/** Node's young generation for the year's child (MB per semi-space; 0: Node's default, 16). */
const SEMI_SPACE_MB = Math.max(0, Math.round(Number(process.env['BENCH_SIM_SEMI_SPACE_MB'] ?? 0) || 0));
for (const p of YEAR_POLICIES) {
  if (!(POLICY_NAMES as readonly string[]).includes(p)) throw new Error(`BENCH_SIM_YEAR_POLICIES: unknown policy ${p} (known: ${POLICY_NAMES.join(', ')})`);
}
const TIME_V = '/usr/bin/time';

const problems: string[] = [];
const facts = machineFacts(tmpdir()).map((l) => (l.startsWith('load:') ? 'load:        the four days replay in this process; the year in a child process, one at a time' : l));
console.log(facts.join('\n'));
console.log(`rounds:      ${ROUNDS}; year: ${YEAR.toLocaleString('en-US')} calls, ${YEAR_POLICIES.join(', ')}; seed ${SEED}${SEMI_SPACE_MB > 0 ? `; --max-semi-space-size=${SEMI_SPACE_MB}` : ''}\n`);

// --- load ---------------------------------------------------------------------------------------
const loadStarted = performance.now();
const road = roadRouter();
const routerLoadMs = performance.now() - loadStarted;
const straight = straightLineRouter(road);
const calls = readSfCalls();

// --- four days ----------------------------------------------------------------------------------
interface Variant {
  readonly name: string;
  readonly run: () => Promise<number>;
  readonly wall: number[];
  readonly cpu: number[];
}
/** Runs one replay; answers the incidents it replayed per policy, after checking none was lost. */
async function replay(router: Router, recruitment: boolean, list: readonly SimCall[]): Promise<number> {
  const scenario = benchScenario(POLICY_NAMES, recruitment);
  const result = await runSimulation({ calls: list, count: list.length, scenario, seed: SEED, router, callsFile: SF_CALLS_FILE });
  for (const p of result.policies) {
    if (p.incidents.length !== list.length) problems.push(`${p.name}: ${p.incidents.length} incidents replayed of ${list.length}`);
  }
  if (recruitment && result.recruitment.length === 0) problems.push('recruitment on, but no cell was re-run');
  lastFidelity = (result as { fidelity?: unknown }).fidelity ?? lastFidelity;
  return list.length;
}
let lastFidelity: unknown;
const variant = (name: string, run: () => Promise<number>): Variant => ({ name, run, wall: [], cpu: [] });
const baseline = variant('read + group (baseline)', () => Promise.resolve(readSfCalls().length));
const variants: Variant[] = [
  baseline,
  variant('replay, routed, recruitment off', () => replay(road, false, calls)),
  variant('replay, straight line, recruitment off', () => replay(straight, false, calls)),
  variant('replay, routed, recruitment on', () => replay(road, true, calls)),
  variant('replay, straight line, recruitment on', () => replay(straight, true, calls)),
];
for (let round = 0; round < ROUNDS; round++) {
  const order = round % 2 === 0 ? variants : [...variants].reverse();
  for (const v of order) {
    const c = process.cpuUsage();
    const t = performance.now();
    const n = await v.run();
    v.wall.push(performance.now() - t);
    const used = process.cpuUsage(c);
    v.cpu.push((used.user + used.system) / 1000);
    if (n !== calls.length) problems.push(`${v.name}: ${n} incidents of ${calls.length}`);
    console.log(`round ${round + 1}: ${v.name}: ${(v.wall.at(-1)! / 1000).toFixed(2)} s`);
  }
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const s = (ms: number) => (ms / 1000).toFixed(2);
const range = (xs: readonly number[]) => (xs.length > 1 ? `${s(Math.min(...xs))}–${s(Math.max(...xs))}` : '-');
console.log(`\nFour SF days: ${calls.length.toLocaleString('en-US')} incidents, 3 policies (wall-clock seconds, median of ${ROUNDS} round${ROUNDS > 1 ? 's' : ''})\n`);
console.log(
  table(
    ['variant', 'wall s', 'min–max', 'cpu s', 'incidents/s', '× baseline'],
    variants.map((v) => [v.name, s(median(v.wall)), range(v.wall), s(median(v.cpu)), (calls.length / (median(v.wall) / 1000)).toFixed(0), fmtRatio(median(v.wall), median(baseline.wall))]),
  ),
);
const byName = (n: string) => variants.find((v) => v.name === n)!;
const routingCost = (on: 'on' | 'off', what: 'wall' | 'cpu') =>
  fmtRatio(median(byName(`replay, routed, recruitment ${on}`)[what]), median(byName(`replay, straight line, recruitment ${on}`)[what]));
// CPU time is the steadier of the two on a shared machine: a process waiting for a core adds wall time only.
console.log(`\nrouted ÷ straight line (the cost of routing): recruitment off ${routingCost('off', 'wall')} wall, ${routingCost('off', 'cpu')} cpu; on ${routingCost('on', 'wall')} wall, ${routingCost('on', 'cpu')} cpu`);
console.log(`router load (graph file and hierarchies): ${s(routerLoadMs)} s`);
const endToEnd = (on: 'on' | 'off') => routerLoadMs + median(baseline.wall) + median(byName(`replay, routed, recruitment ${on}`).wall);
console.log(`target, 4 days ≤ 5 s routing included (load + read + replay): recruitment off ${s(endToEnd('off'))} s, on ${s(endToEnd('on'))} s`);
console.log(`fidelity (routed, last run): ${JSON.stringify(lastFidelity)}`);

// --- a synthetic year ---------------------------------------------------------------------------
interface YearFigures {
  readonly mode: string;
  readonly incidents: number;
  readonly wallMs: number;
  readonly peakSampledRssMb: number;
  readonly maxRssMb: number;
  readonly timeMaxRssMb?: number;
  /** The child's CPU seconds (user + system), loading included. */
  readonly cpuS?: number;
  /** Heap in use after a full collection at the end of the replay, its result still held. */
  readonly heapKeptMb?: number;
}

/** Runs the year's child, showing its progress; its figures, or undefined when it failed. */
function yearChild(mode: 'generate' | 'replay'): Promise<YearFigures | undefined> {
  const args = ['--expose-gc', ...(SEMI_SPACE_MB > 0 ? [`--max-semi-space-size=${SEMI_SPACE_MB}`] : []), '--import', 'tsx', 'bench/support/sim-year.ts', '--mode', mode, '--count', String(YEAR), '--policies', YEAR_POLICIES.join(','), '--seed', String(SEED)];
  const withTime = existsSync(TIME_V);
  const child = withTime ? spawn(TIME_V, ['-v', process.execPath, ...args], { cwd: ROOT }) : spawn(process.execPath, args, { cwd: ROOT });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    for (const line of d.split('\n')) {
      const m = /^progress: (\d+) (\d+) (\d+) ([\d.]+)$/.exec(line);
      if (m) console.log(`  year ${mode}: ${Number(m[1]).toLocaleString('en-US')} / ${Number(m[2]).toLocaleString('en-US')}, ${(Number(m[3]) / 1000).toFixed(0)} s, rss ${m[4]} MB`);
    }
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err = (err + d).slice(-20_000)));
  return new Promise((resolve) => {
    child.once('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('result: '));
      if (code !== 0 || line === undefined) {
        problems.push(`year ${mode}: child exited ${code}: ${err.slice(-2000)}`);
        resolve(undefined);
        return;
      }
      const figures = JSON.parse(line.slice('result: '.length)) as YearFigures;
      const kb = /Maximum resident set size \(kbytes\): (\d+)/.exec(err);
      resolve({ ...figures, ...(kb ? { timeMaxRssMb: Math.round(Number(kb[1]) / 102.4) / 10 } : {}) });
    });
  });
}

if (YEAR > 0) {
  console.log(`\nA synthetic year: ${YEAR.toLocaleString('en-US')} calls drawn from the four days' mix (child processes, one at a time)\n`);
  const generate = await yearChild('generate');
  const replayed = await yearChild('replay');
  const rows = [generate, replayed].flatMap((f) => (f ? [f] : []));
  for (const f of rows) if (f.incidents !== YEAR) problems.push(`year ${f.mode}: ${f.incidents} incidents of ${YEAR}`);
  console.log(
    table(
      ['year', 'incidents', 'wall s', 'cpu s', 'incidents/s', 'peak rss sampled MB', 'max rss (getrusage) MB', 'max rss (time -v) MB', 'heap kept MB'],
      rows.map((f) => [
        f.mode === 'generate' ? 'draw the calls only (baseline)' : `replay (${YEAR_POLICIES.join(', ')})`,
        f.incidents.toLocaleString('en-US'),
        s(f.wallMs),
        f.cpuS?.toFixed(1) ?? '-',
        (f.incidents / (f.wallMs / 1000)).toFixed(0),
        f.peakSampledRssMb.toFixed(1),
        f.maxRssMb.toFixed(1),
        f.timeMaxRssMb?.toFixed(1) ?? '-',
        f.heapKeptMb?.toFixed(1) ?? '-',
      ]),
    ),
  );
  if (generate && replayed) console.log(`\nreplay ÷ drawing alone: ${fmtRatio(replayed.wallMs, generate.wallMs)} (wall)`);
  if (replayed) {
    const perYear = (replayed.wallMs / 1000) * (500_000 / YEAR);
    console.log(`target, 500,000 incidents ≤ 300 s under 1 GB: ${s(replayed.wallMs)} s for ${YEAR.toLocaleString('en-US')}${YEAR === 500_000 ? '' : ` (${perYear.toFixed(0)} s scaled to 500,000)`}, peak ${Math.max(replayed.maxRssMb, replayed.timeMaxRssMb ?? 0).toFixed(0)} MB`);
  }
}

if (problems.length > 0) {
  console.error(`\nThe figures cannot be trusted:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exitCode = 1;
}
