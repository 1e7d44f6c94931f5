import type { PendingEvent, StoredEvent } from '../core/events.ts';

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

/** Thrown when a stream moved on between the decision and the write; the caller decides again. */
export class StreamMoved extends Error {
  constructor(
    readonly stream: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`Stream ${stream} is at version ${actual}, not ${expected}`);
  }
}

/**
 * The personal-data table. Every write that goes with domain events (sign-up, erasure) commits
 * the row and the events in one transaction, after checking the streams are still at the versions
 * the decision was made against (else {@link StreamMoved}).
 */
export interface VolunteerProfileStore {
  /** Inserts the profile and appends the registration events together. */
  create(profile: VolunteerProfile, expected: ReadonlyMap<string, number>, events: readonly PendingEvent[]): StoredEvent[];
  /** Inserts many profiles and their events in one transaction (the demo population). */
  createMany(profiles: readonly VolunteerProfile[], events: readonly PendingEvent[], demo?: DemoPopulationRecord): StoredEvent[];
  get(volunteerId: string): VolunteerProfile | undefined;
  getMany(volunteerIds: readonly string[]): Map<string, VolunteerProfile>;
  update(volunteerId: string, changes: ProfileChanges, at: string): VolunteerProfile | undefined;
  /**
   * Erases a volunteer in one transaction: deletes the profile row, revokes every device token of
   * theirs (with a `TokenRevoked` audit event each, `by`), and appends `events` (the deletion).
   */
  erase(volunteerId: string, expected: ReadonlyMap<string, number>, events: readonly PendingEvent[], at: string, by: string): StoredEvent[];
  /** Appends audit events that change no row (staff read personal data). */
  audit(events: readonly PendingEvent[]): StoredEvent[];
  demoPopulation(): DemoPopulationRecord | undefined;
  count(): number;
}
