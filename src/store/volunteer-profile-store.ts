/**
 * A device a volunteer receives alerts on. The delivery queue owns what `subscription` holds (a Web
 * Push subscription, a gateway address); the registry only keeps it with the rest of the personal
 * data, so that it is erased with it.
 */
export interface VolunteerDevice {
  readonly id: string;
  readonly channel: string;
  readonly subscription: Readonly<Record<string, unknown>>;
  readonly addedAt: string;
}

/**
 * A volunteer's personal data. It lives in a mutable table keyed by the pseudonymous volunteer id,
 * never in the event log, so that deleting the row leaves a log that names nobody.
 */
export interface VolunteerProfile {
  readonly volunteerId: string;
  readonly name: string;
  readonly phone: string;
  readonly languages: readonly string[];
  readonly devices: readonly VolunteerDevice[];
  /** True for the generated demo population: not a person. */
  readonly synthetic: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export type ProfileChanges = Partial<Pick<VolunteerProfile, 'name' | 'phone' | 'languages' | 'devices'>>;

/** How the demo population was generated, kept so that each start regenerates the same positions. */
export interface DemoPopulationRecord {
  readonly seed: number;
  readonly count: number;
  readonly available: number;
  readonly residents: number;
  readonly loadedAt: string;
}

/**
 * The personal-data table. Rows are added and erased only with the events that go with them
 * (record writes `profile.add` and `profile.erase`, committed by the one writer); contact details
 * and devices change here directly, as they are never logged.
 */
export interface VolunteerProfileStore {
  get(volunteerId: string): VolunteerProfile | undefined;
  getMany(volunteerIds: readonly string[]): Map<string, VolunteerProfile>;
  /** Resolves once the change is committed (an answered change survives a crash); undefined for no such volunteer. */
  update(volunteerId: string, changes: ProfileChanges, at: string): Promise<VolunteerProfile | undefined>;
  demoPopulation(): DemoPopulationRecord | undefined;
  count(): number;
}
