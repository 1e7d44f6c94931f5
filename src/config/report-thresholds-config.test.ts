import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NFPA_1710 } from '../reports/intervals.ts';
import { loadReportSettings } from './report-thresholds-config.ts';

const roots: string[] = [];
function rootWith(json: string | undefined): string {
  const root = mkdtempSync(join(tmpdir(), 'samaritan-thresholds-'));
  roots.push(root);
  mkdirSync(join(root, 'config'));
  if (json !== undefined) writeFileSync(join(root, 'config', 'report-thresholds.json'), json);
  return `${root}/`;
}
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

describe('report thresholds file', () => {
  it('the bundled file holds the NFPA 1710 objectives and 1 km squares', () => {
    expect(loadReportSettings()).toEqual({ thresholds: NFPA_1710, gridCellM: 1000 });
  });

  it('a field left out takes its NFPA value; no file at all is NFPA throughout', () => {
    expect(loadReportSettings(rootWith('{"travelS": 300}'))).toEqual({ thresholds: { ...NFPA_1710, travelS: 300 }, gridCellM: 1000 });
    expect(loadReportSettings(rootWith(undefined))).toEqual({ thresholds: NFPA_1710, gridCellM: 1000 });
  });

  it('a bad value stops start-up, naming the field', () => {
    expect(() => loadReportSettings(rootWith('{"turnoutEmsS": "60"}'))).toThrow(/report-thresholds\.json: turnoutEmsS must be a number above 0/);
    expect(() => loadReportSettings(rootWith('{"gridCellM": 0}'))).toThrow(/gridCellM/);
    expect(() => loadReportSettings(rootWith('[]'))).toThrow(/must be a JSON object/);
  });
});
