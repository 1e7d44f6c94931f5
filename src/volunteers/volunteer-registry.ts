import { systemActor } from '../core/actor.ts';
import type { StreamState } from '../core/loaded.ts';
import type { VolunteerState } from '../core/volunteer.ts';
import type { Accounts } from '../accounts/accounts.ts';
import type { PositionIntake } from '../geo/position-intake.ts';
import type { LogTail } from '../log/log-tail.ts';
import type { Writer } from '../log/writer.ts';
import type { Store } from '../store/store.ts';
import type { DemoPopulationRecord } from '../store/volunteer-profile-store.ts';
import type { Clock } from '../time/clock.ts';
import { AedRegistry } from './aeds.ts';
import { demoRegistryWrites, generateDemoPopulation, isDemoVolunteerId, type DemoPopulation } from './demo-volunteers.ts';
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
  /** Volunteers in the live index (fixes relayed from other nodes are indexed with its words). */
  readonly live: VolunteerLiveIndex;
  readonly demoVolunteers?: DemoVolunteersInfo;
  close(): void;
}

/**
 * Opens the volunteer registry and the AED registry; on a new data dir loads the synthetic demo
 * sets (one transaction for the whole population); regenerates the demo population's positions
 * (memory only) on every start; and keeps the live index in step with the registry by following
 * the log.
 */
export async function openVolunteerRegistry(
  deps: {
    readonly tables: Store<StreamState>;
    readonly writer: Writer;
    readonly tail: LogTail;
    readonly accounts: Accounts;
    readonly positions: PositionIntake;
    readonly clock: () => number;
    /** What the demo heartbeat waits on. */
    readonly time: Clock;
  },
  options: RegistryOptions,
): Promise<VolunteerRegistry> {
  const { profiles } = deps.tables;
  const store = deps.tables.events;
  const aeds = new AedRegistry(deps.tables.aeds, deps.writer, deps.clock);
  if (options.demoCity) await aeds.loadDemoSet();
  const live = new VolunteerLiveIndex(deps.positions, deps.time);
  const volunteers = new Volunteers({ store, profiles, writer: deps.writer, accounts: deps.accounts, live, clock: deps.clock });

  let record = profiles.demoPopulation();
  let pop: DemoPopulation | undefined;
  const wanted = options.demoVolunteers;
  if (record === undefined && options.demoCity && wanted !== false && (await store.list('volunteer', undefined, 1)).length === 0) {
    pop = generateDemoPopulation(wanted === true ? undefined : wanted);
    const writes = demoRegistryWrites(pop, deps.clock());
    const results = await deps.writer.executeAll(writes.commands, {
      actor: systemActor('demo-population'),
      records: [{ type: 'profile.add', profiles: writes.profiles, demo: writes.record }],
    });
    const refused = results.find((r) => !r.ok);
    if (refused && !refused.ok) throw new Error(`demo population: ${refused.message}`);
    record = writes.record;
  }
  const loadedNow = pop !== undefined;
  let placed = 0;
  if (record !== undefined) {
    pop ??= generateDemoPopulation(record.count, record.seed);
    const states = ((await store.list('volunteer', ['active'], 10_000_000)) as VolunteerState[]).filter((v) => isDemoVolunteerId(v.id));
    placed = live.seedDemo(new Map(pop.volunteers.map((v) => [v.id, v.home])), states);
    live.startDemoHeartbeat();
  }
  const unsubscribe = deps.tail.follow((events) => volunteers.onEvents(events));
  return {
    volunteers,
    aeds,
    live,
    ...(record === undefined ? {} : { demoVolunteers: { ...record, loadedNow, placed } }),
    close: () => {
      unsubscribe();
      live.close();
    },
  };
}
