import type { Command } from '../core/commands.ts';
import type { StoredEvent } from '../core/events.ts';
import { epochMs, type EpochMs, type IncidentId } from '../core/ids.ts';
import { isOpen, type IncidentState } from '../core/incident.ts';
import type { StreamState } from '../core/loaded.ts';
import { incidentOfAlert } from '../core/response-steps.ts';
import { incidentStream, responseStream } from '../core/streams.ts';
import { volunteersWanted, type VolunteerPolicy } from '../core/volunteer-policy.ts';
import type { ResponseState, StandDownCommandReason } from '../core/volunteer-response.ts';
import { rolesLeft } from '../core/volunteer-roles.ts';
import type { MovingPointIndex } from '../geo/moving-point-index.ts';
import type { Router } from '../routing/router.ts';
import type { AedDirectory } from '../volunteers/aed-directory.ts';
import { systemActor } from '../core/actor.ts';
import type { ExecuteOptions, Outcome, Writer } from '../log/writer.ts';
import { utcOffsetMinAt } from '../time/time-zone.ts';
import { WorkQueue } from './work-queue.ts';
import type { Clock } from '../time/clock.ts';
import { RetryBackoff } from '../time/retry-backoff.ts';
import { failureText, StorageUnavailable } from '../store/storage-unavailable.ts';
import { aedOptions, findCandidates, type CandidateDeps, type SearchTimings } from '../volunteers/volunteer-candidates.ts';

/** Where the time of one response start went (ms), for the latency benchmark. */
export interface StartTimings extends SearchTimings {
  readonly incidentId: string;
  /** performance.now() when the engine took the incident up, and when its decision was appended. */
  readonly startedAt: number;
  readonly appendedAt: number;
  readonly firstUnitMs: number;
  readonly decideAppendMs: number;
  readonly alerted: number;
}

export interface EngineDeps extends CandidateDeps {
  readonly writer: Writer;
  readonly router: Router;
  readonly aeds: AedDirectory;
  readonly clock: () => number;
  /** The IANA zone of the incidents' local time (quiet hours, AED opening hours). */
  readonly timeZone: string;
  /** Seconds until the first unit is on scene, from the unit recommendation; undefined when none. */
  readonly firstUnitEtaS: (incident: IncidentState) => Promise<number | undefined>;
  /** Where a volunteer is now (live index). */
  readonly positions: MovingPointIndex;
  readonly onTimings?: (t: StartTimings) => void;
  readonly onError?: (e: unknown) => void;
  /** What a reaction that failed (a full disk) waits on before it is tried again. */
  readonly time: Clock;
  /** Uniform in [0, 1): the jitter of those retries. */
  readonly random: () => number;
  /** Where the one line per change between failing and working goes. */
  readonly log: (line: string) => void;
}

/** How recent an incident must be for a response to be started when the process (re)starts. */
const CATCH_UP_MS = 5 * 60_000;
const ACTOR = { actor: systemActor('response-engine') } as const;
/** Stand-downs go before any start: they are cheap, and they stop alerts that are no longer needed. */
const STAND_DOWN_RANK = 0;

/**
 * The volunteer response engine: it follows the log and turns incidents into volunteer
 * responses, never inside the request that appended them (each reaction runs on setImmediate,
 * one incident's reactions in order).
 * - IncidentReceived (or a correction making the nature one that wants volunteers) → candidates
 *   near the scene, walking times, the first unit's ETA, the local UTC offset → StartVolunteerResponse,
 *   which sends wave 1 in the same decision.
 * - A unit of the incident on scene → StandDownVolunteers(first_unit_on_scene); the incident
 *   cancelled → (incident_cancelled); resolved or closed → (incident_resolved).
 * It also builds a volunteer's AcceptAlert with the AEDs they could fetch.
 */
export class ResponseEngine {
  private readonly work: WorkQueue;
  /** Reactions that failed, per incident: queued again after a wait that grows with each failure. */
  private readonly retries: RetryBackoff;
  private readonly waiting = new Set<() => void>();
  private closed = false;

  constructor(
    private readonly d: EngineDeps,
    private readonly policy: VolunteerPolicy,
  ) {
    this.work = new WorkQueue(d.onError);
    this.retries = new RetryBackoff('volunteer response', d.log, { random: d.random });
  }

  notice(events: readonly StoredEvent[]): void {
    for (const e of events) {
      switch (e.type) {
        case 'IncidentReceived':
          this.queue(e.data.incidentId, e.data.priority, () => this.start(e.data.incidentId));
          break;
        case 'IncidentDetailsUpdated':
          if (e.data.changes.nature !== undefined) this.queue(e.data.incidentId, e.data.changes.priority ?? 2, () => this.start(e.data.incidentId));
          break;
        case 'UnitStatusChanged':
          if (e.data.to === 'on_scene' && e.data.incidentId !== undefined) {
            const id = e.data.incidentId;
            this.queue(id, STAND_DOWN_RANK, () => this.standDown(id, 'first_unit_on_scene'));
          }
          break;
        case 'IncidentStatusChanged': {
          const id = e.data.incidentId;
          if (e.data.to === 'on_scene') this.queue(id, STAND_DOWN_RANK, () => this.standDown(id, 'first_unit_on_scene'));
          if (e.data.to === 'cancelled') this.queue(id, STAND_DOWN_RANK, () => this.standDown(id, 'incident_cancelled'));
          if (e.data.to === 'resolved' || e.data.to === 'closed') this.queue(id, STAND_DOWN_RANK, () => this.standDown(id, 'incident_resolved'));
          break;
        }
        default:
          break;
      }
    }
  }

