/* `samaritan sim`, run as a user runs it, on a slice of the bundled DataSF calls. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/config/configuration.ts';
import { parseCsvRecords } from '../src/interop/csv.ts';
import { samaritan, type CliRun } from './support/cli.ts';

const CALLS = join(PROJECT_ROOT, 'data/sf/sf_fire_calls_2016-12-31_to_2017-01-03.csv');
/** The first rows of the file: a couple of hundred incidents, enough for every policy to differ. */
const SLICE_LINES = 500;

const dir = mkdtempSync(join(tmpdir(), 'samaritan-sim-'));
const slice = join(dir, 'calls.csv');
const scenario = join(dir, 'scenario.json');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface PolicyJson {
  name: string;
  firstHelpMedianS: number | null;
  firstHelpP90S: number | null;
  volunteerFirstShare: number;
  nfpaTravel240Share: number | null;
  incidents: number;
  compliance: { callToDispatch: number | null; turnout: number | null; travel: number | null };
  utilisation: { medianShare: number; maxShare: number };
  volunteers: { alerted: number; accepted: number; arrived: number; firstOnScene: number };
  rejections: Record<string, unknown>;
}
interface Pair {
  n: number;
  simMedianS: number | null;
  realMedianS: number | null;
  medianAbsErrorS: number | null;
}
interface SimJson {
  incidents: number;
  fidelity: {
    simFirstUnitTravelMedianS: number;
    realFirstUnitTravelMedianS: number;
    firstUnitTravelMedianAbsErrorS: number;
    firstUnit: Pair;
    byPriority: Record<string, { travel: Pair; firstUnit: Pair }>;
  };
  travelFactorByPriority: Record<string, number>;
  model: Record<string, boolean>;
  policies: PolicyJson[];
  recruitment: { row: number; col: number; volunteersAdded: number; minutesSaved: number }[];
  rejections: number;
}

const runs: { first?: CliRun; again?: CliRun; otherSeed?: CliRun } = {};
const out = (name: string) => join(dir, name);

beforeAll(async () => {
  writeFileSync(slice, readFileSync(CALLS, 'utf8').split('\n').slice(0, SLICE_LINES).join('\n'));
  writeFileSync(scenario, JSON.stringify({ name: 'more volunteers', volunteers: { shareOfResidents: 0.02 }, recruitment: { cells: 2, volunteersPerCell: 40 } }));
  const base = ['sim', '--calls', slice, '--scenario', scenario];
  [runs.first, runs.again, runs.otherSeed] = await Promise.all([
    samaritan(...base, '--seed', '5', '--json', out('a.json'), '--csv', out('a.csv')),
    samaritan(...base, '--seed', '5', '--json', out('b.json')),
    samaritan(...base, '--seed', '6', '--json', out('c.json'), '--no-recruitment'),
  ]);
}, 120_000);

