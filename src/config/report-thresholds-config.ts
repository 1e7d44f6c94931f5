import { readFileSync } from 'node:fs';
import { NFPA_1710, type NfpaThresholds } from '../reports/intervals.ts';
import { PROJECT_ROOT } from './configuration.ts';

export const REPORT_THRESHOLDS_FILE = 'config/report-thresholds.json';

/** config/report-thresholds.json: the live reports' objectives (s) and the lateness map's cell (m). */
export interface ReportSettings {
  readonly thresholds: NfpaThresholds;
  readonly gridCellM: number;
}

const KEYS = ['callToDispatchS', 'turnoutEmsS', 'turnoutFireS', 'travelS'] as const;

function fail(what: string): never {
  throw new Error(`${REPORT_THRESHOLDS_FILE}: ${what}`);
}

function positive(raw: Record<string, unknown>, key: string, fallback: number, max: number): number {
  const v = raw[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v > max) fail(`${key} must be a number above 0 and at most ${max}`);
  return v;
}

/** Reads and checks the file (absent: NFPA 1710 and 1 km cells); a bad value stops start-up, naming the field. */
export function loadReportSettings(root: string = PROJECT_ROOT): ReportSettings {
  let text: string;
  try {
    text = readFileSync(`${root}${REPORT_THRESHOLDS_FILE}`, 'utf8');
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return { thresholds: NFPA_1710, gridCellM: 1000 };
    throw e;
  }
  const raw = JSON.parse(text) as unknown;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('must be a JSON object');
  const r = raw as Record<string, unknown>;
  const thresholds = Object.fromEntries(KEYS.map((k) => [k, positive(r, k, NFPA_1710[k], 3600)])) as unknown as NfpaThresholds;
  return { thresholds, gridCellM: positive(r, 'gridCellM', 1000, 20_000) };
}
