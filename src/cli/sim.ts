import { closeSync, existsSync, openSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfiguration, PROJECT_ROOT } from '../config/configuration.ts';
import { intervalsCsv } from '../reports/csv-export.ts';
import { loadSfRouter } from '../routing/sf-demo.ts';
import { simHtmlReport } from '../sim/html-report.ts';
import { REPORT_STREETS_ATTRIBUTION, reportStreets } from '../sim/report-streets.ts';
import { runSimulation } from '../sim/replay.ts';
import { simJson } from '../sim/result-json.ts';
import { parseScenario, ScenarioError, DEFAULT_SCENARIO, type Scenario } from '../sim/scenario.ts';
import { readSimCalls } from '../sim/sim-calls.ts';
import { POLICY_NAMES, type PolicyName, type SimResult } from '../sim/sim-result.ts';
import { parse } from './args.ts';
import { readCallsFile } from './calls-file.ts';
import { progressBar } from './progress.ts';
import { UsageError } from './usage-error.ts';

const readJson = (file: string): unknown => JSON.parse(readFileSync(join(PROJECT_ROOT, file), 'utf8'));

function readScenario(file: string | undefined): Scenario {
  const config = loadConfiguration();
  const known = {
    unitTypes: new Set(config.unitTypes.keys()),
    stations: new Set((readJson('data/sf/stations.json') as { id: string }[]).map((s) => s.id)),
    units: new Set((readJson('data/sf/fleet.json') as { id: string }[]).map((u) => u.id)),
  };
  if (file === undefined) return parseScenario({}, known);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${file} is not JSON: ${(e as Error).message}`);
  }
  try {
    return parseScenario(json, known);
  } catch (e) {
    if (e instanceof ScenarioError) throw new UsageError(e.message);
    throw e;
  }
}

function policiesOption(text: string | undefined, scenario: Scenario): readonly PolicyName[] {
  if (text === undefined) return scenario.policies;
  const names = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const n of names) if (!(POLICY_NAMES as readonly string[]).includes(n)) throw new UsageError(`--policies: unknown policy "${n}" (known: ${POLICY_NAMES.join(', ')})`);
  if (names.length === 0) throw new UsageError('--policies: name at least one policy');
  return [...new Set(names)] as PolicyName[];
}

/** The draws are seeded with 32 bits (src/sim/draws.ts): a larger seed would replay a smaller one's draws. */
const LARGEST_SEED = 2 ** 32 - 1;

function seedOption(text: string | undefined): number {
  if (text === undefined) return 1;
  // Digits only: Number() would take "" as 0, and "1e3" or "0x10" as seeds nobody typed.
  const seed = /^\d{1,10}$/.test(text) ? Number(text) : NaN;
  if (!(seed <= LARGEST_SEED)) throw new UsageError(`--seed must be a whole number from 0 to ${LARGEST_SEED}, not "${text}"`);
  return seed;
}

/**
 * An output that cannot be written is found before the replay, not after it. The file is opened
 * for appending (nothing written, an existing file unchanged, a new one removed again): asking
 * access() is not enough, as root passes it where no file can be made (/proc, a read-only mount).
 */
function checkWritable(file: string | undefined, option: string): void {
  if (file === undefined) return;
  try {
    if (statSync(file, { throwIfNoEntry: false })?.isDirectory()) throw new Error('is a directory');
    const existed = existsSync(file);
    closeSync(openSync(file, 'a'));
    if (!existed) unlinkSync(file);
  } catch (e) {
    throw new OutputError(`${option} ${file}: cannot write there (${(e as Error).message})`);
  }
}

class OutputError extends Error {}

function write(file: string | undefined, text: () => string): void {
  if (file === undefined) return;
  try {
    writeFileSync(file, text());
  } catch (e) {
    throw new OutputError(`cannot write ${file}: ${(e as Error).message}`);
  }
}

const fmtS = (s: number | null | undefined) => (s === null || s === undefined ? '–' : `${Math.round(s)} s`);
const pct = (x: number | null | undefined) => (x === null || x === undefined ? '–' : `${(x * 100).toFixed(1)} %`);

function summary(json: ReturnType<typeof simJson>): string {
  const j = json as {
    incidents: number;
    fidelity: {
      simFirstUnitTravelMedianS: number | null;
      realFirstUnitTravelMedianS: number | null;
      firstUnitTravelMedianAbsErrorS: number | null;
      firstUnitTravelMeanAbsErrorS: number | null;
      n: number;
      byPriority?: Record<string, Record<'travel' | 'firstUnit', { simMedianS: number | null; realMedianS: number | null }>>;
    };
    policies: { name: string; firstHelpMedianS: number | null; firstHelpP90S: number | null; volunteerFirstShare: number; nfpaTravel240Share: number | null }[];
  };
  const f = j.fidelity;
  const lines = [
    `${j.incidents} incidents replayed`,
    `fidelity (routed, n=${f.n}): first-unit travel median ${fmtS(f.simFirstUnitTravelMedianS)} simulated, ${fmtS(f.realFirstUnitTravelMedianS)} real; absolute error median ${fmtS(f.firstUnitTravelMedianAbsErrorS)}, mean ${fmtS(f.firstUnitTravelMeanAbsErrorS)}`,
    ...Object.entries(f.byPriority ?? {}).map(
      ([p, x]) =>
        `  priority ${p}${p === '1' ? ' (emergency)' : ''}: travel ${fmtS(x.travel.simMedianS)} simulated, ${fmtS(x.travel.realMedianS)} real; first unit on scene (from received) ${fmtS(x.firstUnit.simMedianS)} simulated, ${fmtS(x.firstUnit.realMedianS)} real`,
    ),
    ...j.policies.map((p) => `${p.name.padEnd(18)} first help (volunteer calls) median ${fmtS(p.firstHelpMedianS)}, p90 ${fmtS(p.firstHelpP90S)}; volunteer first ${pct(p.volunteerFirstShare)}; travel within threshold ${pct(p.nfpaTravel240Share)}`),
  ];
  return `${lines.join('\n')}\n`;
}

const csvRows = (r: SimResult) => [...r.real.map((intervals) => ({ policy: 'real', intervals })), ...r.policies.flatMap((p) => p.incidents.map((intervals) => ({ policy: p.name, intervals })))];

/**
 * `samaritan sim --calls <csv> [--scenario f] [--json f] [--html f] [--csv f] [--neris-csv f]
 * [--seed n] [--policies a,b] [--no-recruitment]`: replays real calls under each policy.
 */
export async function sim(args: string[]): Promise<number> {
  const { values } = parse(args, {
    calls: { type: 'string' },
    scenario: { type: 'string' },
    json: { type: 'string' },
    html: { type: 'string' },
    csv: { type: 'string' },
    'neris-csv': { type: 'string' },
    seed: { type: 'string' },
    policies: { type: 'string' },
    'no-recruitment': { type: 'boolean' },
  });
  if (values.calls === undefined) throw new UsageError('--calls <DataSF calls CSV> is required');
  const seed = seedOption(values.seed);
  let scenario = readScenario(values.scenario);
  scenario = { ...scenario, policies: policiesOption(values.policies, scenario) };
  if (values['no-recruitment']) scenario = { ...scenario, recruitment: { ...scenario.recruitment, cells: 0 } };
  const outputs: [string | undefined, string][] = [[values.json, '--json'], [values.html, '--html'], [values.csv, '--csv'], [values['neris-csv'], '--neris-csv']];
  try {
    for (const [file, option] of outputs) checkWritable(file, option);
  } catch (e) {
    process.stderr.write(`samaritan sim: ${(e as Error).message}\n`);
    return 1;
  }
  const records = readCallsFile(values.calls, 'Incident Number');
  const callTypes = Object.fromEntries(Object.entries(readJson('config/sf-call-types.json') as Record<string, string>).filter(([k]) => !k.startsWith('$')));
  const { calls, rejected } = readSimCalls(records, callTypes, scenario.volunteerCalls ?? DEFAULT_SCENARIO.volunteerCalls);
  if (calls.length === 0) throw new UsageError(`${values.calls}: no call could be read (${rejected.length} rows refused)`);
  if (rejected.length > 0) process.stderr.write(`samaritan sim: ${rejected.length} rows left out (first: row ${rejected[0]!.row}, ${rejected[0]!.reason})\n`);
  const router = loadSfRouter(PROJECT_ROOT, (m) => process.stderr.write(`${m}\n`));
  const bar = progressBar(calls.length, 'calls replayed');
  const result = await runSimulation({ calls, count: calls.length, scenario, seed, router, callsFile: values.calls, threads: true }, (done, total) => {
    if (done < total) bar.tick(Math.round((done / Math.max(1, total)) * calls.length));
  });
  bar.end();
  const json = simJson(result);
  for (const p of result.policies) {
    for (const [code, r] of Object.entries(p.rejections ?? {})) process.stderr.write(`samaritan sim: ${p.name}: the core refused ${r.count} × ${code} (first: ${r.example})\n`);
  }
  try {
    write(values.json, () => `${JSON.stringify(json, null, 2)}\n`);
    write(values.html, () => simHtmlReport(result, { streets: reportStreets(PROJECT_ROOT), streetsAttribution: REPORT_STREETS_ATTRIBUTION }));
    write(values.csv, () => intervalsCsv(csvRows(result), 'samaritan'));
    write(values['neris-csv'], () => intervalsCsv(csvRows(result), 'neris'));
  } catch (e) {
    process.stderr.write(`samaritan sim: ${(e as Error).message}\n`);
    return 1;
  }
  process.stdout.write(summary(json));
  return 0;
}
