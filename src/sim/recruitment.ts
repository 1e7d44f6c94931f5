import type { LatLon } from '../core/lat-lon.ts';
import type { IncidentIntervals } from '../reports/intervals.ts';
import { quantile } from '../reports/intervals.ts';
import { SF_GRID_ORIGIN } from '../reports/late-grid.ts';

const M_PER_DEG_LAT = 111_320;

export interface CellTotal {
  readonly row: number;
  readonly col: number;
  readonly centre: LatLon;
  readonly totalFirstHelpS: number;
}

/**
 * The grid cells (laid as `lateGrid` lays them) whose volunteer calls add up to the most seconds
 * before first help: where more volunteers could save the most minutes. Ties by row, then column.
 */
export function slowestCells(records: readonly (IncidentIntervals | undefined)[], cellM: number, cells: number, origin: LatLon = SF_GRID_ORIGIN): CellTotal[] {
  const dLat = cellM / M_PER_DEG_LAT;
  const dLon = cellM / (M_PER_DEG_LAT * Math.cos((origin.lat * Math.PI) / 180));
  const totals = new Map<string, { row: number; col: number; s: number }>();
  for (const r of records) {
    if (!r?.volunteerCall || r.firstHelpS === undefined) continue;
    const row = Math.floor((r.location.lat - origin.lat) / dLat);
    const col = Math.floor((r.location.lon - origin.lon) / dLon);
    const key = `${row}:${col}`;
    const t = totals.get(key) ?? { row, col, s: 0 };
    t.s += r.firstHelpS;
    totals.set(key, t);
  }
  return [...totals.values()]
    .sort((a, b) => b.s - a.s || a.row - b.row || a.col - b.col)
    .slice(0, cells)
    .map((t) => ({
      row: t.row,
      col: t.col,
      centre: { lat: round6(origin.lat + (t.row + 0.5) * dLat), lon: round6(origin.lon + (t.col + 0.5) * dLon) },
      totalFirstHelpS: Math.round(t.s),
    }));
}

/** Minutes of first help saved over the volunteer calls present in both runs (same call order). */
export function minutesSaved(before: readonly (IncidentIntervals | undefined)[], after: readonly (IncidentIntervals | undefined)[]): number {
  let s = 0;
  before.forEach((b, i) => {
    const a = after[i];
    if (!b?.volunteerCall || b.firstHelpS === undefined || a?.firstHelpS === undefined) return;
    s += b.firstHelpS - a.firstHelpS;
  });
  return Math.round((s / 60) * 10) / 10;
}

/** Median first help over the volunteer calls, whole seconds. */
export function volunteerCallFirstHelpMedian(records: readonly (IncidentIntervals | undefined)[]): number | null {
  const v = records.flatMap((r) => (r?.volunteerCall && r.firstHelpS !== undefined ? [r.firstHelpS] : [])).sort((a, b) => a - b);
  const m = quantile(v, 0.5);
  return m === null ? null : Math.round(m);
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