  /**
   * Runs `task` after the incident's earlier reactions, on a later turn of the event loop, most
   * urgent first. A task the store refused (StorageUnavailable: a full or read-only disk) is queued
   * again after a backoff: each reaction reads the state afresh, so doing it later is as right as
   * doing it now. Any other failure is a fault here, which trying again would only repeat: it goes
   * to `onError`.
   */
  private queue(incidentId: string, rank: number, task: () => Promise<unknown>): void {
    this.work.push(incidentId, rank, async () => {
      try {
        await task();
      } catch (e) {
        if (!(e instanceof StorageUnavailable)) throw e;
        const wait = this.retries.failed(incidentId, failureText(e), this.d.clock());
        const cancel = this.d.time.after(wait, () => {
          this.waiting.delete(cancel);
          if (!this.closed) this.queue(incidentId, rank, task);
        });
        this.waiting.add(cancel);
        return;
      }
      this.retries.succeeded(incidentId, this.d.clock());
    });
  }

  get busy(): boolean {
    return this.work.size > 0;
  }

  /** Resolves once no reaction is in flight. */
  async idle(): Promise<void> {
    await this.work.idle();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const cancel of this.waiting) cancel();
    this.waiting.clear();
    await this.work.close();
  }

  /** At start-up: recent open incidents that want volunteers but have no response (the process died first). */
  async catchUp(): Promise<void> {
    const now = this.d.clock();
    const open = (await this.d.store.list('incident', ['received', 'dispatched', 'en_route'])) as IncidentState[];
    for (const i of open) {
      if (now - Date.parse(i.receivedAt) <= CATCH_UP_MS && volunteersWanted(this.policy, i.details.nature)) this.queue(i.id, i.details.priority, () => this.start(i.id));
    }
  }

  private async load<T extends StreamState>(stream: string): Promise<T | undefined> {
    return (await this.d.store.load([stream])).get(stream)?.state as T | undefined;
  }

  private async execute(command: Command, options: ExecuteOptions = ACTOR): Promise<Outcome> {
    return this.d.writer.execute(command, options);
  }

  /** Starts the volunteer response to an incident, if its nature wants volunteers and none is started. */
  async start(incidentId: string): Promise<Outcome | undefined> {
    const startedAt = performance.now();
    const incident = await this.load<IncidentState>(incidentStream(incidentId as IncidentId));
    if (incident === undefined || !isOpen(incident) || incident.status === 'on_scene') return undefined;
    if (!volunteersWanted(this.policy, incident.details.nature)) return undefined;
    if ((await this.load<ResponseState>(responseStream(incidentId))) !== undefined) return undefined;
    const now = epochMs(this.d.clock());
    const utcOffsetMin = utcOffsetMinAt(this.d.timeZone, now);
    const place = incident.details.place ?? 'unknown';
    // The two searches (volunteers walking, units driving) run side by side on the travel worker.
    const t0 = performance.now();
    let t1 = t0;
    const [{ candidates, timings }, firstUnitEtaS] = await Promise.all([
      findCandidates(this.d, incident, place, now, utcOffsetMin),
      this.d.firstUnitEtaS(incident).finally(() => {
        t1 = performance.now();
      }),
    ]);
    const ready = performance.now();
    const outcome = await this.execute({
      type: 'StartVolunteerResponse',
      now,
      incidentId,
      place,
      utcOffsetMin,
      ...(firstUnitEtaS === undefined ? {} : { firstUnitEtaS }),
      candidates,
    });
    const t2 = performance.now();
    const alerted = outcome.ok ? (outcome.events?.filter((e) => e.type === 'VolunteerAlerted').length ?? 0) : 0;
    this.d.onTimings?.({ incidentId, startedAt, appendedAt: t2, ...timings, firstUnitMs: t1 - t0, decideAppendMs: t2 - ready, alerted });
    return outcome;
  }

  private async standDown(incidentId: string, reason: StandDownCommandReason): Promise<void> {
    const s = await this.load<ResponseState>(responseStream(incidentId));
    if (s === undefined || s.status === 'stood_down') return;
    if (s.status === 'complete' && (reason === 'first_unit_on_scene' || reason === 'enough_accepted')) return;
    await this.execute({ type: 'StandDownVolunteers', now: epochMs(this.d.clock()), incidentId, reason });
  }

  /**
   * A volunteer accepts their alert: the AEDs they could fetch are computed when `fetch_aed` is
   * still wanted (nearest open ones, walking volunteer → AED → scene), then AcceptAlert decides.
   */
  async accept(volunteerId: string, alertId: string, options: ExecuteOptions): Promise<Outcome> {
    const now: EpochMs = epochMs(this.d.clock());
    const incidentId = incidentOfAlert(alertId, volunteerId);
    const s = incidentId === undefined ? undefined : await this.load<ResponseState>(responseStream(incidentId));
    const incident = incidentId === undefined ? undefined : await this.load<IncidentState>(incidentStream(incidentId as IncidentId));
    const wantsAed = s !== undefined && rolesLeft(s.roles, s.assignments.map((a) => a.fills)).includes('fetch_aed');
    const fix = this.d.positions.get(volunteerId);
    const aeds =
      wantsAed && incident !== undefined
        ? aedOptions(this.d.router, this.d.aeds, this.policy, fix, incident.details.location, now)
        : [];
    return this.execute({ type: 'AcceptAlert', now, volunteerId, alertId, aeds }, options);
  }
}
