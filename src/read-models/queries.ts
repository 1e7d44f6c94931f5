import type { StoredEvent } from '../core/events.ts';
import { evolve } from '../core/evolve.ts';
import { seconds } from '../core/ids.ts';
import type { IncidentState } from '../core/incident.ts';
import { incidentStream } from '../core/streams.ts';
import type { IncidentId } from '../core/ids.ts';
import { recommend, type Recommendation, type UnitWhereabouts } from '../core/recommend.ts';
import { BY_ROAD } from '../core/unit-travel.ts';
import type { StationState } from '../core/station.ts';
import { OPEN_INCIDENT_STATUSES, type IncidentStatus } from '../core/statuses.ts';
import type { UnitState } from '../core/unit.ts';
import type { LatLon } from '../core/lat-lon.ts';
import type { ResponsePlan } from '../core/response-plan.ts';
import { onTimeline, toTimelineEntry, type TimelineEntry } from './timeline.ts';
import type { Actor } from '../core/actor.ts';
import type { StreamState } from '../core/loaded.ts';
import type { TravelTimeEstimator } from '../core/travel-time.ts';
import type { Configuration } from '../config/configuration.ts';
import type { FleetView } from '../fleet/fleet-view.ts';
import type { PositionIntake } from '../geo/position-intake.ts';
import type { EventStore } from '../store/event-store.ts';

export interface IncidentView {
  readonly id: string;
  readonly status: IncidentStatus;
  readonly nature: string;
  readonly priority: number;
  readonly location: LatLon;
  readonly address?: string;
  readonly floor?: string;
  readonly access?: string;
  readonly callerName?: string;
  readonly callbackNumber?: string;
  readonly notes?: string;
  readonly receivedAt: string;
  readonly statusChangedAt: string;
  readonly source?: string;
  readonly externalId?: string;
  /** Present (true) when the place lies outside the service area: a supervisor logged it anyway, or it was imported. */
  readonly outsideServiceArea?: true;
  readonly mergedInto?: string;
  readonly duplicates: readonly string[];
  readonly assignments: readonly IncidentState['assignments'][string][];
  readonly timeline?: readonly TimelineEntry[];
}

export interface UnitView extends UnitState {
  readonly livePosition?: { readonly lat: number; readonly lon: number; readonly at: string; readonly stale: boolean };
}

export function incidentView(s: IncidentState, timeline?: readonly TimelineEntry[]): IncidentView {
  const { details, assignments, ...rest } = s;
  return { ...rest, ...details, assignments: Object.values(assignments), ...(timeline ? { timeline } : {}) };
}

/** What the read side reads: the log's snapshots, the fleet in memory, live positions, configuration. */
export interface QueryDeps {
  readonly store: EventStore<StreamState>;
  readonly fleet: FleetView;
  readonly positions: PositionIntake;
  readonly clock: () => number;
  readonly config: Configuration;
  readonly estimator: TravelTimeEstimator;
  /** Who an actor is, in words (a user's or token's name). */
  readonly actorName: (actor: Actor) => Promise<string>;
}

/** Read-side questions the edges ask. Reads come from snapshots, never from folding the log. */
export class Queries {
  constructor(private readonly app: QueryDeps) {}

  async incident(id: string): Promise<IncidentState | undefined> {
    const snap = (await this.app.store.load([incidentStream(id as IncidentId)])).get(incidentStream(id as IncidentId));
    return snap?.state as IncidentState | undefined;
  }

  async incidentWithTimeline(id: string): Promise<IncidentView | undefined> {
    const s = await this.incident(id);
    if (!s) return undefined;
    // The incident's own events, its units', and the volunteer response (its delivery receipts
    // in detail are in GET /api/incidents/:id/volunteers), each with who did it.
    const events = (await this.app.store.readIncidentTimeline(id)).filter(onTimeline);
    const names = new Map<string, string>();
    for (const e of events) {
      const key = `${e.actor.kind} ${e.actor.id}`;
      if (!names.has(key)) names.set(key, await this.app.actorName(e.actor));
    }
    return incidentView(s, events.map((e) => toTimelineEntry(e, names.get(`${e.actor.kind} ${e.actor.id}`))));
  }

