import type { IncidentState } from '../core/incident.ts';
import type { TravelTimeEstimator } from '../core/travel-time.ts';
import type { Queries } from '../read-models/queries.ts';
import type { StreamState } from '../core/loaded.ts';
import type { VolunteerPolicy } from '../core/volunteer-policy.ts';
import { DEFAULT_AUDIT_RETENTION_MS } from '../alerting/alert-audit.ts';
import type { Channel } from '../alerting/messages.ts';
import { Receipts } from '../alerting/receipts.ts';
import { loadOrCreateVapidKeys, WebPushChannel } from '../alerting/web-push.ts';
import { PushEndpoints, pushPolicyFromEnv, type PushServicePolicy, type Resolver } from '../alerting/push-endpoints.ts';
import { WebhookChannel, type PhoneBook, type WebhookConfig } from '../alerting/webhook.ts';
import { CapGatewayChannel, type CapGatewayConfig } from '../alerting/cap-gateway.ts';
import { ResponderSockets } from '../alerting/websocket.ts';
import { SocketRelay } from '../alerting/socket-relay.ts';
import type { Cluster } from '../store/cluster.ts';
import { DeliveryWorker, type WorkerOptions } from '../alerting/worker.ts';
import type { MovingPointIndex } from '../geo/moving-point-index.ts';
import type { PositionIntake } from '../geo/position-intake.ts';
import type { Router } from '../routing/router.ts';
import type { TravelTimes } from '../routing/travel-worker-pool.ts';
import type { Store } from '../store/store.ts';
import type { OutboxStore } from '../store/outbox-store.ts';
import { systemActor } from '../core/actor.ts';
import type { Accounts } from '../accounts/accounts.ts';
import type { LogTail } from '../log/log-tail.ts';
import type { Writer } from '../log/writer.ts';
import { registryDirectory, type AedDirectory } from '../volunteers/aed-directory.ts';
import type { AedRegistry } from '../volunteers/aeds.ts';
import { AlertMaterializer } from '../reactors/alert-materializer.ts';
import { deliveryGate } from '../reactors/delivery-gate.ts';
import { PushDevices } from '../volunteers/push-devices.ts';
import { DEMO_TIME_ZONE } from '../time/time-zone.ts';
import type { Volunteers } from '../volunteers/volunteers.ts';
import type { Clock } from '../time/clock.ts';
import { ResponseEngine, type StartTimings } from '../reactors/response-engine.ts';
import { TimerScheduler } from '../reactors/timer-scheduler.ts';

/** How alerts are delivered and responses run; every field has a default (env for the webhook). */
export interface RespondersOptions {
  /** The SMS/voice gateway: default from SAMARITAN_ALERT_WEBHOOK_URL and SAMARITAN_ALERT_WEBHOOK_SECRET. */
  readonly webhook?: WebhookConfig | null;
  /** An alerting gateway that takes OASIS CAP: default from SAMARITAN_CAP_GATEWAY_URL and SAMARITAN_CAP_GATEWAY_SECRET. */
  readonly capGateway?: CapGatewayConfig | null;
  /** VAPID subject (mailto: or https:), default SAMARITAN_VAPID_SUBJECT or a placeholder. */
  readonly vapidSubject?: string;
  /** Which endpoints push subscriptions may use: default SAMARITAN_PUSH_HOSTS or the known push services, https, public addresses only. */
  readonly pushServices?: PushServicePolicy;
  /** How push service names are resolved (default node:dns lookup, every address); tests answer by hand. */
  readonly resolveHost?: Resolver;
  readonly worker?: WorkerOptions;
  readonly aeds?: AedDirectory;
  readonly timeZone?: string;
  readonly auditRetentionMs?: number;
  /** Overrides the first unit's ETA (tests); default: the unit recommendation's fastest candidate. */
  readonly firstUnitEtaS?: (incident: IncidentState) => Promise<number | undefined>;
  readonly phoneOf?: PhoneBook;
  /** The index candidates are searched in (default the live index); the benchmark's baseline swaps it. */
  readonly candidateIndex?: MovingPointIndex;
  readonly onTimings?: (t: StartTimings) => void;
  /** Do not deliver until `worker.resume()` (tests that change a volunteer between decision and delivery). */
  readonly paused?: boolean;
  /** Uniform in [0, 1): the jitter of retries after a failure (default Math.random; tests seed it). */
  readonly random?: () => number;
  /** Where the timers, the engine and the queue say they started failing or work again (default stderr). */
  readonly log?: (line: string) => void;
  /** Where a fault of the engine or the timers goes, with what failed (default stderr, with its stack). */
  readonly onError?: (what: string, e: unknown) => void;
}

