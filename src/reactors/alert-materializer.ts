import type { StoredEvent } from '../core/events.ts';
import type { IncidentState } from '../core/incident.ts';
import { epochMs, type IncidentId } from '../core/ids.ts';
import { haversine } from '../core/lat-lon.ts';
import type { StreamState } from '../core/loaded.ts';
import { incidentStream, responseStream, volunteerStream } from '../core/streams.ts';
import { sceneDetail, sceneFor, type SceneDetail } from '../core/scene.ts';
import type { VolunteerPolicy } from '../core/volunteer-policy.ts';
import type { ResponseState } from '../core/volunteer-response.ts';
import type { VolunteerState } from '../core/volunteer.ts';
import type { AlertPosition, NewMessage, OutboxStore } from '../store/outbox-store.ts';
import type { MovingPointIndex } from '../geo/moving-point-index.ts';
import type { Router } from '../routing/router.ts';
import type { EventStore } from '../store/event-store.ts';
import { walkingRoute } from '../volunteers/walking-route.ts';
import { failureText } from '../store/storage-unavailable.ts';
import type { Clock } from '../time/clock.ts';
import { RetryBackoff } from '../time/retry-backoff.ts';

/** The events that become messages to a volunteer. */
const MESSAGE_EVENTS = new Set(['VolunteerAlerted', 'VolunteerRoleAssigned', 'VolunteerStoodDown', 'VolunteerAlertExpired']);
const PAGE = 1000;

export interface MaterializerDeps {
  readonly store: EventStore<StreamState>;
  /** Decides, as the API does, how much of the scene a role message shows. */
  readonly policy: VolunteerPolicy;
  readonly outbox: OutboxStore;
  /** How long an alert's position is kept (ms), see alerting/alert-audit.ts. */
  readonly retentionMs: number;
  /** Where volunteers are now (the live index): the audit's position and the start of a role's route. */
  readonly index: MovingPointIndex;
  readonly router: Router;
  readonly clock: () => number;
  /** What a failed run (the queue could not be written) waits on before it is tried again. */
  readonly time: Clock;
  /** Uniform in [0, 1): the jitter of those retries. */
  readonly random: () => number;
  /** Where the one line per change between failing and working goes. */
  readonly log: (line: string) => void;
}

/**
 * Turns the log into queued messages. The queue is derived from the log by seq with a cursor of
 * its own: the events that call for a message (VolunteerAlerted, VolunteerRoleAssigned,
 * VolunteerStoodDown, VolunteerAlertExpired) are durable before any message exists, and the rows
 * made from events up to seq N commit with the cursor moving to N, so a crash in between leaves
 * the cursor behind and the next start makes the missing rows (a message is never made twice:
 * one per seq and volunteer). Woken by the log tail right after a commit that holds a message
 * event, on setImmediate, so the command path never waits for it; at start-up it catches up from
 * the cursor. With each alert it records the volunteer's position in the alert audit.
 */
export class AlertMaterializer {
  private running: Promise<void> | undefined;
  private again = false;
  /** Events the log tail handed over since the last run, in seq order without a gap. */
  private inHand: StoredEvent[] = [];
  private readonly retries: RetryBackoff;
  private cancelRetry: (() => void) | undefined;

  constructor(
    private readonly d: MaterializerDeps,
    private readonly queued: () => void,
  ) {
    this.retries = new RetryBackoff('alert queue intake', d.log, { random: d.random });
  }

  /** On a new queue, starts at the log's head: what happened before delivery existed is not sent. */
  async init(): Promise<void> {
    if ((await this.d.outbox.cursor()) === undefined) await this.d.outbox.enqueue([], await this.d.store.headSeq(), this.d.clock());
  }

  /** Called with each published batch: queues messages when the batch holds a message event. */
  notice(events: readonly StoredEvent[]): void {
    // Kept in hand, so that the next run need not read back from the store what it was just given.
    if (this.inHand.length + events.length <= PAGE) this.inHand.push(...events);
    else this.inHand = [];
    if (events.some((e) => MESSAGE_EVENTS.has(e.type))) this.kick();
  }

  kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.cancelRetry?.();
    this.cancelRetry = undefined;
    this.running = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.catchUp())
      .then((added) => {
        this.retries.succeeded('intake', this.d.clock());
        if (added > 0) this.queued();
      })
      .catch((e: unknown) => {
        // The events are in the log and the cursor did not move: a later run queues their messages.
        const wait = this.retries.failed('intake', failureText(e), this.d.clock());
        this.again = false;
        this.cancelRetry = this.d.time.after(wait, () => {
          this.cancelRetry = undefined;
          this.kick();
        });
      })
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Stops retrying after a failure (closing). */
  stop(): void {
    this.cancelRetry?.();
    this.cancelRetry = undefined;
  }

  get busy(): boolean {
    return this.running !== undefined;
  }

  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Reads the log after the cursor and queues what it calls for; returns the messages added. */
  async catchUp(): Promise<number> {
    let added = 0;
    for (;;) {
      const after = (await this.d.outbox.cursor()) ?? 0;
      const held = this.inHand;
      this.inHand = [];
      const events = held[0]?.seq === after + 1 ? held : await this.d.store.readAfter(after, PAGE);
      if (events.length === 0) return added;
      const incidents = new Map<string, IncidentState | undefined>();
      const incident = async (id: string) => {
        if (!incidents.has(id)) {
          const s = incidentStream(id as IncidentId);
          incidents.set(id, (await this.d.store.load([s])).get(s)?.state as IncidentState | undefined);
        }
        return incidents.get(id);
      };
      const messages: NewMessage[] = [];
      const positions: AlertPosition[] = [];
      for (const e of events) {
        if (!MESSAGE_EVENTS.has(e.type)) continue;
        const m = await this.messageOf(e, incident, positions);
        if (m) messages.push(m);
      }
      added += await this.d.outbox.enqueue(messages, events[events.length - 1]!.seq, this.d.clock(), positions);
      if (events.length < PAGE && events !== held) return added;
    }
  }

  /** How much of the scene the volunteer of an accepted alert is shown now (core/scene.ts), as in GET /api/volunteers/me/alerts. */
  private async roleDetail(volunteerId: string, incidentId: string, i: IncidentState | undefined): Promise<SceneDetail> {
    const [vs, rs] = [volunteerStream(volunteerId), responseStream(incidentId)];
    const loaded = await this.d.store.load([vs, rs]);
    const v = loaded.get(vs)?.state as VolunteerState | undefined;
    const nature = (loaded.get(rs)?.state as ResponseState | undefined)?.nature ?? i?.details.nature;
    return nature === undefined ? 'place' : sceneDetail(this.d.policy, v, nature, 'accepted', epochMs(this.d.clock()));
  }

  private async messageOf(
    e: StoredEvent,
    incident: (id: string) => Promise<IncidentState | undefined>,
    positions: AlertPosition[],
  ): Promise<NewMessage | undefined> {
    const base = { seq: e.seq, incidentId: '', volunteerId: '', alertId: '' };
    switch (e.type) {
      case 'VolunteerAlerted': {
        const d = e.data;
        const i = await incident(d.incidentId);
        const fix = this.d.index.get(d.volunteerId);
        const scene = i?.details.location;
        positions.push({
          alertId: d.alertId,
          incidentId: d.incidentId,
          volunteerId: d.volunteerId,
          alertedAt: e.at,
          purgeAfter: Date.parse(e.at) + this.d.retentionMs,
          ...(fix === undefined ? {} : { position: { lat: fix.lat, lon: fix.lon, fixAt: new Date(fix.atMs).toISOString() } }),
          ...(fix === undefined || scene === undefined ? {} : { distanceM: haversine(scene, fix) }),
        });
        return {
          ...base,
          kind: 'alert',
          incidentId: d.incidentId,
          volunteerId: d.volunteerId,
          alertId: d.alertId,
          body: {
            wave: d.wave,
            etaS: d.etaS,
            expiresAt: d.expiresAt,
            nature: d.nature,
            place: d.place,
            policyRule: d.policyRule,
            // Before the accept a volunteer is shown the area only, whatever older alert events carry.
            ...(i === undefined ? {} : sceneFor(i.details, 'area')),
          },
        };
      }
      case 'VolunteerRoleAssigned': {
        const d = e.data;
        const i = await incident(d.incidentId);
        const detail = await this.roleDetail(d.volunteerId, d.incidentId, i);
        const fix = this.d.index.get(d.volunteerId);
        const from = fix ?? (await this.d.outbox.alertPosition(d.alertId));
        const route = i === undefined ? undefined : walkingRoute(this.d.router, from, i.details.location, d.aed?.location);
        return {
          ...base,
          kind: 'role',
          incidentId: d.incidentId,
          volunteerId: d.volunteerId,
          alertId: d.alertId,
          body: {
            role: d.role,
            fills: d.fills,
            reason: d.reason,
            // Decided here as the API decides it, not by what the event carries: older role events
            // carry the access notes for every volunteer.
            ...(i === undefined
              ? { ...(d.floor === undefined ? {} : { floor: d.floor }), ...(d.access === undefined || detail !== 'access' ? {} : { access: d.access }) }
              : sceneFor(i.details, detail)),
            ...(d.aed === undefined ? {} : { aed: d.aed }),
            ...(route === undefined ? {} : { route }),
          },
        };
      }
      case 'VolunteerStoodDown': {
        const d = e.data;
        // Volunteers who withdrew themselves (off duty, consent, deletion) are not told what they did.
        if (d.reason === 'volunteer_withdrew') return undefined;
        return {
          ...base,
          kind: 'stand_down',
          incidentId: d.incidentId,
          volunteerId: d.volunteerId,
          alertId: d.alertId,
          body: { reason: d.reason, detail: d.detail, wasAccepted: d.wasAccepted },
        };
      }
      case 'VolunteerAlertExpired': {
        const d = e.data;
        return { ...base, kind: 'expired', incidentId: d.incidentId, volunteerId: d.volunteerId, alertId: d.alertId, body: {} };
      }
      default:
        return undefined;
    }
  }
}
