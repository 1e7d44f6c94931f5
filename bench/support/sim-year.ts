// One synthetic year for bench/sim-replay.ts, alone in its own process so that its peak memory is
// its own (the parent reads it from /usr/bin/time -v when there is one, and from this process).
//
//   node --import tsx bench/support/sim-year.ts --mode replay|generate --count N --policies a,b --seed S
//
// generate: draws the year's calls and reads them once, nothing else (the floor of the replay).
// replay:   the same calls through runSimulation, keeping no per-incident record (the figures are
//           tallied as it goes), recruitment off, travel factors fitted on the four days (the
//           year's calls can be read only once, so the replay could not fit them itself).
// Prints `progress: <done> <total> <elapsed ms> <rss MB>` lines, then `result: <json>`. Run with
// --expose-gc, it also gives the heap in use after a full collection at the end of the replay,
// before its result is let go: what the replay keeps, as against what it has not yet collected.
import { parseArgs } from 'node:util';
import { loadConfiguration } from '../../src/config/configuration.ts';
import { seededRandom } from '../../src/core/seeded-random.ts';
import { EmpiricalTimes } from '../../src/sim/empirical-times.ts';
import { TravelCache } from '../../src/sim/travel-cache.ts';
import { fitTravelFactors } from '../../src/sim/travel-factors.ts';
import { homesOf, runSimulation } from '../../src/sim/replay.ts';
import { POLICY_NAMES, type PolicyName } from '../../src/sim/sim-result.ts';
import { syntheticCalls } from '../../src/sim/synthetic-year.ts';
import { benchScenario, readSfCalls, roadRouter, SF_CALLS_FILE } from './sim-inputs.ts';

const { values } = parseArgs({
  options: { mode: { type: 'string' }, count: { type: 'string' }, policies: { type: 'string' }, seed: { type: 'string' } },
});
const mode = values.mode === 'generate' ? 'generate' : 'replay';
const count = Number(values.count ?? 500_000);
const seed = Number(values.seed ?? 1);
const policies = (values.policies ?? 'routed').split(',').filter((p): p is PolicyName => (POLICY_NAMES as readonly string[]).includes(p));
/** 1 January 2017, local midnight in San Francisco. */
const START = Date.UTC(2017, 0, 1, 8);

const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
let peakRss = process.memoryUsage().rss;
const every = Math.max(1, Math.floor(count / 20));
let started = performance.now();
let shown = -1;
const sample = (done: number, total: number) => {
  const rss = process.memoryUsage().rss;
  if (rss > peakRss) peakRss = rss;
  if ((done % every === 0 || done === total) && done !== shown) {
    shown = done;
    console.log(`progress: ${done} ${total} ${Math.round(performance.now() - started)} ${mb(rss)}`);
  }
};

const real = readSfCalls();
const year = () => syntheticCalls(real, count, seededRandom(seed), START);
let incidents = 0;
let checksum = 0;
let wallMs: number;
let heapKeptMb: number | undefined;
const gc = (globalThis as { gc?: () => void }).gc;

if (mode === 'generate') {
  const t = (started = performance.now());
  for (const c of year()) {
    incidents++;
    checksum += c.rows.length;
    if (incidents % 1000 === 0) sample(incidents, count);
  }
  sample(incidents, count);
  wallMs = performance.now() - t;
} else {
  const router = roadRouter();
  const empirical = EmpiricalTimes.fromCalls(real, loadConfiguration().unitTypes);
  const travelFactors = fitTravelFactors(real, new TravelCache(router.estimator('drive')), homesOf(loadConfiguration())).factors;
  const t = (started = performance.now());
  let last = 0;
  const result = await runSimulation(
    { calls: year(), count, scenario: benchScenario(policies, false), seed, router, callsFile: SF_CALLS_FILE, keepIncidents: false, empirical, travelFactors },
    (done, total) => {
      if (done - last >= 1000 || done === total) {
        last = done;
        sample(done, total);
      }
    },
  );
  wallMs = performance.now() - t;
  incidents = result.policies[0]?.summary?.incidents ?? 0;
  checksum = result.policies.reduce((a, p) => a + (p.summary?.incidents ?? 0), 0);
  if (gc) {
    gc();
    heapKeptMb = mb(process.memoryUsage().heapUsed);
  }
}
const rss = process.memoryUsage().rss;
if (rss > peakRss) peakRss = rss;
console.log(
  `result: ${JSON.stringify({ mode, count, policies, incidents, checksum, wallMs: Math.round(wallMs), peakSampledRssMb: mb(peakRss), maxRssMb: mb(process.resourceUsage().maxRSS * 1024), cpuS: Math.round(process.cpuUsage().user / 1e5 + process.cpuUsage().system / 1e5) / 10, ...(heapKeptMb === undefined ? {} : { heapKeptMb }) })}`,
);
