import type { LatLon } from '../core/lat-lon.ts';
import type { IncidentIntervals } from '../reports/intervals.ts';
import { dataSfPriority, dataSfUnitType, parseDataSfLocation } from '../interop/datasf-calls.ts';
import { parseDataSfTime } from '../interop/datasf-time.ts';
import { DEMO_TIME_ZONE, utcOffsetMinAt } from '../time/time-zone.ts';

/** One unit on one real call, as the replay needs it: when it was sent and how long it stayed. */
export interface SimUnitRow {
  readonly unitId: string;
  /** Ours (config/unit-types.json), mapped as the calls import maps DataSF's. */
  readonly unitType: string;
  /** This row's Dispatch − the call's first Dispatch (≥ 0): second and later units go later. */
  readonly dispatchOffsetS: number;
  /** Whether the unit reached the scene (has On Scene). */
  readonly arrived: boolean;
  /** On Scene → Available: how long the unit stays busy after it arrives. */
  readonly busyAfterArrivalS?: number;
  /** A unit that never arrived: Dispatch → Available (or → Response when it has no Available). */
  readonly cancelledAfterS?: number;
  readonly transported: boolean;
  readonly real: { readonly turnoutS?: number; readonly travelS?: number };
}

/** One real incident to replay, with its units in dispatch order and its real intervals. */
export interface SimCall {
  readonly incidentId: string;
  /** Epoch ms. */
  readonly receivedAt: number;
  /** Local hour (America/Los_Angeles), 0..23, of receivedAt. */
  readonly hour: number;
  readonly location: LatLon;
  readonly stationArea?: string;
  readonly nature: string;
  /** DataSF `Call Type`, as written. */
  readonly callType: string;
  /** Ours, 1..3. */
  readonly priority: number;
  readonly service: 'ems' | 'fire';
  readonly volunteerCall: boolean;
  readonly rows: readonly SimUnitRow[];
  readonly real: IncidentIntervals;
}

export interface VolunteerCalls {
  readonly callTypes: readonly string[];
  /** DataSF `Priority` values, as written ("3" is emergency). */
  readonly priorities: readonly string[];
}

/** DataSF has no cardiac arrest type: emergency medical calls stand for the calls volunteers answer. */
export const DEFAULT_VOLUNTEER_CALLS: VolunteerCalls = { callTypes: ['Medical Incident'], priorities: ['3'] };

const MEDICAL_NATURES = new Set(['medical', 'cardiac_arrest', 'choking']);
/** Longer than any real interval of a response: a difference past it is a recording error, not a time. */
const ABSURD_S = 2 * 3600;
/** Units do stay for hours at a large fire; a day is past anything real. */
const ABSURD_BUSY_S = 24 * 3600;

/** `to − from` in seconds, or undefined when an end is missing, the difference negative or absurd. */
function seconds(from: number | undefined, to: number | undefined, max = ABSURD_S): number | undefined {
  if (from === undefined || to === undefined) return undefined;
  const s = (to - from) / 1000;
  return s < 0 || s > max ? undefined : s;
}

export function localHour(epochMs: number, timeZone: string = DEMO_TIME_ZONE): number {
  const local = epochMs + utcOffsetMinAt(timeZone, epochMs) * 60_000;
  return Math.floor((((local / 3_600_000) % 24) + 24) % 24);
}

interface Stamped {
  readonly index: number;
  readonly r: Record<string, string>;
  readonly dispatch: number | undefined;
  readonly response: number | undefined;
  readonly onScene: number | undefined;
  readonly available: number | undefined;
  readonly transport: number | undefined;
  readonly received: number;
  readonly sequence: number;
}

/** Dispatch order: Dispatch DtTm, then DataSF's own unit sequence, then file order; undispatched rows last. */
function byDispatch(a: Stamped, b: Stamped): number {
  if (a.dispatch !== b.dispatch) {
    if (a.dispatch === undefined) return 1;
    if (b.dispatch === undefined) return -1;
    return a.dispatch - b.dispatch;
  }
  return a.sequence - b.sequence || a.index - b.index;
}

function unitRow(s: Stamped, firstDispatch: number): SimUnitRow {
  const turnoutS = seconds(s.dispatch, s.response);
  const travelS = seconds(s.response, s.onScene);
  const arrived = s.onScene !== undefined;
  const busyAfterArrivalS = arrived ? seconds(s.onScene, s.available, ABSURD_BUSY_S) : undefined;
  const cancelledAfterS = arrived ? undefined : seconds(s.dispatch, s.available ?? s.response, ABSURD_BUSY_S);
  return {
    unitId: s.r['Unit ID']!,
    unitType: dataSfUnitType(s.r['Unit Type']),
    dispatchOffsetS: (s.dispatch! - firstDispatch) / 1000,
    arrived,
    ...(busyAfterArrivalS !== undefined ? { busyAfterArrivalS } : {}),
    ...(cancelledAfterS !== undefined ? { cancelledAfterS } : {}),
    transported: s.transport !== undefined,
    real: { ...(turnoutS !== undefined ? { turnoutS } : {}), ...(travelS !== undefined ? { travelS } : {}) },
  };
}

