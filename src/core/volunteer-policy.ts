import type { VolunteerRole } from './response-plan.ts';

/**
 * The eligibility policy for citizen responders, as written in config/volunteer-policy.json.
 * It is versioned: every alert records `version` and the ids of the rules that allowed it, so an
 * auditor can read, for any alert, the sentence that permitted it. The app loads and validates
 * the file; the core only reads it.
 */
export const QUALIFICATION_KINDS = ['cpr', 'first_aid', 'aed', 'nurse', 'doctor', 'firefighter_off_duty'] as const;
export type QualificationKind = (typeof QUALIFICATION_KINDS)[number];
export const isQualificationKind = (s: string): s is QualificationKind => (QUALIFICATION_KINDS as readonly string[]).includes(s);

/** Where an incident is, as far as sending volunteers goes. `unknown` is its own rule. */
export const INCIDENT_PLACES = ['public', 'home', 'unknown'] as const;
export type IncidentPlace = (typeof INCIDENT_PLACES)[number];
export const isIncidentPlace = (s: string): s is IncidentPlace => (INCIDENT_PLACES as readonly string[]).includes(s);

/** Every rule has a stable id (recorded on alerts) and the human reason it exists. */
export interface PolicyRule {
  readonly id: string;
  readonly rationale: string;
}

/** For some natures: whether volunteers are alerted, who is useful there, and which roles they take. */
export interface NatureRule extends PolicyRule {
  readonly natures: readonly string[];
  readonly alert: boolean;
  /** A volunteer needs one of these, unexpired (and verified when `verifiedRequired`). */
  readonly qualifications: readonly QualificationKind[];
  readonly verifiedRequired: boolean;
  /** The roles wanted, in the order they are filled; their number is how many acceptances are enough. */
  readonly roles: readonly VolunteerRole[];
}

/** What a place adds to the nature's requirement: an empty `qualifications` adds nothing. */
export interface PlaceRule extends PolicyRule {
  readonly qualifications: readonly QualificationKind[];
  readonly verifiedRequired: boolean;
}

/** The checks on a volunteer's own state, in the order they are made. */
export const VOLUNTEER_CHECKS = [
  'deleted',
  'consent',
  'availability',
  'quietHours',
  'busy',
  'qualification',
  'expiry',
  'verification',
  'role',
] as const;
export type VolunteerCheck = (typeof VOLUNTEER_CHECKS)[number];

/** Wave parameters; times in seconds. */
export interface WaveParameters {
  /** Candidates farther than this on foot (road network) are not alerted. */
  readonly maxWalkingS: number;
  /** Seconds between one wave and the next. */
  readonly waveIntervalS: number;
  /** Waves continue while fewer volunteers than this are expected to arrive before the first unit. */
  readonly targetArrivals: number;
  readonly maxAlertsPerWave: number;
  /** The ranking of one response is cut at this many candidates. */
  readonly maxCandidates: number;
  /** The acceptance probability of a volunteer never alerted before (0..1). */
  readonly acceptancePrior: number;
  /** How many alerts the prior is worth against the volunteer's own record. */
  readonly priorWeight: number;
  /** An alert unanswered this long is expired. */
  readonly alertExpiryS: number;
}

export interface VolunteerPolicy {
  readonly version: string;
  /** ISO date from which this version applies. */
  readonly effectiveFrom: string;
  readonly natureRules: readonly NatureRule[];
  /** The rule for every nature no nature rule lists: never alert. */
  readonly otherNatures: PolicyRule;
  readonly places: Readonly<Record<IncidentPlace, PlaceRule>>;
  readonly volunteerRules: Readonly<Record<VolunteerCheck, PolicyRule>>;
  /** Qualifications that, verified and unexpired, make a volunteer CPR-qualified for the `cpr` role. */
  readonly cprQualified: PolicyRule & { readonly kinds: readonly QualificationKind[] };
  /**
   * Door codes and access notes go only to a volunteer who accepted and holds a verified,
   * unexpired qualification the nature rule lists; the rule id is what a role's text cites.
   */
  readonly accessDetails: PolicyRule;
  readonly waves: WaveParameters & { readonly rationale?: Readonly<Record<string, string>> };
}

/** The nature rule for a nature, if one lists it. */
export const natureRuleOf = (policy: VolunteerPolicy, nature: string): NatureRule | undefined =>
  policy.natureRules.find((r) => r.natures.includes(nature));

/** True when the policy alerts volunteers for this nature and gives them at least one role. */
export function volunteersWanted(policy: VolunteerPolicy, nature: string): boolean {
  const rule = natureRuleOf(policy, nature);
  return rule !== undefined && rule.alert && rule.roles.length > 0;
}

/** The roles wanted for a nature, in the order they are filled (empty when volunteers are not alerted). */
export function rolesWanted(policy: VolunteerPolicy, nature: string): readonly VolunteerRole[] {
  const rule = natureRuleOf(policy, nature);
  return rule?.alert === true ? rule.roles : [];
}
