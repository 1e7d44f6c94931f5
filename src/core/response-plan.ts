/** For one nature: which unit capabilities, how many of each, and which volunteer roles are wanted. */
export interface UnitRequirement {
  readonly capability: string;
  readonly count: number;
}

export type VolunteerRole = 'cpr' | 'fetch_aed' | 'meet_crew';

export interface ResponsePlan {
  readonly nature: string;
  readonly label: string;
  readonly defaultPriority: 1 | 2 | 3;
  readonly units: readonly UnitRequirement[];
  readonly volunteerRoles: readonly VolunteerRole[];
  /**
   * Greater alarms: what each level ("2", "3", …) adds to the level below it. A dispatcher asks
   * for one when the first alarm is not enough.
   */
  readonly alarms?: Readonly<Record<string, readonly UnitRequirement[]>>;
}

export type ResponsePlans = ReadonlyMap<string, ResponsePlan>;
