import type { Actor } from '../core/actor.ts';
import { systemActor } from '../core/actor.ts';
import type { CallerLocationData, PendingEvent, StoredEvent } from '../core/events.ts';
import type { IncidentState } from '../core/incident.ts';
import type { IncidentId } from '../core/ids.ts';
import { OPEN_INCIDENT_STATUSES } from '../core/statuses.ts';
import { incidentStream } from '../core/streams.ts';
import type { AmlFix } from '../interop/aml/aml.ts';
import { sameLine } from '../interop/aml/aml.ts';
import { AML_FIX_TTL_MS, type HeldFix, latestFix, lineBucket, withFix } from '../interop/aml/caller-fixes.ts';
import type { LogTail } from '../log/log-tail.ts';
import type { WriteContext, Writer } from '../log/writer.ts';
import type { EventStore } from '../store/event-store.ts';
import type { ShortLivedStore } from '../store/short-lived-store.ts';
import type { StreamState } from '../core/loaded.ts';

export interface CallerLocationDeps {
  readonly store: EventStore<StreamState>;
  /** Where the fixes not yet placed are held, shared by every node. */
  readonly records: ShortLivedStore;
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

/** The fixes held for one line (caller-fixes.ts), and the fix each incident last got. */
const fixesKey = (bucket: string) => `aml:fixes:${bucket}`;
const placedKey = (incidentId: string) => `aml:placed:${incidentId}`;

/**
 * Places a caller's phone position (AML) on the incident being taken for that number: the open
 * incident with the same callback number received last. With none yet, the fix is held for an hour
 * as a short-lived record (by line, caller-fixes.ts) and offered to the call-taker's form, on
 * whichever node it is asked; an incident created or completed with that number within the hour
 * gets it then. Every node follows the log, and the one that first claims the incident for the fix
 * places it: a `CallerLocationReceived` on the incident's stream, which the live stream carries to
 * the console.
 */
export class CallerLocationDesk {
  /** The placements started from the log and not finished yet. */
  private readonly pending = new Set<Promise<void>>();
  private readonly stop: () => void;

  constructor(private readonly d: CallerLocationDeps) {
    this.stop = d.tail.follow((events) => this.follow(events));
  }

  close(): void {
    this.stop();
  }

  /** Resolves once every placement started from the log so far has finished. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all(this.pending);
  }

  /** Takes a fix from the gateway: places it on the incident of its number, or offers it. */
  async take(fix: AmlFix, ctx: WriteContext): Promise<Placement> {
    const now = this.d.clock();
    const held: HeldFix = { id: this.d.newId(), fix, receivedAt: now, expiresAt: now + AML_FIX_TTL_MS };
    const bucket = lineBucket(fix.number);
    // A number too short to be any line's is never matched: nothing to hold.
    if (bucket !== undefined) {
      await this.d.records.update([fixesKey(bucket)], now, ([current]) => ({
        values: [withFix((current as HeldFix[] | undefined) ?? [], held, now)],
        expiresAt: held.expiresAt,
        result: undefined,
      }));
    }
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
  async offered(number: string): Promise<HeldFix | undefined> {
    const bucket = lineBucket(number);
    if (bucket === undefined) return undefined;
    const now = this.d.clock();
    return latestFix(((await this.d.records.get(fixesKey(bucket), now)) as HeldFix[] | undefined) ?? [], number, now);
  }

  private async incidentFor(number: string): Promise<IncidentState | undefined> {
    const open = (await this.d.store.list('incident', OPEN_INCIDENT_STATUSES, 1_000_000)) as IncidentState[];
    return open
      .filter((s) => s.details.callbackNumber !== undefined && sameLine(s.details.callbackNumber, number))
      .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt))[0];
  }

  /**
   * Writes the fix on the incident, unless it is the fix the incident last got: claimed first, so
   * that of the nodes following the log, and of a detail change after it, only one places it.
   */
  private async place(held: HeldFix, incidentId: string, ctx: { actor: Actor; requestId?: string }): Promise<void> {
    const now = this.d.clock();
    const claimed = await this.d.records.update([placedKey(incidentId)], now, ([last]) =>
      last === held.id ? { values: [last], expiresAt: held.expiresAt, result: false } : { values: [held.id], expiresAt: held.expiresAt, result: true },
    );
    if (!claimed) return;
    const event: PendingEvent = {
      type: 'CallerLocationReceived',
      stream: incidentStream(incidentId as IncidentId),
      at: new Date(this.d.clock()).toISOString(),
      data: { incidentId, ...dataOf(held.fix) },
    };
    // Not placed (refused, or the store failed): the claim goes, so that a later try may place it.
    const release = () =>
      this.d.records.update([placedKey(incidentId)], now, ([last]) => ({
        values: [last === held.id ? undefined : last],
        expiresAt: held.expiresAt,
        result: undefined,
      }));
    let outcome;
    try {
      outcome = await this.d.writer.record([event], ctx);
    } catch (e) {
      await release().catch(() => {});
      throw e;
    }
    if (!outcome.ok) {
      await release();
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
      const requestId = e.requestId;
      const placing = this.offered(number)
        .then((held) => (held ? this.place(held, incidentId, { actor: ACTOR, ...(requestId === undefined ? {} : { requestId }) }) : undefined))
        .catch(this.d.onError);
      this.pending.add(placing);
      void placing.finally(() => this.pending.delete(placing));
    }
  }
}
