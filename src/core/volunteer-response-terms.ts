/**
 * The terms a volunteer response is told in: its statuses, why alerts are withdrawn, why a wave
 * stopped, and the candidates ranked and refused. Both the event catalogue (events.ts) and the
 * response's state (volunteer-response.ts) use them, so they live here, apart from either.
 */
export type ResponseStatus = 'alerting' | 'complete' | 'stood_down';

/** Why alerts are withdrawn. The first four are a StandDownVolunteers command's reasons. */
export const STAND_DOWN_REASONS = ['enough_accepted', 'first_unit_on_scene', 'incident_cancelled', 'incident_resolved'] as const;
export type StandDownCommandReason = (typeof STAND_DOWN_REASONS)[number];
export type StandDownReason = StandDownCommandReason | 'volunteer_withdrew' | 'no_role_left';

/** Why a wave stopped where it did. */
export type WaveStop = 'target_reached' | 'wave_full' | 'no_candidate_left' | 'beyond_first_unit';

/** A candidate as ranked when the response started: walking time to the scene on the road network (s). */
export interface RankedCandidate {
  readonly volunteerId: string;
  readonly etaS: number;
}

/** A candidate the policy refused when a wave went out, with the rule and the reason. */
export interface Suppression {
  readonly volunteerId: string;
  readonly rule: string;
  readonly reason: string;
}
