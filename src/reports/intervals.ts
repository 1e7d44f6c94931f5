import type { LatLon } from '../core/lat-lon.ts';

/**
 * One incident's response intervals, in seconds, the way NFPA 1710 measures them. The same record
 * describes a real incident (from its recorded times), a simulated one, and a live one from the log,
 * so every report and chart reads one shape. An interval is absent when its ends were not recorded
 * (a call cancelled before any unit arrived has no travel).
 */
export interface IncidentIntervals {
  readonly incidentId: string;
  /** Epoch ms. */
  readonly receivedAt: number;
  readonly location: LatLon;
  /** The first-due station area, when known (DataSF `Station Area`; live: the nearest station). */
  readonly stationArea: string | undefined;
  readonly nature: string;
  readonly priority: number;
  /** Which turnout objective applies: 60 s for EMS, 80 s for fire and special operations. */
  readonly service: 'ems' | 'fire';
  /** A call of the kind volunteers are alerted for (the policy's natures, or the scenario's choice). */
  readonly volunteerCall: boolean;
  /** Received → first unit dispatched (alarm processing). */
  readonly callToDispatchS?: number;
  /** The first unit on scene: dispatched → en route. */
  readonly turnoutS?: number;
  /** The first unit on scene: en route → on scene. */
  readonly travelS?: number;
  /** Received → first unit on scene. */
  readonly firstUnitS?: number;
  /** Received → first volunteer on scene. */
  readonly firstVolunteerS?: number;
  /** Received → first help on scene: a volunteer or a unit, whichever came first. */
  readonly firstHelpS?: number;
  readonly firstUnitId?: string;
  readonly firstUnitType?: string;
}

/** The measures the reports give for each interval. */
export const INTERVALS = ['callToDispatchS', 'turnoutS', 'travelS', 'firstUnitS', 'firstHelpS'] as const;
export type IntervalName = (typeof INTERVALS)[number];

export interface Distribution {
  readonly n: number;
  readonly medianS: number | null;
  readonly p90S: number | null;
}

/** The q-quantile (0..1) of ascending values, linear between closest ranks; null when empty. */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const pos = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

const ascending = (values: Iterable<number>): number[] => [...values].sort((a, b) => a - b);

export function distribution(values: Iterable<number>): Distribution {
  const sorted = ascending(values);
  return { n: sorted.length, medianS: round1(quantile(sorted, 0.5)), p90S: round1(quantile(sorted, 0.9)) };
}

/** Values of one interval over the records that have it. */
export function valuesOf(records: readonly IncidentIntervals[], name: IntervalName): number[] {
  const out: number[] = [];
  for (const r of records) {
    const v = r[name];
    if (v !== undefined) out.push(v);
  }
  return out;
}

/**
 * Mean absolute error per incident between simulated and real values of one interval, over the
 * incidents that have it on both sides (matched by id).
 */
export function meanAbsoluteError(simulated: readonly IncidentIntervals[], real: readonly IncidentIntervals[], name: IntervalName): { n: number; meanAbsErrorS: number | null } {
  const realById = new Map(real.map((r) => [r.incidentId, r[name]]));
  let n = 0;
  let sum = 0;
  for (const s of simulated) {
    const a = s[name];
    const b = realById.get(s.incidentId);
    if (a === undefined || b === undefined) continue;
    n++;
    sum += Math.abs(a - b);
  }
  return { n, meanAbsErrorS: n === 0 ? null : round1(sum / n) };
}

/** Thresholds of NFPA 1710 (and 1221 for alarm processing); every one can be set otherwise. */
export interface NfpaThresholds {
  readonly callToDispatchS: number;
  readonly turnoutEmsS: number;
  readonly turnoutFireS: number;
  readonly travelS: number;
}

export const NFPA_1710: NfpaThresholds = { callToDispatchS: 64, turnoutEmsS: 60, turnoutFireS: 80, travelS: 240 };

export interface Compliance {
  /** Share (0..1) of the incidents that have the interval and are within its threshold; null when none has it. */
  readonly callToDispatch: number | null;
  readonly turnout: number | null;
  readonly travel: number | null;
  readonly n: { readonly callToDispatch: number; readonly turnout: number; readonly travel: number };
}

export function compliance(records: readonly IncidentIntervals[], t: NfpaThresholds = NFPA_1710): Compliance {
  const share = (pick: (r: IncidentIntervals) => [number | undefined, number]) => {
    let n = 0;
    let within = 0;
    for (const r of records) {
      const [v, limit] = pick(r);
      if (v === undefined) continue;
      n++;
      if (v <= limit) within++;
    }
    return { n, share: n === 0 ? null : round4(within / n) };
  };
  const c = share((r) => [r.callToDispatchS, t.callToDispatchS]);
  const o = share((r) => [r.turnoutS, r.service === 'ems' ? t.turnoutEmsS : t.turnoutFireS]);
  const v = share((r) => [r.travelS, t.travelS]);
  return { callToDispatch: c.share, turnout: o.share, travel: v.share, n: { callToDispatch: c.n, turnout: o.n, travel: v.n } };
}

const round1 = (x: number | null): number | null => (x === null ? null : Math.round(x * 10) / 10);
const round4 = (x: number): number => Math.round(x * 10_000) / 10_000;
