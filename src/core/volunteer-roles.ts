import { aedUnusable, waypointOf, type AedOption, type AedWaypoint } from './aed.ts';
import { cprQualification } from './eligibility.ts';
import type { EpochMs } from './ids.ts';
import { formatDuration } from './recommend.ts';
import type { VolunteerRole } from './response-plan.ts';
import type { VolunteerState } from './volunteer.ts';
import type { VolunteerPolicy } from './volunteer-policy.ts';

/**
 * Which role a volunteer gets when they accept. Wanted roles are filled in the order the policy
 * lists them (cpr, fetch_aed, meet_crew for a cardiac arrest):
 * - `cpr` only goes to a CPR-qualified volunteer (verified, unexpired): they go straight to the patient;
 * - `fetch_aed` goes via the AED with the fastest walk volunteer → AED → scene among those in
 *   service and open now and when the volunteer gets there; with none open, the volunteer meets the
 *   crew instead, and the assignment says why;
 * - `meet_crew` waits at the entrance and holds the lift; they are told to give the door code only
 *   when they are shown it (`accessShown`), as an instruction never assumes what the volunteer cannot see.
 * So an untrained first volunteer fetches the AED and leaves `cpr` to a trained one.
 */
export interface RoleInput {
  readonly policy: VolunteerPolicy;
  readonly volunteer: VolunteerState;
  readonly wanted: readonly VolunteerRole[];
  /** The wanted roles already filled (`fills` of earlier assignments). */
  readonly filled: readonly VolunteerRole[];
  readonly aeds: readonly AedOption[];
  readonly now: EpochMs;
  /** Whether the volunteer is shown the scene's door code and access notes (there are some, and they may see them). */
  readonly accessShown: boolean;
}

export type RoleDecision =
  | {
      readonly assigned: true;
      readonly role: VolunteerRole;
      readonly fills: VolunteerRole;
      readonly reason: string;
      readonly aed?: AedWaypoint;
      readonly aedsPassedOver?: readonly { aedId: string; reason: string }[];
    }
  | { readonly assigned: false; readonly reason: string };

const PASSED_OVER_LIMIT = 5;

/** The wanted roles not filled yet, in the policy's order (a role wanted twice stays twice). */
export function rolesLeft(wanted: readonly VolunteerRole[], filled: readonly VolunteerRole[]): VolunteerRole[] {
  const taken = [...filled];
  return wanted.filter((r) => {
    const i = taken.indexOf(r);
    if (i < 0) return true;
    taken.splice(i, 1);
    return false;
  });
}

/** The fastest usable AED (total walk via it), and every AED passed over with why. */
export function chooseAed(
  aeds: readonly AedOption[],
  now: EpochMs,
): { best?: AedOption; passedOver: { aedId: string; reason: string }[] } {
  const passedOver: { aedId: string; reason: string }[] = [];
  const usable: AedOption[] = [];
  for (const o of aeds) {
    const why = aedUnusable(o, now);
    if (why === undefined) usable.push(o);
    else passedOver.push({ aedId: o.aed.id, reason: why });
  }
  usable.sort((a, b) => a.toAedS + a.toSceneS - (b.toAedS + b.toSceneS) || a.aed.id.localeCompare(b.aed.id));
  const best = usable[0];
  return best === undefined ? { passedOver } : { best, passedOver };
}

const meetCrew = (accessShown: boolean): string =>
  accessShown
    ? 'wait at the entrance for the crew: give the door code, hold the lift'
    : 'wait at the entrance for the crew: show them the way in, hold the lift';

/** The role for a volunteer who has just accepted, with its reason (and AED) as data. */
export function assignRole(input: RoleInput): RoleDecision {
  const left = rolesLeft(input.wanted, input.filled);
  if (left.length === 0) return { assigned: false, reason: 'every wanted role is already filled' };
  const notes: string[] = [];
  const meet = meetCrew(input.accessShown);
  const because = (text: string) => [...notes, text].join('; ');
  for (const slot of new Set(left)) {
    switch (slot) {
      case 'cpr': {
        const q = cprQualification(input.policy, input.volunteer, input.now);
        if (q !== undefined) {
          return {
            assigned: true,
            role: 'cpr',
            fills: 'cpr',
            reason: `first CPR-qualified volunteer to accept (verified ${q.replace(/_/g, ' ')}): straight to the patient`,
          };
        }
        notes.push(
          `not CPR-qualified (${input.policy.cprQualified.id}: needs a verified, unexpired ${input.policy.cprQualified.kinds.join(', ')})`,
        );
        break;
      }
      case 'fetch_aed': {
        const { best, passedOver } = chooseAed(input.aeds, input.now);
        const shown = passedOver.slice(0, PASSED_OVER_LIMIT);
        const over = shown.length === 0 ? {} : { aedsPassedOver: shown };
        if (best !== undefined) {
          const total = best.toAedS + best.toSceneS;
          const reason = because(
            `fetch the AED at ${best.aed.placeName} (open): ${formatDuration(best.toAedS)} to it, ${formatDuration(best.toSceneS)} on to the scene, ` +
              `${formatDuration(total)} in all, the fastest of the open AEDs`,
          );
          return { assigned: true, role: 'fetch_aed', fills: 'fetch_aed', reason, aed: waypointOf(best), ...over };
        }
        const why =
          input.aeds.length === 0
            ? 'no AED known within reach'
            : `no AED open now (${passedOver.map((p) => p.reason).join('; ')})`;
        return {
          assigned: true,
          role: 'meet_crew',
          fills: 'fetch_aed',
          reason: because(`${why}: ${meet} instead`),
          ...over,
        };
      }
      case 'meet_crew':
        return { assigned: true, role: 'meet_crew', fills: 'meet_crew', reason: because(meet) };
    }
  }
  return { assigned: false, reason: because(`the only role left is ${left.join(', ')}`) };
}
