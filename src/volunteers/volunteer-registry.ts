import type { DecideRules } from '../core/decide.ts';
import type { StreamState } from '../core/loaded.ts';
import type { VolunteerState } from '../core/volunteer.ts';
import type { PositionIntake } from '../geo/position-intake.ts';
import type { EventStore } from '../store/event-store.ts';
import { SqliteAeds } from '../store/sqlite/sqlite-aeds.ts';
import { SqliteVolunteerProfiles, type EventLogWriter } from '../store/sqlite/sqlite-volunteer-profiles.ts';
import type { DemoPopulationRecord } from '../store/volunteer-profile-store.ts';
import type { Accounts } from '../accounts/accounts.ts';
import { AedRegistry } from './aeds.ts';
import type { CommandHandler } from '../log/writer.ts';
import { demoRegistryWrites, generateDemoPopulation, isDemoVolunteerId, type DemoPopulation } from './demo-volunteers.ts';
import type { EventBus } from '../log/event-bus.ts';
import { VolunteerLiveIndex } from './volunteer-live-index.ts';
import { Volunteers } from './volunteers.ts';

/** What the demo population is on this data dir, for the start-up banner and the checks. */
export interface DemoVolunteersInfo extends DemoPopulationRecord {
  /** True when this start generated and wrote it (a new data dir). */
  readonly loadedNow: boolean;
  /** How many demo volunteers the live index holds a position for (the matchable ones). */
  readonly placed: number;
}

export interface RegistryOptions {
  /** The bundled demo city is in use: load the synthetic AED set into an empty registry. */
  readonly demoCity: boolean;
  /** Synthetic volunteers for a registry that has none: `true` = 1 % of residents, a number = that many. */
  readonly demoVolunteers: boolean | number;
}

export interface VolunteerRegistry {
  readonly volunteers: Volunteers;
  readonly aeds: AedRegistry;
  readonly demoVolunteers?: DemoVolunteersInfo;
  close(): void;
}

/**
 * Opens the volunteer registry and the AED registry on the store's database; on a new data dir
 * loads the synthetic demo sets (one transaction for the whole population); regenerates the demo
 * population's positions (memory only) on every start; and keeps the live index in step with the
 * registry through the event bus.
 */
export async function openVolunteerRegistry(
  deps: {
    readonly store: EventStore<StreamState> & EventLogWriter;
    readonly commands: CommandHandler;
    readonly bus: EventBus;
    readonly accounts: Accounts;
    readonly positions: PositionIntake;
    readonly clock: () => number;
    readonly rules: DecideRules;
  },
  options: RegistryOptions,
): Promise<VolunteerRegistry> {
  const profiles = new SqliteVolunteerProfiles(deps.store);
  const aeds = new AedRegistry(new SqliteAeds(deps.store), deps.clock);
  if (options.demoCity) aeds.loadDemoSet();
  const live = new VolunteerLiveIndex(deps.positions, deps.clock);
  const volunteers = new Volunteers({ ...deps, profiles, live });

  let record = profiles.demoPopulation();
  let pop: DemoPopulation | undefined;
  const wanted = options.demoVolunteers;
  if (record === undefined && options.demoCity && wanted !== false && (await deps.store.list('volunteer', undefined, 1)).length === 0) {
    pop = generateDemoPopulation(wanted === true ? undefined : wanted);
    const writes = demoRegistryWrites(pop, deps.clock(), deps.rules);
    profiles.createMany(writes.profiles, writes.events, writes.record);
    record = writes.record;
  }
  const loadedNow = pop !== undefined;
  let placed = 0;
  if (record !== undefined) {
    pop ??= generateDemoPopulation(record.count, record.seed);
    const states = ((await deps.store.list('volunteer', ['active'], 10_000_000)) as VolunteerState[]).filter((v) => isDemoVolunteerId(v.id));
    placed = live.seedDemo(new Map(pop.volunteers.map((v) => [v.id, v.home])), states);
    live.startDemoHeartbeat();
  }
  const unsubscribe = deps.bus.subscribe((events) => volunteers.onEvents(events));
  return {
    volunteers,
    aeds,
    ...(record === undefined ? {} : { demoVolunteers: { ...record, loadedNow, placed } }),
    close: () => {
      unsubscribe();
      live.close();
    },
  };
}
