import type { Eligibility } from './eligibility.ts';
import { epochMs, isoAt, type EpochMs } from './ids.ts';
import type { WaveParameters } from './volunteer-policy.ts';
import { alertsOf, type RankedCandidate, type ResponseState, type Suppression, type WaveStop } from './volunteer-response.ts';

/**
 * The arithmetic of alert waves, apart from events: who the next wave alerts, how many volunteers
 * are expected before the first unit, and whether another wave is due.
 *
 * A volunteer's arrival is the moment they were alerted plus their walking time; they count toward
 * the target only when that is before the first unit is due (always, when no unit is known). An
 * accepted volunteer counts 1, an open alert its acceptance probability, anything else 0.
 */

/** Sums of probabilities are compared with this slack, so that 10 × 0.2 reaches 2. */
const EPSILON = 1e-9;
export const reached = (expected: number, target: number): boolean => expected >= target - EPSILON;

/** Beta-smoothed acceptance probability: (accepted + prior × weight) / (alerted + weight), in 0..1. */
export function acceptanceProbability(history: { alerted: number; accepted: number }, w: WaveParameters): number {
  const denominator = history.alerted + w.priorWeight;
  if (denominator <= 0) return w.acceptancePrior;
  const p = (history.accepted + w.acceptancePrior * w.priorWeight) / denominator;
  return Math.min(1, Math.max(0, p));
}

const dueAtMs = (s: ResponseState): number | undefined =>
  s.firstUnitDueAt === undefined ? undefined : Date.parse(s.firstUnitDueAt);

/** Whether someone alerted at `alertedAt` (epoch ms) walking `etaS` seconds arrives before the first unit. */
export function arrivesBeforeFirstUnit(s: ResponseState, alertedAt: number, etaS: number): boolean {
  const due = dueAtMs(s);
  return due === undefined || alertedAt + etaS * 1000 < due;
}

/** The number of volunteers expected to arrive before the first unit, from the alerts so far. */
export function expectedArrivals(s: ResponseState): number {
  let sum = 0;
  for (const a of alertsOf(s)) {
    if (!arrivesBeforeFirstUnit(s, Date.parse(a.alertedAt), a.etaS)) continue;
    if (a.status === 'accepted') sum += 1;
    else if (a.status === 'open') sum += a.acceptanceProbability;
  }
  return sum;
}

/** Candidates of the ranking not alerted yet, in ranking order. */
export function unalerted(s: ResponseState): RankedCandidate[] {
  const alerted = new Set(alertsOf(s).map((a) => a.volunteerId));
  return s.candidates.filter((c) => !alerted.has(c.volunteerId));
}

/**
 * Ranks candidates by walking time (ties by id), one entry per volunteer (their fastest), and cuts
 * the ranking at the maximum walking time and the candidate count.
 */
export function rankCandidates(
  given: readonly RankedCandidate[],
  w: WaveParameters,
): { ranked: RankedCandidate[]; beyondReach: number } {
  const best = new Map<string, RankedCandidate>();
  for (const c of given) {
    const prior = best.get(c.volunteerId);
    if (prior === undefined || c.etaS < prior.etaS) best.set(c.volunteerId, { volunteerId: c.volunteerId, etaS: c.etaS });
  }
  const sorted = [...best.values()].sort((a, b) => a.etaS - b.etaS || a.volunteerId.localeCompare(b.volunteerId));
  const ranked = sorted.filter((c) => c.etaS <= w.maxWalkingS).slice(0, w.maxCandidates);
  return { ranked, beyondReach: sorted.length - ranked.length };
}

export interface WavePick {
  readonly candidate: RankedCandidate;
  readonly eligibility: Extract<Eligibility, { eligible: true }>;
  readonly acceptanceProbability: number;
}

export interface WavePlan {
  readonly picks: readonly WavePick[];
  readonly suppressed: readonly Suppression[];
  readonly expectedArrivals: number;
  readonly stop: WaveStop;
}

