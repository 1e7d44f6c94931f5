import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfiguration, PROJECT_ROOT } from '../config/configuration.ts';
import { parseCsvRecords } from '../interop/csv.ts';
import { compliance, distribution, INTERVALS, valuesOf } from '../reports/intervals.ts';
import { lateGrid } from '../reports/late-grid.ts';
import { loadSfRouter } from '../routing/sf-demo.ts';
import { PolicyTally } from './policy-tally.ts';
import { runSimulation } from './replay.ts';
import { simJson } from './result-json.ts';
import { parseScenario } from './scenario.ts';
import { readSimCalls, type SimCall } from './sim-calls.ts';
import type { SimResult } from './sim-result.ts';

const CALLS = 'data/sf/sf_fire_calls_2016-12-31_to_2017-01-03.csv';

function firstCalls(n: number): SimCall[] {
  const records = parseCsvRecords(readFileSync(join(PROJECT_ROOT, CALLS), 'utf8'));
  const callTypes = JSON.parse(readFileSync(join(PROJECT_ROOT, 'config/sf-call-types.json'), 'utf8')) as Record<string, string>;
  return readSimCalls(records, callTypes).calls.slice(0, n);
}

const scenario = () => {
  const json = (f: string) => JSON.parse(readFileSync(join(PROJECT_ROOT, f), 'utf8')) as { id: string }[];
  const known = {
    unitTypes: new Set(loadConfiguration().unitTypes.keys()),
    stations: new Set(json('data/sf/stations.json').map((s) => s.id)),
    units: new Set(json('data/sf/fleet.json').map((u) => u.id)),
  };
  // Many volunteers, so that volunteers arrive first on some calls and first help has fractions of a second.
  return parseScenario({ volunteers: { shareOfResidents: 0.02 }, recruitment: { cells: 0 } }, known);
};

/** The JSON without what only kept records give: each interval's error against the real incidents, matched by id. */
function withoutPerIncidentErrors(json: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(json)) as { policies: { intervals: Record<string, { meanAbsErrorS?: unknown }> }[] };
  for (const p of copy.policies) for (const d of Object.values(p.intervals)) delete d.meanAbsErrorS;
  return copy;
}

describe('a replay that keeps no per-incident record', () => {
  let kept: SimResult;
  let tallied: SimResult;
  beforeAll(async () => {
    const calls = firstCalls(250);
    const router = loadSfRouter(PROJECT_ROOT);
    const run = (keepIncidents: boolean) => runSimulation({ calls, count: calls.length, scenario: scenario(), seed: 5, router, callsFile: CALLS, keepIncidents });
    kept = await run(true);
    tallied = await run(false);
  }, 120_000);

  it('gives_the_same_json_figures_as_the_records_do', () => {
    expect(tallied.policies.every((p) => p.incidents.length === 0 && p.summary !== undefined)).toBe(true);
    expect(tallied.real).toHaveLength(0);
    expect(kept.policies.find((p) => p.name === 'routed_volunteers')!.incidents.some((r) => r.firstHelpS !== undefined && !Number.isInteger(r.firstHelpS))).toBe(true);
    expect(withoutPerIncidentErrors(simJson(tallied))).toEqual(withoutPerIncidentErrors(simJson(kept)));
  });

  it('gives_the_same_late_grid_as_the_records_do', () => {
    for (const p of kept.policies) {
      const grid = tallied.policies.find((x) => x.name === p.name)!.grid;
      expect(grid.length).toBeGreaterThan(3);
      expect(grid).toEqual(p.grid);
    }
  });
});

describe('a policy tally', () => {
  it('matches_distribution_compliance_and_late_grid_on_the_same_records', async () => {
    const calls = firstCalls(120);
    const real = calls.map((c) => c.real);
    const t = { callToDispatchS: 64, turnoutEmsS: 60, turnoutFireS: 80, travelS: 240 };
    const tally = new PolicyTally(t, 1000);
    for (const r of real) tally.add(r);
    const s = tally.summary();
    expect(s.incidents).toBe(real.length);
    for (const name of INTERVALS) expect(s.intervals[name], name).toEqual(distribution(valuesOf(real, name)));
    expect(s.compliance).toEqual(compliance(real, t));
    expect(tally.grid()).toEqual(lateGrid(real, 1000, 240));
  });
});