  /**
   * The view of an incident just created, from the events that created it: they are its whole
   * history so far, so the answer needs no read of the store.
   */
  newIncidentView(id: string, events: readonly StoredEvent[], by?: string): IncidentView | undefined {
    const stream = incidentStream(id as IncidentId);
    let state: StreamState | undefined;
    for (const e of events) if (e.stream === stream) state = evolve(state, e);
    const mine = events.filter((e) => (e.data as { incidentId?: unknown }).incidentId === id && onTimeline(e));
    return state === undefined ? undefined : incidentView(state as IncidentState, mine.map((e) => toTimelineEntry(e, by)));
  }

  /** `open` means still needing or receiving help; newest first. */
  async incidents(filter: { statuses?: readonly IncidentStatus[]; limit: number }): Promise<IncidentView[]> {
    const rows = (await this.app.store.list('incident', filter.statuses, 1_000_000)) as IncidentState[];
    return rows
      .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt))
      .slice(0, filter.limit)
      .map((s) => incidentView(s));
  }

  unit(id: string): Promise<UnitState | undefined> {
    return Promise.resolve(this.app.fleet.unit(id));
  }

  units(): Promise<UnitView[]> {
    const now = this.app.clock();
    return Promise.resolve(this.app.fleet.units().map((u) => this.unitView(u, now)));
  }

  /** One unit with its live position, or undefined. */
  unitWithPosition(id: string): Promise<UnitView | undefined> {
    const u = this.app.fleet.unit(id);
    return Promise.resolve(u && this.unitView(u, this.app.clock()));
  }

  private unitView(u: UnitState, now: number): UnitView {
    const fix = this.app.positions.units.get(u.id);
    if (!fix) return u;
    const stale = this.app.positions.units.fresh(u.id, now) === undefined;
    return { ...u, livePosition: { ...fix.location, at: new Date(fix.at).toISOString(), stale } };
  }

  stations(): Promise<StationState[]> {
    return Promise.resolve(this.app.fleet.stations());
  }

  /**
   * Ranks units for an incident against its nature's response plan. Driving times come from the
   * estimator given (default: the road graph on this thread); boats go by water, in a straight line.
   */
  async recommendation(
    incident: IncidentState,
    estimator: TravelTimeEstimator = this.app.estimator,
    plan: ResponsePlan | undefined = this.app.config.plans.get(incident.details.nature),
  ): Promise<Recommendation> {
    const profile = (t: string) => this.app.config.unitTypes.get(t);
    return recommend({
      incident,
      plan,
      units: this.whereabouts(),
      estimator,
      turnoutS: (t) => seconds(profile(t)?.turnoutS ?? 60),
      travelBy: (t) => {
        const p = profile(t);
        return p?.travel === 'water' ? { by: 'water', speedMps: p.speedMps } : BY_ROAD;
      },
    });
  }

  /** Where each unit is now: a fresh live fix, else its last fix while on the road, else its station. */
  whereabouts(): UnitWhereabouts[] {
    const now = this.app.clock();
    const whereabouts: UnitWhereabouts[] = [];
    for (const u of this.app.fleet.units()) {
      const fix = this.app.positions.units.fresh(u.id, now);
      const last = this.app.positions.units.get(u.id);
      const station = this.app.fleet.station(u.stationId);
      if (fix) whereabouts.push({ unit: u, location: fix.location, source: 'live', placeName: 'its live position' });
      else if (last && u.status !== 'available') whereabouts.push({ unit: u, location: last.location, source: 'stale', placeName: 'its last position' });
      else if (station) whereabouts.push({ unit: u, location: station.location, source: 'station', placeName: station.name });
    }
    return whereabouts;
  }
}

export const OPEN = OPEN_INCIDENT_STATUSES;
