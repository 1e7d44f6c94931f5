import { systemActor } from '../core/actor.ts';
import type { StreamState } from '../core/loaded.ts';
import { parseStream } from '../core/streams.ts';
import type { TravelTimeEstimator } from '../core/travel-time.ts';
import { Accounts, CREDENTIAL_EVENTS, type AccountsOptions } from '../accounts/accounts.ts';
import { accountSettingsFrom } from '../accounts/account-settings.ts';
import type { ServiceArea } from '../core/service-area.ts';
import { loadConfiguration, PROJECT_ROOT, unitStatusesOf, type Configuration } from '../config/configuration.ts';
import { loadServiceAreaConfig } from '../config/service-area-config.ts';
import { loadVolunteerPolicy } from '../config/volunteer-policy-config.ts';
import { FleetView } from '../fleet/fleet-view.ts';
import { PositionIntake } from '../geo/position-intake.ts';
import { ResponderAttrs } from '../geo/responder-attrs.ts';
import { LogTail } from '../log/log-tail.ts';
import { domainProjector } from '../log/projector.ts';
import { Writer } from '../log/writer.ts';
import { Queries } from '../read-models/queries.ts';
import type { Router } from '../routing/router.ts';
import { serviceAreaOf } from '../routing/graph-hull.ts';
import { loadSfRouter } from '../routing/sf-demo.ts';
import type { EventStore } from '../store/event-store.ts';
import type { ShortLivedStore } from '../store/short-lived-store.ts';
import type { Store } from '../store/store.ts';
import type { Cluster } from '../store/cluster.ts';
import { systemClock, type Clock } from '../time/clock.ts';
import type { AedRegistry } from '../volunteers/aeds.ts';
import { openVolunteerRegistry, type DemoVolunteersInfo } from '../volunteers/volunteer-registry.ts';
import type { Volunteers } from '../volunteers/volunteers.ts';
import { demoCityCommands } from './demo-city.ts';
import { createResponders, firstUnitEta, type Responders, type RespondersOptions } from './responders.ts';
import { TravelWorker } from '../routing/travel-worker-pool.ts';
import { secureDataDir } from './data-dir.ts';
import { LeaderWork } from './background.ts';
import { relayPositions } from './cluster-positions.ts';
import { openNodeStore } from './node-store.ts';
import type { PositionRelay } from '../geo/position-relay.ts';
import { createHandOvers, type HandOverOptions, type HandOvers } from './handovers.ts';
import { loadPartners, type Partner } from '../config/partners-config.ts';
import { loadWebhooks, type WebhookSubscriber } from '../config/webhooks-config.ts';
import type { WebhookSender } from '../reactors/webhook-sender.ts';
import { createWebhooks, type WebhookOptions } from './webhooks.ts';

export interface SamaritanOptions {
  readonly dataDir: string;
  /**
   * The one source of time (default the system clock): injected so in-process tests and the
   * simulator move time by hand (ManualClock) instead of sleeping.
   */
  readonly clock?: Clock;
  /** Where the log and its tables live: SQLite in the data dir (default), or memory (fast tests). */
  readonly store?: (projector: typeof domainProjector, clock: () => number) => Store<StreamState>;
  /**
   * A PostgreSQL URL (postgres://…): the log and its tables there, migrated on open, and this node
   * one of several on it (the CLI passes DATABASE_URL). Without it, `store` or SQLite.
   */
  readonly database?: string;
  /**
   * The other nodes. Default: PostgreSQL's with `database`, else this node alone. Tests join several
   * nodes on one store in one process with a LocalHub.
   */
  readonly cluster?: Cluster;
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
  /** Password hashing cost and token lifetime (default: SAMARITAN_SCRYPT_LOG2N, SAMARITAN_TOKEN_TTL_DAYS, else 2^17 and 90 days). */
  readonly accounts?: AccountsOptions;
  /** Partner centres for hand-overs (default: config/partners.json, or SAMARITAN_PARTNERS_FILE). */
  readonly partners?: readonly Partner[];
  /** Retry timings of hand-overs to partners. */
  readonly handovers?: HandOverOptions;
  /** Integration webhook subscribers (default: config/webhooks.json, or SAMARITAN_WEBHOOKS_FILE). */
  readonly webhooks?: readonly WebhookSubscriber[];
  /** Retry timings of the webhooks. */
  readonly webhookOptions?: WebhookOptions;
}