/** The real intervals, from the data's own stamps, as plan-wide definitions say (first unit = earliest On Scene). */
function realIntervals(head: Omit<IncidentIntervals, 'callToDispatchS' | 'turnoutS' | 'travelS' | 'firstUnitS' | 'firstHelpS'>, rows: readonly Stamped[], firstDispatch: number | undefined): IncidentIntervals {
  let first: Stamped | undefined;
  for (const s of rows) if (s.onScene !== undefined && (first === undefined || s.onScene < first.onScene!)) first = s;
  const received = head.receivedAt;
  const callToDispatchS = seconds(received, firstDispatch);
  const turnoutS = first ? seconds(first.dispatch, first.response) : undefined;
  const travelS = first ? seconds(first.response, first.onScene) : undefined;
  const firstUnitS = first ? seconds(received, first.onScene) : undefined;
  return {
    ...head,
    ...(callToDispatchS !== undefined ? { callToDispatchS } : {}),
    ...(turnoutS !== undefined ? { turnoutS } : {}),
    ...(travelS !== undefined ? { travelS } : {}),
    ...(firstUnitS !== undefined ? { firstUnitS, firstHelpS: firstUnitS } : {}),
    ...(first ? { firstUnitId: first.r['Unit ID']!, firstUnitType: dataSfUnitType(first.r['Unit Type']) } : {}),
  };
}

/**
 * Groups DataSF "Calls for Service" rows (one per unit on a call) into the incidents to replay, by
 * `Incident Number`, in received order. The file's rows are not sorted and its times are local
 * San Francisco time; a row without a Dispatch stamp is left out of the units (the incident stays).
 * A row without an Incident Number, Unit ID or readable Received stamp, or an incident without a
 * readable Location, is rejected with why (1-based data row numbers).
 */
export function readSimCalls(
  records: readonly Record<string, string>[],
  callTypes: Readonly<Record<string, string>>,
  volunteerCalls: VolunteerCalls = DEFAULT_VOLUNTEER_CALLS,
): { calls: SimCall[]; rejected: { row: number; reason: string }[] } {
  const rejected: { row: number; reason: string }[] = [];
  const groups = new Map<string, Stamped[]>();
  const t = (s: string | undefined) => (s ? parseDataSfTime(s) : undefined);
  records.forEach((r, index) => {
    const incident = r['Incident Number'];
    const received = t(r['Received DtTm']);
    if (!incident || !r['Unit ID'] || received === undefined) {
      rejected.push({ row: index + 1, reason: 'missing Incident Number or Unit ID, or unreadable Received DtTm' });
      return;
    }
    const sequence = Number(r['Unit sequence in call dispatch']);
    const stamped: Stamped = {
      index,
      r,
      received,
      dispatch: t(r['Dispatch DtTm']),
      response: t(r['Response DtTm']),
      onScene: t(r['On Scene DtTm']),
      available: t(r['Available DtTm']),
      transport: t(r['Transport DtTm']),
      sequence: Number.isFinite(sequence) ? sequence : Number.MAX_SAFE_INTEGER,
    };
    const g = groups.get(incident);
    if (g) g.push(stamped);
    else groups.set(incident, [stamped]);
  });

  const volunteerTypes = new Set(volunteerCalls.callTypes);
  const volunteerPriorities = new Set(volunteerCalls.priorities);
  const calls: SimCall[] = [];
  for (const [incident, group] of groups) {
    group.sort(byDispatch);
    const head = group[0]!;
    const location = parseDataSfLocation(group.find((s) => parseDataSfLocation(s.r['Location']))?.r['Location']);
    if (!location) {
      rejected.push({ row: head.index + 1, reason: `incident ${incident}: unreadable Location` });
      continue;
    }
    const receivedAt = Math.min(...group.map((s) => s.received));
    const callType = head.r['Call Type'] ?? '';
    const nature = callTypes[callType] ?? 'other';
    const rawPriority = head.r['Priority'] ?? '';
    const priority = dataSfPriority(rawPriority);
    const service = callType === 'Medical Incident' || MEDICAL_NATURES.has(nature) ? 'ems' : 'fire';
    const volunteerCall = volunteerTypes.has(callType) && volunteerPriorities.has(rawPriority);
    const stationArea = head.r['Station Area'] || undefined;
    const incidentId = `SF-${incident}`;
    const dispatched = group.filter((s) => s.dispatch !== undefined);
    const firstDispatch = dispatched[0]?.dispatch;
    const real = realIntervals({ incidentId, receivedAt, location, stationArea, nature, priority, service, volunteerCall }, group, firstDispatch);
    calls.push({
      incidentId,
      receivedAt,
      hour: localHour(receivedAt),
      location,
      ...(stationArea !== undefined ? { stationArea } : {}),
      nature,
      callType,
      priority,
      service,
      volunteerCall,
      rows: dispatched.map((s) => unitRow(s, firstDispatch!)),
      real,
    });
  }
  calls.sort((a, b) => a.receivedAt - b.receivedAt || (a.incidentId < b.incidentId ? -1 : a.incidentId > b.incidentId ? 1 : 0));
  return { calls, rejected };
}
