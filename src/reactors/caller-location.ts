import type { Actor } from '../core/actor.ts';
import { systemActor } from '../core/actor.ts';
import type { CallerLocationData, PendingEvent, StoredEvent } from '../core/events.ts';
import type { IncidentState } from '../core/incident.ts';
import type { IncidentId } from '../core/ids.ts';
import { OPEN_INCIDENT_STATUSES } from '../core/statuses.ts';
import { incidentStream } from '../core/streams.ts';
import type { AmlFix } from '../interop/aml/aml.ts';
import { sameLine } from '../interop/aml/aml.ts';
import { CallerFixes, type HeldFix } from '../interop/aml/caller-fixes.ts';
import type { LogTail } from '../log/log-tail.ts';
import type { WriteContext, Writer } from '../log/writer.ts';
import type { EventStore } from '../store/event-store.ts';
import type { StreamState } from '../core/loaded.ts';

export interface CallerLocationDeps {
  readonly store: EventStore<StreamState>;
  readonly writer: Writer;
  readonly tail: LogTail;
  readonly clock: () => number;
  readonly newId: () => string;
  readonly onError: (e: unknown) => void;
}

/** What became of a fix: the incident it was placed on, or that it is offered until `expiresAt`. */
export interface Placement {
  readonly fixId: string;
  readonly incidentId?: string;
  readonly expiresAt: string;
}

const ACTOR = systemActor('caller-location');

const dataOf = (fix: AmlFix): CallerLocationData => ({
  location: fix.location,
  radiusM: fix.radiusM,
  locatedAt: fix.locatedAt,
  method: fix.method,
  ...(fix.confidencePct === undefined ? {} : { confidencePct: fix.confidencePct }),
  ...(fix.altitudeM === undefined ? {} : { altitudeM: fix.altitudeM }),
  ...(fix.floor === undefined ? {} : { floor: fix.floor }),
  via: fix.via,
});

/**
 * Places a caller's phone position (AML) on the incident being taken for that number: the open
 * incident with the same callback number received last. With none yet, the fix is held in memory
 * (CallerFixes) and offered to the call-taker's form; an incident created or completed with that
 * number within the hour gets it then. Every placement is a `CallerLocationReceived` on the
 * incident's stream, which the live stream carries to the console.
 */
export class CallerLocationDesk {
  private readonly fixes = new CallerFixes();
  /** Which fix each incident last got, so a detail change does not place the same fix twice. */
  private readonly placed = new Map<string, string>();
  private readonly stop: () => void;

  constructor(private readonly d: CallerLocationDeps) {
    this.stop = d.tail.follow((events) => this.follow(events));
  }

  close(): void {
    this.stop();
  }

  /** Takes a fix from the gateway: places it on the incident of its number, or offers it. */
  async take(fix: AmlFix, ctx: WriteContext): Promise<Placement> {
    const now = this.d.clock();
    const held = this.fixes.put(this.d.newId(), fix, now);
    const expiresAt = new Date(held.expiresAt).toISOString();
    const incident = await this.incidentFor(fix.number);
    if (incident) {
      await this.place(held, incident.id, ctx);
      return { fixId: held.id, incidentId: incident.id, expiresAt };
    }
    const offered: PendingEvent = { type: 'CallerLocationOffered', stream: 'aml-offers', at: new Date(now).toISOString(), data: { fixId: held.id, expiresAt } };
    const outcome = await this.d.writer.record([offered], ctx);
    if (!outcome.ok) throw new Error(`caller location offer: ${outcome.message}`);
    return { fixId: held.id, expiresAt };
  }

  /** The latest fix from a line, for the form of a new incident. */
  offered(number: string): HeldFix | undefined {
    return this.fixes.latest(number, this.d.clock());
  }

  private async incidentFor(number: string): Promise<IncidentState | undefined> {
    const open = (await this.d.store.list('incident', OPEN_INCIDENT_STATUSES, 1_000_000)) as IncidentState[];
    return open
      .filter((s) => s.details.callbackNumber !== undefined && sameLine(s.details.callbackNumber, number))
      .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt))[0];
  }

  private async place(held: HeldFix, incidentId: string, ctx: { actor: Actor; requestId?: string }): Promise<void> {
    this.placed.set(incidentId, held.id);
    const event: PendingEvent = {
      type: 'CallerLocationReceived',
      stream: incidentStream(incidentId as IncidentId),
      at: new Date(this.d.clock()).toISOString(),
      data: { incidentId, ...dataOf(held.fix) },
    };
    const outcome = await this.d.writer.record([event], ctx);
    if (!outcome.ok) {
      this.placed.delete(incidentId);
      throw new Error(`caller location: ${outcome.message}`);
    }
  }

  /** An incident logged or completed with a callback number that has a held fix gets that fix. */
  private follow(events: readonly StoredEvent[]): void {
    for (const e of events) {
      if (e.type !== 'IncidentReceived' && e.type !== 'IncidentDetailsUpdated') continue;
      const { incidentId } = e.data;
      const number = e.type === 'IncidentReceived' ? e.data.callbackNumber : e.data.changes.callbackNumber;
      if (number === undefined) continue;
      const held = this.fixes.latest(number, this.d.clock());
      if (!held || this.placed.get(incidentId) === held.id) continue;
      const requestId = e.requestId;
      this.place(held, incidentId, { actor: ACTOR, ...(requestId === undefined ? {} : { requestId }) }).catch(this.d.onError);
    }
  }
}