export interface RespondersDeps {
  readonly dataDir: string;
  readonly tables: Store<StreamState>;
  readonly writer: Writer;
  readonly tail: LogTail;
  readonly accounts: Accounts;
  readonly positions: PositionIntake;
  readonly router: Router;
  /** Travel times off the event loop (the travel worker). */
  readonly travel: TravelTimes;
  /** Epoch ms now (the `time` clock's reading). */
  readonly clock: () => number;
  /** What the timers, the delivery worker's retries and the socket heartbeat wait on. */
  readonly time: Clock;
  readonly policy: VolunteerPolicy;
  readonly volunteers: Volunteers;
  readonly aeds: AedRegistry;
  /** The first unit's ETA from the unit recommendation (Queries.recommendation). */
  readonly firstUnitEtaS: (incident: IncidentState) => Promise<number | undefined>;
  /** The other nodes: timer claims, and (when `relay`) the WebSocket channel across nodes. */
  readonly cluster: Cluster;
  /** Other nodes may hold volunteers' sockets: relay frames to them. */
  readonly relay: boolean;
}

/** The volunteer response engine, its timers and the alert delivery queue, running together. */
export interface Responders {
  readonly policy: VolunteerPolicy;
  readonly engine: ResponseEngine;
  readonly timers: TimerScheduler;
  readonly outbox: OutboxStore;
  readonly worker: DeliveryWorker;
  readonly receipts: Receipts;
  /** The sockets held by this node. */
  readonly sockets: ResponderSockets;
  /** The WebSocket channel across nodes, when other nodes may hold sockets. */
  readonly relay: SocketRelay | undefined;
  readonly push: WebPushChannel;
  readonly pushDevices: PushDevices;
  readonly webhook: WebhookChannel | undefined;
  readonly aeds: AedDirectory;
  readonly timeZone: string;
  /** The work of every node: the socket heartbeat and presence, the timers (each firing claimed); call once the app is assembled. */
  start(): Promise<void>;
  /**
   * The leader's work: catches up (the queue's intake, responses a leader died before starting),
   * then follows the log with the engine and the intake, and delivers.
   */
  lead(): Promise<void>;
  /** Stops the leader's work (another node leads now). */
  unlead(): Promise<void>;
  /** Resolves once the engine, the timers, the queue's intake and the worker have nothing in flight. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

const toStderr = (what: string, e: unknown) => process.stderr.write(`${what}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
const report = (what: string) => (e: unknown) => toStderr(what, e);

function webhookFromEnv(): WebhookConfig | undefined {
  const url = process.env['SAMARITAN_ALERT_WEBHOOK_URL'];
  const secret = process.env['SAMARITAN_ALERT_WEBHOOK_SECRET'];
  return url && secret ? { url, secret } : undefined;
}

function capGatewayFromEnv(): CapGatewayConfig | undefined {
  const url = process.env['SAMARITAN_CAP_GATEWAY_URL'];
  const secret = process.env['SAMARITAN_CAP_GATEWAY_SECRET'];
  return url && secret ? { url, secret } : undefined;
}

export function createResponders(d: RespondersDeps, o: RespondersOptions = {}): Responders {
  const store = d.tables.events;
  const outbox = d.tables.outbox;
  const receipts = new Receipts(outbox, {
    write: async (events, records) => {
      const outcome = await d.writer.record(events, { actor: systemActor('delivery'), records });
      if (!outcome.ok && outcome.code === 'RecordConflict') return false;
      if (!outcome.ok) throw new Error(`receipt: ${outcome.message}`);
      return true;
    },
  });
  const random = o.random ?? Math.random;
  const log = o.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const sockets = new ResponderSockets(d.time);
  // Whether this node runs the leader's work now (engine, intake, delivery), and follows the log at all.
  let leading = false;
  let following = false;
  const relay = d.relay
    ? new SocketRelay(
        sockets,
        d.cluster,
        d.time,
        (volunteerId) => {
          // A socket opened on another node: what waits for that volunteer goes now, from here.
          if (leading) outbox.hurry(volunteerId, d.clock()).then(() => worker.kick(), report('queued messages not hurried'));
        },
        report('socket relay'),
      )
    : undefined;
  const pushDevices = new PushDevices(d.volunteers);
  const vapid = loadOrCreateVapidKeys(d.dataDir, o.vapidSubject ?? process.env['SAMARITAN_VAPID_SUBJECT']);
  const push = new WebPushChannel(pushDevices, vapid, d.clock, new PushEndpoints(o.pushServices ?? pushPolicyFromEnv(), o.resolveHost));
  const hook = o.webhook === null ? undefined : (o.webhook ?? webhookFromEnv());
  const webhook = hook === undefined ? undefined : new WebhookChannel(hook, d.clock, o.phoneOf ?? ((id) => d.volunteers.profile(id)?.phone));
  const capConfig = o.capGateway === null ? undefined : (o.capGateway ?? capGatewayFromEnv());
  const capGateway = capConfig === undefined ? undefined : new CapGatewayChannel(capConfig, d.clock, o.phoneOf ?? ((id) => d.volunteers.profile(id)?.phone));
  const channels: Channel[] = [relay ?? sockets, push, ...(webhook ? [webhook] : []), ...(capGateway ? [capGateway] : [])];
  const worker = new DeliveryWorker(outbox, channels, deliveryGate(store, d.policy, (id) => d.accounts.activeDevices(id), outbox, (id, active) => sockets.prune(id, active)), receipts, d.time, {
    random,
    log,
    ...o.worker,
  });
  // Only the leader delivers: paused until this node leads (and, with `paused`, until the test resumes it).
  worker.pause();
  const timeZone = o.timeZone ?? DEMO_TIME_ZONE;
  const aeds = o.aeds ?? registryDirectory(d.aeds);
  const engine = new ResponseEngine(
    {
      store,
      policy: d.policy,
      index: o.candidateIndex ?? d.positions.index,
      positions: d.positions.index,
      available: d.positions.attrs.availableVolunteers(),
      travel: d.travel,
      writer: d.writer,
      router: d.router,
      aeds,
      clock: d.clock,
      timeZone,
      firstUnitEtaS: o.firstUnitEtaS ?? d.firstUnitEtaS,
      onError: (e) => (o.onError ?? toStderr)('volunteer response', e),
      time: d.time,
      random,
      log,
      ...(o.onTimings ? { onTimings: o.onTimings } : {}),
    },
    d.policy,
  );
  const materializer = new AlertMaterializer(
    { store, policy: d.policy, outbox, retentionMs: o.auditRetentionMs ?? DEFAULT_AUDIT_RETENTION_MS, index: d.positions.index, router: d.router, clock: d.clock, time: d.time, random, log },
    () => worker.kick(),
  );
  const timers = new TimerScheduler({
    store,
    writer: d.writer,
    clock: d.time,
    // The purges are the leader's (the alert audit's, and expired throttle counts and secrets); the firings are claimed one by one.
    housekeeping: (now) => (leading ? Promise.all([outbox.purgeAlertPositions(now), d.tables.shortLived.purge(now)]) : Promise.resolve()),
    claim: (key, fn) => d.cluster.claim(key, fn),
    onError: (e) => (o.onError ?? toStderr)('volunteer timers', e),
    random,
    log,
  });

  const unsubscribe = d.tail.follow((events) => {
    for (const e of events) {
      if (e.type !== 'VolunteerDeleted') continue;
      // The alert audit is anonymised with the account (push devices go with the personal data).
      outbox.anonymiseAlertPositions(e.data.volunteerId).catch(report('alert audit'));
    }
    if (following) timers.notice(events);
    if (!leading) return;
    engine.notice(events);
    materializer.notice(events);
  });

  return {
    policy: d.policy,
    engine,
    timers,
    outbox,
    worker,
    receipts,
    sockets,
    relay,
    push,
    pushDevices,
    webhook,
    aeds,
    timeZone,
    async start() {
      sockets.startHeartbeat();
      relay?.start();
      following = true;
      await timers.start();
    },
    async lead() {
      leading = true;
      await materializer.init();
      await materializer.catchUp();
      if (o.paused !== true) worker.resume();
      worker.kick();
      await engine.catchUp();
    },
    async unlead() {
      leading = false;
      worker.pause();
      await materializer.idle();
      await worker.idle();
    },
    async settle() {
      for (let i = 0; i < 20; i++) {
        await timers.idle();
        await engine.idle();
        await materializer.idle();
        await worker.drain();
        await new Promise((r) => setImmediate(r));
        if (!engine.busy && !materializer.busy && !timers.busy) return;
      }
    },
    async close() {
      unsubscribe();
      await engine.close();
      await timers.close();
      materializer.stop();
      await materializer.idle();
      await worker.close();
      relay?.close();
      sockets.closeAll();
    },
  };
}

/**
 * The first unit's ETA (s) from a unit recommendation: its fastest candidate. The driving times of
 * every unit are asked of `travel` (off the event loop) first; the recommendation then reads them.
 */
export async function firstUnitEta(queries: Queries, travel: TravelTimes, incident: IncidentState): Promise<number | undefined> {
  const units = queries.whereabouts().filter((w) => w.source !== 'stale');
  const times = await travel('drive', incident.details.location, units.map((w) => ({ id: w.unit.id, location: w.location, unitType: w.unit.unitType })));
  const byUnit = new Map(units.map((w, i) => [w.unit.id, times[i]]));
  const known: TravelTimeEstimator = {
    name: 'road-drive',
    travelTimes: (_to, origins) => origins.map((o) => byUnit.get(o.id) ?? { ok: false, code: 'NoRoute' }),
  };
  const r = await queries.recommendation(incident, known);
  return r.candidates.length === 0 ? undefined : Math.min(...r.candidates.map((c) => c.etaS));
}