/** What a wave needs to know of one candidate when it goes out: the policy's answer and their history. */
export type CandidateCheck = (volunteerId: string) => { eligibility: Eligibility; acceptanceProbability: number };

/**
 * Walks down the ranking from the best candidate not alerted yet. The ineligible are suppressed
 * (and recorded); the eligible are alerted until the wave is full or the expected arrivals reach
 * the target. Wave 1 alerts the best few whatever the first unit's ETA, as the ETA is an estimate;
 * later waves only reach candidates who could still arrive before the first unit, since alerting
 * anyone else cannot raise the expected arrivals the waves are for.
 */
export function planWave(s: ResponseState, wave: number, now: EpochMs, check: CandidateCheck): WavePlan {
  const w = s.waves;
  let expected = expectedArrivals(s);
  const picks: WavePick[] = [];
  const suppressed: Suppression[] = [];
  const finish = (stop: WaveStop): WavePlan => ({ picks, suppressed, expectedArrivals: expected, stop });
  for (const candidate of unalerted(s)) {
    if (reached(expected, w.targetArrivals)) return finish('target_reached');
    if (picks.length >= w.maxAlertsPerWave) return finish('wave_full');
    const beats = arrivesBeforeFirstUnit(s, now, candidate.etaS);
    if (wave > 1 && !beats) return finish('beyond_first_unit');
    const { eligibility, acceptanceProbability } = check(candidate.volunteerId);
    if (!eligibility.eligible) {
      suppressed.push({ volunteerId: candidate.volunteerId, rule: eligibility.rule, reason: eligibility.reason });
      continue;
    }
    picks.push({ candidate, eligibility, acceptanceProbability });
    if (beats) expected += acceptanceProbability;
  }
  return finish(reached(expected, w.targetArrivals) ? 'target_reached' : 'no_candidate_left');
}

export type ScheduleChange =
  | {
      readonly kind: 'schedule';
      readonly wave: number;
      readonly dueAt: string;
      readonly expected: number;
      readonly reason: string;
    }
  | { readonly kind: 'cancel'; readonly wave: number; readonly reason: string };

const fmt = (n: number): string => n.toFixed(2).replace(/\.?0+$/, '');

/**
 * Whether the next wave should be scheduled or a scheduled one cancelled, for the response as it
 * now stands. A wave is scheduled while the response is alerting, the expected arrivals are short
 * of the target, and some candidate not yet alerted (and not just refused) could still beat the
 * first unit; it is due one interval after the last wave, and never before `now`.
 */
export function reviewSchedule(
  s: ResponseState,
  now: EpochMs,
  justSuppressed: ReadonlySet<string> = new Set(),
): ScheduleChange | undefined {
  const w = s.waves;
  const expected = expectedArrivals(s);
  const next = s.nextWave;
  if (s.status !== 'alerting') {
    return next === undefined
      ? undefined
      : { kind: 'cancel', wave: next.wave, reason: `the volunteer response is ${s.status.replace('_', ' ')}` };
  }
  if (reached(expected, w.targetArrivals)) {
    const reason = `target reached: ${fmt(expected)} volunteers expected before the first unit (target ${w.targetArrivals})`;
    return next === undefined ? undefined : { kind: 'cancel', wave: next.wave, reason };
  }
  if (next !== undefined) return undefined;
  const dueAt = epochMs(Math.max(now, Date.parse(s.lastWaveAt) + w.waveIntervalS * 1000));
  const left = unalerted(s).filter((c) => !justSuppressed.has(c.volunteerId));
  const reachable = left.filter((c) => arrivesBeforeFirstUnit(s, dueAt, c.etaS));
  if (reachable.length === 0) return undefined;
  return {
    kind: 'schedule',
    wave: s.wave + 1,
    dueAt: isoAt(dueAt),
    expected,
    reason:
      `${fmt(expected)} of ${w.targetArrivals} volunteers expected before the first unit; ` +
      `${reachable.length} candidate${reachable.length === 1 ? '' : 's'} not yet alerted could still beat it`,
  };
}
