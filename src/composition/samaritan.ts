import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { decide } from '../core/decide.ts';
import type { StreamState } from '../core/loaded.ts';
import { PositionIntake } from '../geo/position-intake.ts';
import { ResponderAttrs } from '../geo/responder-attrs.ts';
import { parseStream } from '../core/streams.ts';
import type { Router } from '../routing/router.ts';
import { loadSfRouter } from '../routing/sf-demo.ts';
import type { AppendRequest, EventStore } from '../store/event-store.ts';
import { SqliteStore } from '../store/sqlite/sqlite-store.ts';
import type { TravelTimeEstimator } from '../core/travel-time.ts';
import { SqliteAccounts } from '../store/sqlite/sqlite-accounts.ts';
import { Accounts } from '../accounts/accounts.ts';
import { CommandHandler } from '../log/writer.ts';
import { loadConfiguration, PROJECT_ROOT, type Configuration } from '../config/configuration.ts';
import { demoCityCommands } from './demo-city.ts';
import { EventBus } from '../log/event-bus.ts';
import { FleetView } from '../fleet/fleet-view.ts';
import { domainProjector } from '../log/projector.ts';
import type { AedRegistry } from '../volunteers/aeds.ts';
import { openVolunteerRegistry, type DemoVolunteersInfo } from '../volunteers/volunteer-registry.ts';
import type { Volunteers } from '../volunteers/volunteers.ts';
import { Queries } from '../read-models/queries.ts';
import { createResponders, firstUnitEtaFrom, type Responders, type RespondersOptions } from './responders.ts';
import { loadVolunteerPolicy } from '../config/volunteer-policy-config.ts';

export interface SamaritanOptions {
  readonly dataDir: string;
  /** Epoch ms; injected so tests and the simulator control time. */
  readonly clock?: () => number;
  readonly demoCity?: boolean;
  /**
   * Synthetic demo volunteers for a new data dir with the demo city: `true` = 1 % of the city's
   * residents (what `serve` loads), a number = that many, `false` (default) = none.
   */
  readonly demoVolunteers?: boolean | number;
  /** Alert delivery and the volunteer response engine (webhook, AEDs, test hooks). */
  readonly responders?: RespondersOptions;
  /**
   * Start the response engine, timers and delivery worker (default true). CLI commands that only
   * write records turn it off, so they never fire timers or send alerts beside a running server.
   */
  readonly background?: boolean;
}

/** The running product without its HTTP edge: store, command path, live positions and configuration. */
export interface Samaritan {
  readonly config: Configuration;
  readonly store: EventStore<StreamState>;
  readonly commands: CommandHandler;
  readonly bus: EventBus;
  /** The live map of moving units and volunteers; a sample of unit fixes goes to the log. */
  readonly positions: PositionIntake;
  /** Road routing on the demo city's street graph. */
  readonly router: Router;
  /** Driving times for unit recommendations. */
  readonly estimator: TravelTimeEstimator;
  readonly clock: () => number;
  readonly accounts: Accounts;
  readonly fleet: FleetView;
  readonly demoCityLoaded: boolean;
  /** The volunteer registry: sign-up, self-service, verification, audited staff reads, erasure. */
  readonly volunteers: Volunteers;
  /** The AED registry. */
  readonly aeds: AedRegistry;
  /** The synthetic demo population, when this data dir has one. */
  readonly demoVolunteers?: DemoVolunteersInfo;
  /** The volunteer response engine, its persisted timers and the alert delivery queue. */
  readonly responders: Responders;
  close(): Promise<void>;
}

export const DB_FILE = 'samaritan.db';

/** Opens (or creates) a data directory; loads the demo city into a log that has no station yet. */
export async function openSamaritan(options: SamaritanOptions): Promise<Samaritan> {
  const clock = options.clock ?? (() => Date.now());
  mkdirSync(options.dataDir, { recursive: true });
  const config = loadConfiguration();
  const store = new SqliteStore<StreamState>(join(options.dataDir, DB_FILE), domainProjector);
  const bus = new EventBus();
  const accounts = new Accounts(new SqliteAccounts(store), clock);
  const volunteerPolicy = loadVolunteerPolicy();
  const rules = { natures: new Set(config.plans.keys()), volunteerPolicy };
  const commands = new CommandHandler(store, bus, rules);
  const positions = new PositionIntake(new ResponderAttrs([...new Set([...config.unitTypes.values()].flatMap((t) => t.capabilities))]));
  const router = loadSfRouter(PROJECT_ROOT, (m) => process.stderr.write(`${m}\n`));
  const estimator = router.estimator('drive');

  let demoCityLoaded = false;
  if (options.demoCity !== false && (await store.list('station', undefined, 1)).length === 0) {
    await store.appendAll(
      demoCityCommands(config, clock()).map((c): AppendRequest => {
        const d = decide(c, new Map(), rules);
        if (!d.ok) throw new Error(`demo city: ${d.message}`);
        return { expected: new Map(d.events.map((e) => [e.stream, 0])), events: d.events, meta: { actor: 'demo-city' } };
      }),
    );
    demoCityLoaded = true;
  }
  const fleet = await FleetView.load(store, bus);
  for (const u of fleet.units()) {
    const attrs = positions.attrs.unit(u.status, u.capabilities);
    if (u.position) positions.seedUnit({ id: u.id, ...u.position.location, atMs: Date.parse(u.position.at) }, attrs);
  }
  // Status filters in the live index follow the one event stream.
  bus.subscribe((events) => {
    for (const e of events) {
      if (e.type !== 'UnitStatusChanged' || parseStream(e.stream)?.kind !== 'unit') continue;
      const u = fleet.unit(e.data.unitId);
      if (u) positions.setAttrs(u.id, positions.attrs.unit(u.status, u.capabilities));
    }
  });
  const registry = await openVolunteerRegistry(
    { store, commands, bus, accounts, positions, clock, rules },
    { demoCity: options.demoCity !== false, demoVolunteers: options.demoVolunteers ?? false },
  );
  const responders = createResponders(
    {
      dataDir: options.dataDir,
      store,
      bus,
      commands,
      positions,
      router,
      clock,
      policy: volunteerPolicy,
      volunteers: registry.volunteers,
      aeds: registry.aeds,
      firstUnitEtaS: (incident) => firstUnitEtaFrom((i) => new Queries(app).recommendation(i), incident),
    },
    options.responders,
  );
  const app: Samaritan = {
    config,
    store,
    commands,
    bus,
    positions,
    router,
    estimator,
    clock,
    accounts,
    fleet,
    demoCityLoaded,
    volunteers: registry.volunteers,
    aeds: registry.aeds,
    ...(registry.demoVolunteers ? { demoVolunteers: registry.demoVolunteers } : {}),
    responders,
    close: async () => {
      await responders.close();
      registry.close();
      await store.close();
    },
  };
  if (options.background !== false) await responders.start();
  return app;
}
