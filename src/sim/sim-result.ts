import type { LatLon } from '../core/lat-lon.ts';
import type { Compliance, Distribution, IncidentIntervals, IntervalName, NfpaThresholds } from '../reports/intervals.ts';
import type { LateCell } from '../reports/late-grid.ts';

/** The dispatch policies a replay compares; names are a stable contract of `--json`. */
export const POLICY_NAMES = ['straight_line', 'routed', 'routed_volunteers'] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];

/** A cell where recruiting volunteers was tried by re-running with more of them there. */
export interface RecruitmentGain {
  readonly row: number;
  readonly col: number;
  readonly centre: LatLon;
  /** Volunteers added in the cell for the re-run. */
  readonly volunteersAdded: number;
  /** Total minutes of time to first help saved over the replay's volunteer calls (re-run against base). */
  readonly minutesSaved: number;
  readonly firstHelpMedianBeforeS: number | null;
  readonly firstHelpMedianAfterS: number | null;
}

/**
 * A policy's figures for the JSON, tallied as the replay went, when it kept no per-incident record
 * (`keepIncidents: false`, a synthetic year): the same numbers the records would give.
 */
export interface PolicySummary {
  readonly incidents: number;
  readonly volunteerCalls: number;
  /** Volunteer calls where a volunteer arrived before the first unit. */
  readonly volunteerFirst: number;
  /** First help over the volunteer calls. */
  readonly firstHelpVolunteerCalls: Distribution;
  /** Each interval's distribution, with its mean absolute error against the real incidents when these were kept. */
  readonly intervals: Readonly<Record<IntervalName, Distribution & { readonly meanAbsErrorS?: number | null }>>;
  readonly compliance: Compliance;
}

export interface PolicyResult {
  readonly name: PolicyName;
  /** Per incident, in receivedAt order; empty when the replay kept none (see `summary`). */
  readonly incidents: readonly IncidentIntervals[];
  /** Present when the replay kept no per-incident record: what the JSON gives instead of reading `incidents`. */
  readonly summary?: PolicySummary;
  /** Busy seconds over the replayed span, per unit id (0..1). */
  readonly utilisation: Readonly<Record<string, number>>;
  readonly grid: readonly LateCell[];
  /** Volunteer alerts sent, accepted, and volunteers who arrived (0 without volunteers). */
  readonly volunteers: { readonly alerted: number; readonly accepted: number; readonly arrived: number };
  /** Rows of real calls that no unit of their type could fill (every one busy elsewhere, or none in the fleet). */
  readonly shortfalls?: number;
  /** Commands the core refused during the replay, by `Command:Code`, with the first message (a bug in the sim if any). */
  readonly rejections?: Readonly<Record<string, { readonly count: number; readonly example: string }>>;
}

/** One interval simulated against real, over the incidents that have it on both sides (seconds, one decimal). */
export interface PairFigures {
  readonly n: number;
  readonly simMedianS: number | null;
  readonly realMedianS: number | null;
  readonly medianAbsErrorS: number | null;
  readonly meanAbsErrorS: number | null;
}

/** Simulated (under `routed`) against real first-unit travel, over the incidents that have it on both sides. */
export interface Fidelity {
  readonly n: number;
  readonly simFirstUnitTravelMedianS: number | null;
  readonly realFirstUnitTravelMedianS: number | null;
  /** The median of the per-incident absolute errors. */
  readonly firstUnitTravelMedianAbsErrorS: number | null;
  /** The mean of the per-incident absolute errors. */
  readonly firstUnitTravelMeanAbsErrorS: number | null;
  /** First unit on scene, received → on scene: where turnout, alarm processing and dispatch order show. */
  readonly firstUnit?: PairFigures;
  /** Both, by our priority ("1" emergency). */
  readonly byPriority?: Readonly<Record<string, { readonly travel: PairFigures; readonly firstUnit: PairFigures }>>;
}

/** Everything one replay found; the JSON, HTML and CSV outputs are views of it. */
export interface SimResult {
  readonly seed: number;
  readonly callsFile: string;
  readonly scenarioName: string;
  readonly thresholds: NfpaThresholds;
  /** First and last receivedAt replayed (epoch ms). */
  readonly span: { readonly from: number; readonly to: number };
  /** The real incidents, from the data's own timestamps (empty when the replay kept none: see `realSummary`). */
  readonly real: readonly IncidentIntervals[];
  /** The real incidents' figures, tallied, when the replay kept no per-incident record. */
  readonly realSummary?: PolicySummary;
  readonly policies: readonly PolicyResult[];
  /** Under routed_volunteers: the cells where more volunteers would save the most minutes. */
  readonly recruitment: readonly RecruitmentGain[];
  readonly distributions?: Readonly<Record<string, Distribution>>;
  /** Set by the replay (also when per-incident records are not kept); absent without a `routed` run. */
  readonly fidelity?: Fidelity;
  /** Incidents replayed (distinct incident numbers). */
  readonly count?: number;
  /** Why recruitment was not measured, when it was not. */
  readonly recruitmentSkipped?: string;
  /** Travel over the road's drive time by our priority, fitted to the data (see travel-factors.ts). */
  readonly travelFactorByPriority?: Readonly<Record<string, number>>;
  /** The parts of a real response the replay modelled (the scenario's `model`). */
  readonly model?: Readonly<Record<string, boolean>>;
}
