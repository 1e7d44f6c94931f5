import { isAedStatus, type AedRecord, type WeeklyHours } from '../core/aed.ts';
import { isValidWindow, WEEKDAYS, type DailyWindow } from '../core/local-time.ts';
import { parseCsvRecords } from './csv.ts';
import { parseOpeningHours } from './opening-hours.ts';

/**
 * AED registry files, CSV or GeoJSON, read into registry entries. A file is taken whole or not at
 * all: every problem is reported with the row (CSV line number) or feature index and the field.
 *
 * CSV columns (header names; aliases in brackets):
 *   id, placeName [name], lat [latitude], lon [longitude, lng], floor [level],
 *   access [access_notes, defibrillator:location], hours [opening_hours], status, timeZone
 * GeoJSON: a FeatureCollection of Point features whose properties carry the same names (OSM
 * exports of `emergency=defibrillator` read as they are); `id` may also be the feature's id, and
 * `openingHours` may be the structured form GET /api/aeds returns instead of `hours` text.
 *
 * `hours` is OSM opening_hours syntax (see opening-hours.ts); `status` is in_service (default),
 * out_of_service or removed; `timeZone` is an IANA zone, by default the one given to the importer.
 */
export interface ImportProblem {
  /** CSV: the line number in the file (the header is line 1). GeoJSON: the feature's index. */
  readonly row: number;
  readonly field?: string;
  readonly message: string;
}

export type AedImport =
  | { readonly ok: true; readonly records: AedRecord[] }
  | { readonly ok: false; readonly problems: ImportProblem[] };

export interface AedImportOptions {
  readonly source: string;
  /** The zone of rows that do not name one. */
  readonly defaultTimeZone: string;
  readonly synthetic?: boolean;
  readonly maxRecords?: number;
}

export const MAX_AEDS_PER_IMPORT = 20_000;
const ID = /^[A-Za-z0-9_.:/-]{1,64}$/;
const MAX_PROBLEMS = 100;

type Fields = Readonly<Record<string, unknown>>;

const pick = (f: Fields, names: readonly string[]): unknown => {
  for (const n of names) if (f[n] !== undefined && f[n] !== null && f[n] !== '') return f[n];
  return undefined;
};
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : undefined);

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The structured hours of GET /api/aeds, checked. */
function structuredHours(v: unknown): WeeklyHours | string {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'openingHours must be an object {always?, weekly}';
  const o = v as { always?: unknown; weekly?: unknown };
  if (o.always === true) return { always: true, weekly: {} };
  if (typeof o.weekly !== 'object' || o.weekly === null) return 'openingHours.weekly must be an object of weekdays';
  const weekly: Partial<Record<(typeof WEEKDAYS)[number], DailyWindow[]>> = {};
  for (const [day, windows] of Object.entries(o.weekly as Record<string, unknown>)) {
    const d = WEEKDAYS.find((w) => w === day);
    if (d === undefined) return `openingHours.weekly has an unknown day ${day} (use ${WEEKDAYS.join(', ')})`;
    if (!Array.isArray(windows)) return `openingHours.weekly.${day} must be a list of {from, to}`;
    const ws: DailyWindow[] = [];
    for (const w of windows as unknown[]) {
      const from = (w as { from?: unknown } | null)?.from;
      const to = (w as { to?: unknown } | null)?.to;
      if (typeof from !== 'string' || typeof to !== 'string' || !isValidWindow({ from, to })) {
        return `openingHours.weekly.${day} has a window that is not {from: "HH:MM", to: "HH:MM"}`;
      }
      ws.push({ from, to });
    }
    if (ws.length > 0) weekly[d] = ws;
  }
  return { weekly };
}