/** The running product without its HTTP edge: store, command path, live positions and configuration. */
export interface Samaritan {
  readonly config: Configuration;
  /** The event log and its snapshots (reads; every write goes through `writer`). */
  readonly store: EventStore<StreamState>;
  /** The one door for every change. */
  readonly writer: Writer;
  /** Every committed event, in order, for the parts that follow the log. */
  readonly tail: LogTail;
  /** The live map of moving units and volunteers; a sample of unit fixes goes to the log. */
  readonly positions: PositionIntake;
  /** Road routing on the demo city's street graph. */
  readonly router: Router;
  /** Where incidents may be logged (config/service-area.json; by default the road graph's hull + 1 km). */
  readonly serviceArea: ServiceArea;
  /** Driving times for unit recommendations. */
  readonly estimator: TravelTimeEstimator;
  /** Epoch ms now: `time.now()`, for the parts that only read the time. */
  readonly clock: () => number;
  /** The clock itself, for the parts that wait (timers, retries, heartbeats). */
  readonly time: Clock;
  readonly accounts: Accounts;
  readonly fleet: FleetView;
  /** Read-side questions (incidents, units, recommendations). */
  readonly queries: Queries;
  readonly demoCityLoaded: boolean;
  /** The volunteer registry: sign-up, self-service, verification, audited staff reads, erasure. */
  readonly volunteers: Volunteers;
  /** The AED registry. */
  readonly aeds: AedRegistry;
  /** The synthetic demo population, when this data dir has one. */
  readonly demoVolunteers?: DemoVolunteersInfo;
  /** The volunteer response engine, its persisted timers and the alert delivery queue. */
  readonly responders: Responders;
  /** Partner centres, and the sender of the incidents handed over to them. */
  readonly handovers: HandOvers;
  /** The integration webhooks: every event, and EIDO on incident changes, to the configured subscribers. */
  readonly webhooks: WebhookSender;
  /** The nodes this one runs with (alone: a LocalCluster of its own). */
  readonly cluster: Cluster;
  /** The work only the leader does (engine, alert queue, hand-overs, webhooks): whether it runs here. */
  readonly leader: LeaderWork;
  /** Positions to and from the other nodes (none alone). */
  readonly positionRelay: PositionRelay | undefined;
  /** Which store this node uses, for the start-up banner (no password). */
  readonly storeDescription: string;
  /** Throttle counts and one-time secrets, in the database so that every node sees them. */
  readonly shortLived: ShortLivedStore;
  /** Whether the store can commit a write now (GET /readyz); turns true by itself when the disk recovers. */
  writable(): Promise<boolean>;
  close(): Promise<void>;
}

/** How often the log's head is read for commits made by other processes (ms). */
const OTHER_WRITERS_EVERY_MS = 1_000;

/**
 * Opens (or creates) a data directory; loads the demo city into a log that has no station yet. A
 * directory that cannot be made, opened or written is a DataDirUnusable, in one sentence.
 */
