import type { LatLon } from '../core/lat-lon.ts';
import { quantile, type IncidentIntervals } from './intervals.ts';

/** One cell of the lateness grid: how long help took to reach the incidents in it. */
export interface LateCell {
  /** Row (south to north) and column (west to east) from the grid's origin. */
  readonly row: number;
  readonly col: number;
  readonly centre: LatLon;
  readonly sizeM: number;
  readonly incidents: number;
  readonly firstHelpMedianS: number | null;
  /** Share of the cell's incidents with a first-unit travel that missed the travel threshold. */
  readonly travelMissShare: number | null;
}

const M_PER_DEG_LAT = 111_320;

/**
 * A square grid laid from a fixed origin (so cells keep their row and column between runs and
 * between the sim and the live data): each cell with at least one incident, north-west first.
 */
export function lateGrid(records: readonly IncidentIntervals[], cellM: number, travelThresholdS: number, origin: LatLon = SF_GRID_ORIGIN): LateCell[] {
  const dLat = cellM / M_PER_DEG_LAT;
  const dLon = cellM / (M_PER_DEG_LAT * Math.cos((origin.lat * Math.PI) / 180));
  const cells = new Map<string, { row: number; col: number; help: number[]; travel: number; missed: number; n: number }>();
  for (const r of records) {
    const row = Math.floor((r.location.lat - origin.lat) / dLat);
    const col = Math.floor((r.location.lon - origin.lon) / dLon);
    const key = `${row}:${col}`;
    let c = cells.get(key);
    if (!c) cells.set(key, (c = { row, col, help: [], travel: 0, missed: 0, n: 0 }));
    c.n++;
    if (r.firstHelpS !== undefined) c.help.push(r.firstHelpS);
    if (r.travelS !== undefined) {
      c.travel++;
      if (r.travelS > travelThresholdS) c.missed++;
    }
  }
  return [...cells.values()]
    .sort((a, b) => b.row - a.row || a.col - b.col)
    .map((c) => {
      const median = quantile(c.help.sort((a, b) => a - b), 0.5);
      return {
        row: c.row,
        col: c.col,
        centre: { lat: round6(origin.lat + (c.row + 0.5) * dLat), lon: round6(origin.lon + (c.col + 0.5) * dLon) },
        sizeM: cellM,
        incidents: c.n,
        firstHelpMedianS: median === null ? null : Math.round(median),
        travelMissShare: c.travel === 0 ? null : Math.round((c.missed / c.travel) * 10_000) / 10_000,
      };
    });
}

/** South-west of San Francisco and its airport: every SF cell has a non-negative row and column. */
export const SF_GRID_ORIGIN: LatLon = { lat: 37.6, lon: -122.53 };

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;