/** One entry from its fields; problems are pushed with `row`. */
function recordOf(f: Fields, row: number, options: AedImportOptions, problems: ImportProblem[], point?: [unknown, unknown]): AedRecord | undefined {
  const before = problems.length;
  const problem = (field: string, message: string) => problems.push({ row, field, message });

  const id = text(pick(f, ['id', 'ref', '@id']));
  if (id === undefined) problem('id', 'every AED needs an id');
  else if (!ID.test(id)) problem('id', `id "${id.slice(0, 80)}" must be 1-64 letters, digits or _ . : / -`);

  const placeName = text(pick(f, ['placeName', 'name', 'operator']));
  if (placeName === undefined || placeName === '') problem('placeName', 'every AED needs a place name');
  else if (placeName.length > 200) problem('placeName', 'the place name is longer than 200 characters');

  const [rawLon, rawLat] = point ?? [pick(f, ['lon', 'longitude', 'lng']), pick(f, ['lat', 'latitude'])];
  const lat = typeof rawLat === 'number' ? rawLat : Number(text(rawLat) ?? NaN);
  const lon = typeof rawLon === 'number' ? rawLon : Number(text(rawLon) ?? NaN);
  if (text(rawLat) === '' || !Number.isFinite(lat) || Math.abs(lat) > 90) problem('lat', `latitude ${String(rawLat)} is not a number in -90..90`);
  if (text(rawLon) === '' || !Number.isFinite(lon) || Math.abs(lon) > 180) problem('lon', `longitude ${String(rawLon)} is not a number in -180..180`);

  const floor = text(pick(f, ['floor', 'level']));
  if (floor !== undefined && floor.length > 50) problem('floor', 'the floor is longer than 50 characters');
  const access = text(pick(f, ['access', 'access_notes', 'accessNotes', 'defibrillator:location']));
  if (access !== undefined && access.length > 500) problem('access', 'the access notes are longer than 500 characters');

  const structured = f['openingHours'];
  const hoursText = text(pick(f, ['hours', 'opening_hours']));
  let hours: WeeklyHours | string;
  if (structured !== undefined && hoursText === undefined) hours = structuredHours(structured);
  else if (hoursText !== undefined) hours = parseOpeningHours(hoursText);
  else hours = 'opening hours are missing (write 24/7, or e.g. Mo-Fr 08:00-17:00)';
  if (typeof hours === 'string') problem('hours', hours);

  const status = text(pick(f, ['status'])) ?? 'in_service';
  if (!isAedStatus(status)) problem('status', `status "${status.slice(0, 40)}" is not in_service, out_of_service or removed`);
  const timeZone = text(pick(f, ['timeZone', 'time_zone', 'timezone'])) ?? options.defaultTimeZone;
  if (!isTimeZone(timeZone)) problem('timeZone', `"${timeZone.slice(0, 60)}" is not an IANA time zone`);

  if (problems.length > before || id === undefined || placeName === undefined || typeof hours === 'string' || !isAedStatus(status)) {
    return undefined;
  }
  return {
    id,
    location: { lat, lon },
    placeName,
    ...(floor === undefined || floor === '' ? {} : { floor }),
    ...(access === undefined || access === '' ? {} : { access }),
    hours,
    timeZone,
    status,
    source: options.source,
    synthetic: options.synthetic === true || f['synthetic'] === true || text(f['synthetic'])?.toLowerCase() === 'true',
  };
}

function finish(records: AedRecord[], problems: ImportProblem[], rowOf: (i: number) => number, options: AedImportOptions): AedImport {
  const seen = new Map<string, number>();
  records.forEach((r, i) => {
    const first = seen.get(r.id);
    if (first !== undefined) problems.push({ row: rowOf(i), field: 'id', message: `id ${r.id} appears twice (first at ${first})` });
    else seen.set(r.id, rowOf(i));
  });
  const max = options.maxRecords ?? MAX_AEDS_PER_IMPORT;
  if (records.length > max) problems.push({ row: 0, message: `a file holds at most ${max} AEDs` });
  if (problems.length > 0) return { ok: false, problems: problems.sort((a, b) => a.row - b.row).slice(0, MAX_PROBLEMS) };
  if (records.length === 0) return { ok: false, problems: [{ row: 0, message: 'the file holds no AED' }] };
  return { ok: true, records };
}

/** Reads a CSV file with a header row. */
export function importAedCsv(csv: string, options: AedImportOptions): AedImport {
  const rows = parseCsvRecords(csv);
  if (rows.length === 0) return { ok: false, problems: [{ row: 1, message: 'the file has no header row and no data rows' }] };
  const header = Object.keys(rows[0]!);
  const missing = [['id'], ['placeName', 'name'], ['lat', 'latitude'], ['lon', 'longitude', 'lng']].filter(
    (names) => !names.some((n) => header.includes(n)),
  );
  if (missing.length > 0) {
    return { ok: false, problems: [{ row: 1, message: `the header lacks the column(s) ${missing.map((m) => m[0]).join(', ')}` }] };
  }
  const problems: ImportProblem[] = [];
  const records: AedRecord[] = [];
  const lines: number[] = [];
  rows.forEach((r, i) => {
    const rec = recordOf(r, i + 2, options, problems);
    if (rec) {
      records.push(rec);
      lines.push(i + 2);
    }
  });
  return finish(records, problems, (i) => lines[i] ?? 0, options);
}

/** Reads a GeoJSON FeatureCollection of Point features (already parsed JSON). */
export function importAedGeoJson(doc: unknown, options: AedImportOptions): AedImport {
  const fc = doc as { type?: unknown; features?: unknown } | null;
  if (typeof fc !== 'object' || fc === null || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    return { ok: false, problems: [{ row: 0, message: 'expected a GeoJSON FeatureCollection with a features array' }] };
  }
  const problems: ImportProblem[] = [];
  const records: AedRecord[] = [];
  const index: number[] = [];
  (fc.features as unknown[]).forEach((raw, i) => {
    const f = raw as { type?: unknown; id?: unknown; geometry?: { type?: unknown; coordinates?: unknown } | null; properties?: unknown } | null;
    if (typeof f !== 'object' || f === null || f.type !== 'Feature') {
      problems.push({ row: i, message: 'not a GeoJSON Feature' });
      return;
    }
    const coords = f.geometry?.coordinates;
    if (f.geometry?.type !== 'Point' || !Array.isArray(coords) || coords.length < 2) {
      problems.push({ row: i, field: 'geometry', message: 'an AED is a Point with [lon, lat] coordinates' });
      return;
    }
    const props = (typeof f.properties === 'object' && f.properties !== null ? f.properties : {}) as Fields;
    const fields = props['id'] === undefined && f.id !== undefined ? { ...props, id: f.id } : props;
    const rec = recordOf(fields, i, options, problems, [coords[0], coords[1]]);
    if (rec) {
      records.push(rec);
      index.push(i);
    }
  });
  return finish(records, problems, (i) => index[i] ?? 0, options);
}
