import { compliance, distribution, meanAbsoluteError, quantile, valuesOf, type Compliance, type Distribution, type IncidentIntervals, type IntervalName, type NfpaThresholds } from '../reports/intervals.ts';
import type { PolicyName, PolicyResult } from './sim-result.ts';

/** What a planner calls each policy; the JSON's names stay beside them in the report. */
export const POLICY_LABELS: Readonly<Record<PolicyName, string>> = {
  straight_line: 'Straight-line nearest',
  routed: 'Routed nearest',
  routed_volunteers: 'Routed nearest + volunteers',
};

/** The figures of one source of incidents (a policy's replay, or the real incidents). */
export interface SourceFigures {
  /** Received → first help, over the calls volunteers are alerted for. */
  readonly firstHelp: Distribution;
  readonly firstUnit: Distribution;
  readonly travel: Distribution;
  /** Share of the volunteer calls where a volunteer arrived before the first unit. */
  readonly volunteerFirstShare: number | null;
  readonly nfpa: Compliance;
  readonly volunteerCalls: number;
}

export function sourceFigures(incidents: readonly IncidentIntervals[], thresholds: NfpaThresholds): SourceFigures {
  const volunteerCalls = incidents.filter((r) => r.volunteerCall);
  const first = volunteerCalls.filter((r) => r.firstVolunteerS !== undefined && (r.firstUnitS === undefined || r.firstVolunteerS < r.firstUnitS)).length;
  return {
    firstHelp: distribution(valuesOf(volunteerCalls, 'firstHelpS')),
    firstUnit: distribution(valuesOf(incidents, 'firstUnitS')),
    travel: distribution(valuesOf(incidents, 'travelS')),
    volunteerFirstShare: volunteerCalls.length === 0 ? null : Math.round((first / volunteerCalls.length) * 10_000) / 10_000,
    nfpa: compliance(incidents, thresholds),
    volunteerCalls: volunteerCalls.length,
  };
}

/** Busy share of the replayed span per unit: the median unit and the busiest. */
export function utilisationSummary(p: PolicyResult): { units: number; median: number | null; max: number | null; busiest: string | undefined } {
  const entries = Object.entries(p.utilisation).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  const sorted = entries.map(([, v]) => v).sort((a, b) => a - b);
  return { units: entries.length, median: quantile(sorted, 0.5), max: sorted.length ? sorted[sorted.length - 1]! : null, busiest: entries[0]?.[0] };
}

export interface FidelityRow {
  readonly name: IntervalName;
  readonly label: string;
  readonly simulated: Distribution;
  readonly real: Distribution;
  readonly meanAbsError: { readonly n: number; readonly meanAbsErrorS: number | null };
}

const FIDELITY_INTERVALS: readonly [IntervalName, string][] = [
  ['callToDispatchS', 'Call → dispatch (alarm processing)'],
  ['turnoutS', 'Turnout (first unit on scene)'],
  ['travelS', 'Travel (first unit on scene)'],
  ['firstUnitS', 'Call → first unit on scene'],
];

/** Simulated against real, interval by interval, over the incidents that have each. */
export function fidelityRows(simulated: readonly IncidentIntervals[], real: readonly IncidentIntervals[]): FidelityRow[] {
  return FIDELITY_INTERVALS.map(([name, label]) => ({
    name,
    label,
    simulated: distribution(valuesOf(simulated, name)),
    real: distribution(valuesOf(real, name)),
    meanAbsError: meanAbsoluteError(simulated, real, name),
  }));
}

/**
 * NFPA 1710's total for a medical call's first unit, as a reference line on the time to first
 * help: alarm processing, EMS turnout and travel, each at its objective.
 */
export function firstHelpReferenceS(t: NfpaThresholds): number {
  return t.callToDispatchS + t.turnoutEmsS + t.travelS;
}
