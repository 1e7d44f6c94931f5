import type { LatLon } from '../core/lat-lon.ts';
import { haversine } from '../core/lat-lon.ts';

/** One real emergency run: a unit leaving its own station for an incident, and how long it drove. */
export interface Run {
  readonly unitId: string;
  readonly unitType: string;
  readonly stationId: string;
  readonly origin: LatLon;
  readonly destination: LatLon;
  /** Response DtTm (en route) → On Scene DtTm, seconds. */
  readonly travelS: number;
}

export interface RunSelection {
  readonly runs: Run[];
  /** Why the other rows were left out, with counts. */
  readonly skipped: Readonly<Record<string, number>>;
}

/** DataSF `Unit Type` → fleet unit type, for the apparatus whose home station is known. */
const APPARATUS: Readonly<Record<string, string>> = { ENGINE: 'engine', TRUCK: 'truck' };
/** Lights and siren: priority 3, or E (emergency). */
const EMERGENCY = new Set(['3', 'E']);
/** A unit cleared from its last incident less than this long before dispatch may still be on the road home. */
const HOME_AFTER_S = 600;

/**
 * Selects the engine and truck rows of the DataSF calls that are emergency runs starting from the
 * unit's own station: the unit's home is its station in the fleet, and the unit had been
 * available for at least 10 minutes (or had no earlier row in the file) when it was dispatched.
 * Stamps are local Pacific time, read by `parseTime` to epoch ms.
 */
export function ownStationRuns(
  records: readonly Readonly<Record<string, string>>[],
  homes: ReadonlyMap<string, { stationId: string; location: LatLon }>,
  parseTime: (text: string) => number | undefined,
): RunSelection {
  const skipped: Record<string, number> = {};
  const skip = (why: string) => (skipped[why] = (skipped[why] ?? 0) + 1);
  const byUnit = new Map<string, { dispatched: number | undefined; available: number | undefined }[]>();
  for (const r of records) {
    const list = byUnit.get(r['Unit ID'] ?? '') ?? [];
    list.push({ dispatched: parseTime(r['Dispatch DtTm'] ?? ''), available: parseTime(r['Available DtTm'] ?? '') });
    byUnit.set(r['Unit ID'] ?? '', list);
  }
  for (const list of byUnit.values()) list.sort((a, b) => (a.dispatched ?? 0) - (b.dispatched ?? 0));

  const runs: Run[] = [];
  for (const r of records) {
    const unitType = APPARATUS[r['Unit Type'] ?? ''];
    if (unitType === undefined) continue;
    if (!EMERGENCY.has(r['Priority'] ?? '')) {
      skip('not an emergency (priority 3 or E) run');
      continue;
    }
    const home = homes.get(r['Unit ID'] ?? '');
    if (home === undefined) {
      skip('unit not in the fleet');
      continue;
    }
    const dispatched = parseTime(r['Dispatch DtTm'] ?? '');
    const enRoute = parseTime(r['Response DtTm'] ?? '');
    const onScene = parseTime(r['On Scene DtTm'] ?? '');
    if (dispatched === undefined || enRoute === undefined || onScene === undefined) {
      skip('no dispatch, en-route or on-scene stamp');
      continue;
    }
    const before = (byUnit.get(r['Unit ID'] ?? '') ?? []).filter((x) => x.dispatched !== undefined && x.dispatched < dispatched);
    const last = before[before.length - 1];
    if (last !== undefined && (last.available === undefined || last.available > dispatched - HOME_AFTER_S * 1000)) {
      skip('unit not back in quarters (busy or cleared < 10 min before)');
      continue;
    }
    const m = /^\(\s*(-?[\d.]+)\s*,\s*(-?[\d.]+)\s*\)$/.exec(r['Location'] ?? '');
    if (!m) {
      skip('no location');
      continue;
    }
    const destination = { lat: Number(m[1]), lon: Number(m[2]) };
    const travelS = (onScene - enRoute) / 1000;
    const straight = haversine(home.location, destination);
    // Stamps that cannot be a drive: faster than 30 m/s in a straight line, or over half an hour.
    if (travelS <= 0 || travelS > 1800 || straight / Math.max(travelS, 1) > 30) {
      skip('travel time impossible or over 30 min');
      continue;
    }
    runs.push({ unitId: r['Unit ID']!, unitType, stationId: home.stationId, origin: home.location, destination, travelS });
  }
  return { runs, skipped };
}