describe('samaritan sim on real calls', () => {
  it('runs_and_summarises_each_policy_and_the_fidelity_on_stdout', () => {
    const r = runs.first!;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^\d+ incidents replayed\n/);
    expect(r.stdout).toMatch(/^fidelity \(routed, n=\d+\): first-unit travel median \d+ s simulated, \d+ s real/m);
    expect(r.stdout).toMatch(/^ {2}priority 1 \(emergency\): travel \d+ s simulated, \d+ s real; first unit on scene \(from received\) \d+ s simulated, \d+ s real$/m);
    for (const name of ['straight_line', 'routed', 'routed_volunteers']) expect(r.stdout).toMatch(new RegExp(`^${name} +first help`, 'm'));
    expect(r.stderr).not.toMatch(/refused/);
  });

  it('the_same_inputs_and_seed_give_the_same_json_byte_for_byte_and_another_seed_differs', () => {
    expect(runs.again!.code, runs.again!.stderr).toBe(0);
    expect(runs.otherSeed!.code, runs.otherSeed!.stderr).toBe(0);
    const a = readFileSync(out('a.json'), 'utf8');
    expect(readFileSync(out('b.json'), 'utf8')).toBe(a);
    expect(readFileSync(out('c.json'), 'utf8')).not.toBe(a);
  });

  it('the_json_keeps_its_contract_fields_and_ranges', () => {
    const j = JSON.parse(readFileSync(out('a.json'), 'utf8')) as SimJson;
    const incidentNumbers = new Set(parseCsvRecords(readFileSync(slice, 'utf8')).map((r) => r['Incident Number']));
    expect(j.incidents).toBe(incidentNumbers.size);
    expect(j.fidelity.simFirstUnitTravelMedianS).toBeGreaterThan(0);
    expect(j.fidelity.realFirstUnitTravelMedianS).toBeGreaterThan(0);
    expect(j.fidelity.firstUnitTravelMedianAbsErrorS).toBeGreaterThanOrEqual(0);
    expect(j.policies.map((p) => p.name)).toEqual(['straight_line', 'routed', 'routed_volunteers']);
    for (const p of j.policies) {
      expect(p.incidents).toBe(j.incidents);
      expect(p.firstHelpMedianS).toBeGreaterThan(0);
      expect(p.firstHelpP90S!).toBeGreaterThanOrEqual(p.firstHelpMedianS!);
      for (const share of [p.volunteerFirstShare, p.nfpaTravel240Share, p.compliance.callToDispatch, p.compliance.turnout, p.compliance.travel, p.utilisation.medianShare, p.utilisation.maxShare]) {
        expect(share).toBeGreaterThanOrEqual(0);
        expect(share).toBeLessThanOrEqual(1);
      }
      expect(p.rejections).toEqual({});
    }
    expect(j.rejections).toBe(0);
  });

  it('the_json_gives_fidelity_of_the_first_unit_on_scene_and_by_priority_with_the_travel_factors_and_model_used', () => {
    const j = JSON.parse(readFileSync(out('a.json'), 'utf8')) as SimJson;
    const f = j.fidelity;
    expect(f.firstUnit.n).toBeGreaterThan(0);
    expect(f.firstUnit.simMedianS!).toBeGreaterThan(f.simFirstUnitTravelMedianS);
    expect(Object.keys(f.byPriority).sort()).toEqual(['1', '2', '3']);
    // Every incident measured overall is measured under its own priority.
    expect(Object.values(f.byPriority).reduce((n, p) => n + p.travel.n, 0)).toBe((f as unknown as { n: number }).n);
    expect(f.byPriority['1']!.travel.simMedianS).toBeGreaterThan(0);
    expect(j.travelFactorByPriority['1']).toBe(1);
    // Non-emergency calls are driven without lights: the data makes them slower, never faster.
    expect(j.travelFactorByPriority['2']).toBeGreaterThan(1);
    expect(j.travelFactorByPriority['3']).toBeGreaterThanOrEqual(1);
    expect(j.model).toEqual({ turnout: true, dispatchOrder: true, lastScene: true, priorityTravelFactor: true });
  });

  it('volunteers_arrive_first_on_some_calls_only_under_routed_volunteers', () => {
    const j = JSON.parse(readFileSync(out('a.json'), 'utf8')) as SimJson;
    const [straight, routed, volunteers] = j.policies;
    expect(straight!.volunteerFirstShare).toBe(0);
    expect(routed!.volunteerFirstShare).toBe(0);
    expect(routed!.volunteers.alerted).toBe(0);
    expect(volunteers!.volunteers.arrived).toBeGreaterThan(0);
    expect(volunteers!.volunteerFirstShare).toBeGreaterThan(0);
    expect(volunteers!.volunteerFirstShare).toBeLessThan(1);
    expect(volunteers!.firstHelpMedianS!).toBeLessThanOrEqual(routed!.firstHelpMedianS!);
  });

  it('recruitment_names_the_cells_tried_with_the_minutes_saved', () => {
    const j = JSON.parse(readFileSync(out('a.json'), 'utf8')) as SimJson;
    expect(j.recruitment).toHaveLength(2);
    for (const g of j.recruitment) {
      expect(g.volunteersAdded).toBe(40);
      expect(Number.isFinite(g.minutesSaved)).toBe(true);
    }
    const noRecruitment = JSON.parse(readFileSync(out('c.json'), 'utf8')) as SimJson;
    expect(noRecruitment.recruitment).toEqual([]);
  });

  it('writes_the_per_incident_csv_with_a_header_and_a_row_per_incident_and_policy', () => {
    const lines = readFileSync(out('a.csv'), 'utf8').trimEnd().split('\r\n');
    const j = JSON.parse(readFileSync(out('a.json'), 'utf8')) as SimJson;
    // The real incidents and each of the three policies.
    expect(lines.length - 1).toBe(4 * j.incidents);
  });
});

