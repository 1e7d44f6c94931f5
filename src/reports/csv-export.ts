import type { IncidentIntervals } from './intervals.ts';

/** One line of the export: whose figures (a simulation policy, `real`, or `live`) and the incident's intervals. */
export interface IntervalsRow {
  readonly policy: string;
  readonly intervals: IncidentIntervals;
}

export type CsvNames = 'samaritan' | 'neris';
export const CSV_NAMES: readonly CsvNames[] = ['samaritan', 'neris'];

type Cell = string | number | boolean | undefined;
interface Column {
  readonly name: string;
  readonly value: (row: IntervalsRow) => Cell;
}

const r = (row: IntervalsRow) => row.intervals;

/** Our own names: every interval in seconds, the receipt time in ISO 8601 (UTC). */
const SAMARITAN: readonly Column[] = [
  { name: 'policy', value: (x) => x.policy },
  { name: 'incidentId', value: (x) => r(x).incidentId },
  { name: 'receivedAt', value: (x) => isoInstant(r(x).receivedAt) },
  { name: 'nature', value: (x) => r(x).nature },
  { name: 'priority', value: (x) => r(x).priority },
  { name: 'service', value: (x) => r(x).service },
  { name: 'volunteerCall', value: (x) => r(x).volunteerCall },
  { name: 'stationArea', value: (x) => r(x).stationArea },
  { name: 'lat', value: (x) => r(x).location.lat },
  { name: 'lon', value: (x) => r(x).location.lon },
  { name: 'firstUnitId', value: (x) => r(x).firstUnitId },
  { name: 'firstUnitType', value: (x) => r(x).firstUnitType },
  { name: 'callToDispatchS', value: (x) => r(x).callToDispatchS },
  { name: 'turnoutS', value: (x) => r(x).turnoutS },
  { name: 'travelS', value: (x) => r(x).travelS },
  { name: 'firstUnitS', value: (x) => r(x).firstUnitS },
  { name: 'firstVolunteerS', value: (x) => r(x).firstVolunteerS },
  { name: 'firstHelpS', value: (x) => r(x).firstHelpS },
];

/**
 * The first unit on scene's own stamps, worked back from its arrival: on scene = received + first
 * unit; en route = on scene − travel; dispatched = en route − turnout. A stamp whose interval is
 * missing is left empty rather than guessed.
 */
function firstUnitStamps(i: IncidentIntervals): { onScene?: number; enRoute?: number; dispatched?: number } {
  if (i.firstUnitS === undefined) return {};
  const onScene = i.receivedAt + i.firstUnitS * 1000;
  if (i.travelS === undefined) return { onScene };
  const enRoute = onScene - i.travelS * 1000;
  if (i.turnoutS === undefined) return { onScene, enRoute };
  return { onScene, enRoute, dispatched: enRoute - i.turnoutS * 1000 };
}

/**
 * NERIS names (neris-framework core_schemas/modules/yml): one row per incident, its first unit on
 * scene standing for the `dispatch_unit_response` array. Datetimes are ISO 8601 in UTC with a
 * +00:00 offset and time deltas ISO 8601 durations, as the framework's formats say.
 *
 *   incident_internal_id           core_mod_incident   ← incidentId
 *   dispatch_time_call_arrival     core_mod_dispatch   ← receivedAt (the call reached the dispatch centre)
 *   dispatch_incident_code         core_mod_dispatch   ← nature (the department's own code)
 *   dispatch_point_lat/_lon        core_mod_dispatch   ← location (`dispatch_point`, a WGS84 point, split in two columns)
 *   dispatch_time_alarm_processing core_mod_dispatch   ← callToDispatchS (call arrival → first unit dispatched)
 *   unit_id_reported               mod_unit_response   ← firstUnitId (our designation, not a NERIS unit id)
 *   time_dispatch                  mod_unit_response   ← the first unit on scene's dispatch
 *   time_enroute_to_scene          mod_unit_response   ← its departure
 *   time_on_scene                  mod_unit_response   ← its arrival (received + firstUnitS)
 *   time_turnout                   mod_unit_response   ← turnoutS
 *   time_travel                    mod_unit_response   ← travelS
 *
 * NERIS has no field for the rest; they follow with a `samaritan_` prefix so an importer can tell
 * them apart: the policy, priority, service, volunteer call, station area, unit type, and the first
 * volunteer's and first help's delays (durations from the call's arrival).
 */