export async function openSamaritan(options: SamaritanOptions): Promise<Samaritan> {
  const time = options.clock ?? systemClock;
  const clock = () => time.now();
  secureDataDir(options.dataDir);
  const config = loadConfiguration();
  const node = await openNodeStore(options, clock);
  const { tables, cluster } = node;
  const store = tables.events;
  const report = (what: string) => (e: unknown) => process.stderr.write(`${what}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  const tail = new LogTail(store, await store.headSeq(), report('log follower'));
  // Commits by another process on the same log (an import, the CLI) reach the followers within a second.
  let stopWatching = () => {};
  const watchHead = () => {
    stopWatching = time.after(OTHER_WRITERS_EVERY_MS, () => {
      store
        .headSeq()
        .then((head) => tail.notify(head))
        .catch(report('log head'))
        .finally(() => {
          if (!closing) watchHead();
        });
    });
  };
  let closing = false;
  if (options.background !== false && node.pollHead) watchHead();
  // Another node's commit (and this one's): the followers read what they have not seen.
  const stopAppended = cluster.onAppended((seq) => tail.notify(seq));
  const volunteerPolicy = loadVolunteerPolicy();
  const router = loadSfRouter(PROJECT_ROOT, (m) => process.stderr.write(`${m}\n`));
  // Worked out once: the hull of the graph this process routes on, unless the file gives a polygon.
  const serviceArea = serviceAreaOf(router.graph, loadServiceAreaConfig());
  const rules = { natures: new Set(config.plans.keys()), volunteerPolicy, serviceArea, unitStatuses: unitStatusesOf(config) };
  const writer = new Writer(store, tail, rules);
  const accounts = new Accounts(tables.accounts, writer, clock, { ...accountSettingsFrom(process.env), ...options.accounts });
  tail.follow((events) => {
    if (events.some((e) => CREDENTIAL_EVENTS.has(e.type))) accounts.forgetCredentials();
  });
  const positions = new PositionIntake(new ResponderAttrs([...new Set([...config.unitTypes.values()].flatMap((t) => t.capabilities))]));
  const estimator = router.estimator('drive');
  // Searches after an incident (walking volunteers, the first unit) run on their own thread.
  const travelWorker = options.background === false ? undefined : new TravelWorker(PROJECT_ROOT, router, report('travel worker'));
  const travel = travelWorker?.times ?? ((profile, to, origins) => Promise.resolve(router.estimator(profile).travelTimes(to, origins)));

  let demoCityLoaded = false;
  // Two nodes starting on an empty database: one seeds, the other finds it seeded.
  await cluster.exclusive('start', async () => {
    if (options.demoCity !== false && (await store.list('station', undefined, 1)).length === 0) {
      const results = await writer.executeAll(demoCityCommands(config, clock()), { actor: systemActor('demo-city') });
      const refused = results.find((r) => !r.ok);
      if (refused && !refused.ok) throw new Error(`demo city: ${refused.message}`);
      demoCityLoaded = true;
    }
  });
  const fleet = await FleetView.load(store, tail);
  for (const u of fleet.units()) {
    const attrs = positions.attrs.unit(u.status, u.capabilities);
    if (u.position) positions.seedUnit({ id: u.id, ...u.position.location, atMs: Date.parse(u.position.at) }, attrs);
  }
  // Status filters in the live index follow the log.
  tail.follow((events) => {
    for (const e of events) {
      if (e.type !== 'UnitStatusChanged' || parseStream(e.stream)?.kind !== 'unit') continue;
      const u = fleet.unit(e.data.unitId);
      if (u) positions.setAttrs(u.id, positions.attrs.unit(u.status, u.capabilities));
    }
  });
  const registry = await cluster.exclusive('start', () =>
    openVolunteerRegistry(
      { tables, writer, tail, accounts, positions, clock, time },
      { demoCity: options.demoCity !== false, demoVolunteers: options.demoVolunteers ?? false },
    ),
  );
  // Alone there is no one to tell; with other nodes, every fix taken here reaches their live index.
  const positionRelay = node.alone
    ? undefined
    : relayPositions({ cluster, time, positions, fleet, store, live: registry.live, onError: report('position relay') });
  const queries = new Queries({ store, fleet, positions, clock, config, estimator, actorName: (a) => accounts.actorName(a) });
  const responders = createResponders(
    {
      dataDir: options.dataDir,
      tables,
      writer,
      tail,
      accounts,
      positions,
      router,
      clock,
      time,
      policy: volunteerPolicy,
      volunteers: registry.volunteers,
      aeds: registry.aeds,
      firstUnitEtaS: (incident) => firstUnitEta(queries, travel, incident),
      travel,
      cluster,
      relay: !node.alone,
    },
    options.responders,
  );
  const handovers = createHandOvers({ store, writer, tail, queries, time, partners: options.partners ?? loadPartners() }, options.handovers);
  const webhookTerm = createWebhooks(
    { store, outbox: tables.outbox, tail, queries, time, subscribers: options.webhooks ?? loadWebhooks() },
    options.webhookOptions,
  );
  const leader = new LeaderWork(
    cluster,
    [{ name: 'volunteer responses and alert delivery', start: () => responders.lead(), stop: () => responders.unlead() }, handovers.term, webhookTerm],
    (what, e) => report(what)(e),
  );
  const app: Samaritan = {
    config,
    store,
    writer,
    tail,
    positions,
    router,
    serviceArea,
    estimator,
    clock,
    time,
    accounts,
    fleet,
    queries,
    demoCityLoaded,
    volunteers: registry.volunteers,
    aeds: registry.aeds,
    ...(registry.demoVolunteers ? { demoVolunteers: registry.demoVolunteers } : {}),
    responders,
    handovers,
    get webhooks() {
      return webhookTerm.sender;
    },
    cluster,
    leader,
    positionRelay,
    storeDescription: node.description,
    shortLived: tables.shortLived,
    writable: () => tables.writable(),
    close: async () => {
      closing = true;
      stopWatching();
      stopAppended();
      // The leader's work stops first; the lead passes to another node when the cluster closes.
      await leader.close();
      positionRelay?.close();
      await handovers.sender.close();
      await webhookTerm.sender.close();
      await responders.close();
      await travelWorker?.close();
      registry.close();
      await cluster.close();
      await tables.close();
    },
  };
  if (options.background !== false) {
    await travelWorker?.started;
    // Alone, this node leads at once and the leader's work has started when `idle` resolves.
    leader.campaign();
    await leader.idle();
    await responders.start();
  }
  return app;
}