/** A usage mistake: one line on stderr naming it, the given exit code, no stack trace. */
function expectOneLine(run: CliRun, code: number, about: string | RegExp) {
  expect(run.code, run.stderr).toBe(code);
  expect(run.stderr).not.toMatch(/^\s+at /m);
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(run.stderr).toMatch(about);
}

describe('samaritan sim usage', () => {
  it('prints_its_usage_with_help', async () => {
    const r = await samaritan('sim', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage:\n {2}samaritan sim --calls /);
  });

  it('names_each_mistake_on_one_line_with_exit_code_2', async () => {
    const bad = join(dir, 'bad-scenario.json');
    writeFileSync(bad, JSON.stringify({ units: { add: [{ id: 'T99', unitType: 'trukc', stationId: '9' }] } }));
    const notJson = join(dir, 'not-json.json');
    writeFileSync(notJson, '{ units: ');
    const typo = join(dir, 'typo-scenario.json');
    writeFileSync(typo, JSON.stringify({ volunteer: { shareOfResidents: 0.01 } }));
    const empty = join(dir, 'empty.csv');
    writeFileSync(empty, '');
    const [noCalls, missing, scenarioBad, scenarioNotJson, policy, seed, scenarioTypo, emptyCalls, ...seeds] = await Promise.all([
      samaritan('sim'),
      samaritan('sim', '--calls', join(dir, 'nowhere.csv')),
      samaritan('sim', '--calls', slice, '--scenario', bad),
      samaritan('sim', '--calls', slice, '--scenario', notJson),
      samaritan('sim', '--calls', slice, '--policies', 'routed,nearest'),
      samaritan('sim', '--calls', slice, '--seed', 'abc'),
      samaritan('sim', '--calls', slice, '--scenario', typo),
      samaritan('sim', '--calls', empty),
      // Number() reads these as 0, 1000, 16 and a seed past the draws' 32 bits: none is a seed anyone typed.
      ...['', '1e3', '0x10', '4294967296', '-1'].map((s) => samaritan('sim', '--calls', slice, `--seed=${s}`)),
    ]);
    expectOneLine(noCalls, 2, /--calls .* is required/);
    expectOneLine(missing, 2, /cannot read .*nowhere\.csv/);
    expectOneLine(scenarioBad, 2, /scenario\.units\.add\[0\]\.unitType: unknown unit type "trukc"/);
    expectOneLine(scenarioNotJson, 2, /not-json\.json is not JSON/);
    expectOneLine(policy, 2, /--policies: unknown policy "nearest"/);
    expectOneLine(seed, 2, /--seed must be a whole number/);
    expectOneLine(scenarioTypo, 2, /scenario\.volunteer: unknown field/);
    expectOneLine(emptyCalls, 2, /empty\.csv has no "Incident Number" column/);
    for (const r of seeds) expectOneLine(r, 2, /--seed must be a whole number from 0 to 4294967295/);
  });

  it('an_output_that_cannot_be_written_is_one_line_with_exit_code_1_before_the_replay', async () => {
    const r = await samaritan('sim', '--calls', slice, '--json', join(dir, 'no-such-dir', 'out.json'));
    expectOneLine(r, 1, /--json .*out\.json: cannot write there/);
    expect(r.stdout).toBe('');
    // Where access() says yes to root but no file can be made.
    const proc = await samaritan('sim', '--calls', slice, '--html', '/proc/samaritan-report.html');
    expectOneLine(proc, 1, /--html \/proc\/samaritan-report\.html: cannot write there/);
    expect(proc.stdout).toBe('');
  });

  it('a_file_that_is_not_a_calls_file_is_a_usage_error', async () => {
    const r = await samaritan('sim', '--calls', scenario);
    expectOneLine(r, 2, /no "Incident Number" column/);
  });
});