const NERIS: readonly Column[] = [
  { name: 'samaritan_policy', value: (x) => x.policy },
  { name: 'incident_internal_id', value: (x) => r(x).incidentId },
  { name: 'dispatch_time_call_arrival', value: (x) => isoInstant(r(x).receivedAt) },
  { name: 'dispatch_incident_code', value: (x) => r(x).nature },
  { name: 'dispatch_point_lat', value: (x) => r(x).location.lat },
  { name: 'dispatch_point_lon', value: (x) => r(x).location.lon },
  { name: 'dispatch_time_alarm_processing', value: (x) => isoDuration(r(x).callToDispatchS) },
  { name: 'unit_id_reported', value: (x) => r(x).firstUnitId },
  { name: 'time_dispatch', value: (x) => isoInstant(firstUnitStamps(r(x)).dispatched) },
  { name: 'time_enroute_to_scene', value: (x) => isoInstant(firstUnitStamps(r(x)).enRoute) },
  { name: 'time_on_scene', value: (x) => isoInstant(firstUnitStamps(r(x)).onScene) },
  { name: 'time_turnout', value: (x) => isoDuration(r(x).turnoutS) },
  { name: 'time_travel', value: (x) => isoDuration(r(x).travelS) },
  { name: 'samaritan_priority', value: (x) => r(x).priority },
  { name: 'samaritan_service', value: (x) => r(x).service },
  { name: 'samaritan_volunteer_call', value: (x) => r(x).volunteerCall },
  { name: 'samaritan_station_area', value: (x) => r(x).stationArea },
  { name: 'samaritan_unit_type', value: (x) => r(x).firstUnitType },
  { name: 'samaritan_first_volunteer', value: (x) => isoDuration(r(x).firstVolunteerS) },
  { name: 'samaritan_first_help', value: (x) => isoDuration(r(x).firstHelpS) },
];

/** The header row of an export, without its line end. */
export function intervalsCsvHeader(names: CsvNames): string {
  return (names === 'neris' ? NERIS : SAMARITAN).map((c) => c.name).join(',');
}

/** Per-incident intervals as CSV (RFC 4180: comma separated, CRLF line ends, a header row). */
export function intervalsCsv(rows: readonly IntervalsRow[], names: CsvNames): string {
  const columns = names === 'neris' ? NERIS : SAMARITAN;
  const lines = [intervalsCsvHeader(names)];
  for (const row of rows) lines.push(columns.map((c) => cell(c.value(row))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

function cell(v: Cell): string {
  if (v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(Math.round(v * 1000) / 1000) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  // A spreadsheet runs a cell that starts with = + - @ as a formula: text never starts so here
  // (a negative number or duration of our own may).
  const text = /^[=+@\t\r]|^-(?![\dP])/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Epoch ms as ISO 8601 in UTC with the +00:00 offset NERIS shows; milliseconds only when there are some. */
export function isoInstant(ms: number | undefined): string | undefined {
  if (ms === undefined || !Number.isFinite(ms)) return undefined;
  const iso = new Date(Math.round(ms)).toISOString().replace('Z', '+00:00');
  return iso.replace('.000+', '+');
}

/** Seconds as an ISO 8601 duration (PT1H2M3S; PT0S for none; fractions kept to the millisecond). */
export function isoDuration(s: number | undefined): string | undefined {
  if (s === undefined || !Number.isFinite(s)) return undefined;
  const sign = s < 0 ? '-' : '';
  const ms = Math.round(Math.abs(s) * 1000);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const rest = (ms % 60_000) / 1000;
  const parts = `${h > 0 ? `${h}H` : ''}${m > 0 ? `${m}M` : ''}${rest > 0 || (h === 0 && m === 0) ? `${rest}S` : ''}`;
  return `${sign}PT${parts}`;
}
