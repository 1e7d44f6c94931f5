import type { Command } from '../core/commands.ts';
import { epochMs } from '../core/ids.ts';
import type { IncidentState } from '../core/incident.ts';
import { incidentStream, responseStream } from '../core/streams.ts';
import type { TravelTimeEstimator } from '../core/travel-time.ts';
import type { ResponseState } from '../core/volunteer-response.ts';
import type { IncidentIntervals } from '../reports/intervals.ts';
import { DEMO_TIME_ZONE, utcOffsetMinAt } from '../time/time-zone.ts';
import { drawsFor } from './draws.ts';
import type { EmpiricalTimes } from './empirical-times.ts';
import { EventQueue } from './event-queue.ts';
import type { SimCall } from './sim-calls.ts';
import type { Pick, SimFleet } from './sim-fleet.ts';
import type { SimWorld } from './sim-world.ts';
import type { SimModel } from './scenario.ts';
import { factorOf, type TravelFactors } from './travel-factors.ts';
import type { VolunteerAction, VolunteerSide } from './volunteer-side.ts';

/** A row whose unit's Available stamp is missing stays this long after arriving (an assumption). */
export const DEFAULT_BUSY_AFTER_ARRIVAL_S = 20 * 60;
/** Volunteer calls are logged as the nature that volunteers answer, in a public place (see the report). */
export const VOLUNTEER_NATURE = 'cardiac_arrest';

interface Live {
  readonly index: number;
  readonly call: SimCall;
  readonly nature: string;
  /** Dispatch groups by their offset from the first dispatch, in order. */
  readonly groups: readonly { readonly offsetS: number; readonly rows: readonly number[] }[];
  pendingGroups: number;
  active: number;
  firstDispatchAt?: number;
  first?: { at: number; unitId: string; unitType: string; turnoutS: number; travelS: number };
  volunteers: boolean;
}

interface Run {
  readonly live: Live;
  readonly pick: Pick;
  readonly gen: number;
  readonly turnoutS: number;
  readonly travelS: number;
  readonly dispatchedAt: number;
}

type Action =
  | { readonly kind: 'dispatch'; readonly live: Live; readonly group: number }
  | { readonly kind: 'unit'; readonly run: Run; readonly step: 'en_route' | 'on_scene' | 'clear' | 'cancel' }
  | { readonly kind: 'home'; readonly unitId: string; readonly gen: number }
  | { readonly kind: 'volunteer'; readonly action: VolunteerAction };

/** What one dispatch group got: the units picked and the rows none could fill. */
export interface Chosen {
  readonly picks: readonly Pick[];
  readonly shortfalls: number;
}

const whole = (s: number): number => Math.max(0, Math.round(s));

/**
 * One policy's replay: a discrete-event loop over virtual time. Calls come in by `receive`, in
 * time order; every change of state is a command through the world's writer at its virtual time;
 * what happens next (a unit en route, on scene, clear, home; a volunteer answering) goes on the
 * agenda. The unit chosen is the policy's (`choose` estimator); its travel is always the road's.
 */
export class PolicyRun {
  private readonly queue = new EventQueue<Action>();
  private readonly gen = new Map<string, number>();
  private readonly busySince = new Map<string, number>();
  readonly busyMs = new Map<string, number>();
  readonly records: (IncidentIntervals | undefined)[] = [];
  shortfalls = 0;
  lastAt = 0;

  constructor(
    private readonly d: {
      readonly world: SimWorld;
      readonly fleet: SimFleet;
      readonly choose: TravelTimeEstimator;
      readonly empirical: EmpiricalTimes;
      readonly seed: number;
      readonly natures: ReadonlySet<string>;
      readonly volunteers?: VolunteerSide;
      readonly keep: (index: number, record: IncidentIntervals) => void;
      readonly model: SimModel;
      readonly factors: TravelFactors;
      /** The units a dispatch group got, given instead of chosen (a recruitment re-run replays its base's picks). */
      readonly given?: (incidentId: string, group: number) => Chosen | undefined;
      /** Told what each dispatch group got. */
      readonly chosen?: (incidentId: string, group: number, chosen: Chosen) => void;
    },
  ) {}

  /** Travel takes the priority's factor (a non-emergency call is driven without lights) when the model says so. */
  private driven(roadS: number, priority: number): number {
    return this.d.model.priorityTravelFactor ? roadS * factorOf(this.d.factors, priority) : roadS;
  }

  /** Lets the volunteer side put its actions on this run's agenda. */
  readonly scheduleVolunteer = (at: number, action: VolunteerAction): void => this.queue.push(at, { kind: 'volunteer', action });

  private async execute(command: Command): Promise<boolean> {
    const events = await this.d.world.execute(command);
    await this.d.volunteers?.review();
    return events !== undefined;
  }

  /** Takes every action due up to `t` (inclusive), in time order. */
  async advanceTo(t: number): Promise<void> {
    for (let next = this.queue.peekTime(); next !== undefined && next <= t; next = this.queue.peekTime()) {
      const { at, action } = this.queue.pop()!;
      this.d.world.advanceTo(at);
      this.lastAt = Math.max(this.lastAt, at);
      await this.act(action);
    }
    this.d.world.advanceTo(t);
  }

  async drain(): Promise<void> {
    await this.advanceTo(Infinity);
  }

  async receive(call: SimCall, index: number): Promise<void> {
    await this.advanceTo(call.receivedAt);
    this.lastAt = Math.max(this.lastAt, call.receivedAt);
    const nature = call.volunteerCall ? VOLUNTEER_NATURE : this.d.natures.has(call.nature) ? call.nature : 'other';
    const priority = (call.priority === 1 || call.priority === 2 ? call.priority : 3) as 1 | 2 | 3;
    const ok = await this.execute({
      type: 'ReceiveIncident',
      now: epochMs(call.receivedAt),
      incidentId: call.incidentId,
      details: { location: call.location, nature, priority, ...(call.volunteerCall ? { place: 'public' as const } : {}) },
      outsideServiceArea: 'accept',
    });
    if (!ok) return;
    const byOffset = new Map<number, number[]>();
    // Without dispatch order, every unit of the call is sent at its first dispatch.
    const offsetOf = (r: SimCall['rows'][number]) => (this.d.model.dispatchOrder ? r.dispatchOffsetS : 0);
    call.rows.forEach((r, i) => byOffset.set(offsetOf(r), [...(byOffset.get(offsetOf(r)) ?? []), i]));
    const groups = [...byOffset].sort(([a], [b]) => a - b).map(([offsetS, rows]) => ({ offsetS, rows }));
    const live: Live = { index, call, nature, groups, pendingGroups: groups.length, active: 0, volunteers: false };
    if (groups.length === 0) {
      await this.finish(live);
      return;
    }
    const processingS = this.d.empirical.callToDispatchS(call.priority, call.hour, drawsFor(this.d.seed, call.incidentId, 'processing'));
    const dispatchAt = call.receivedAt + whole(processingS) * 1000;
    groups.forEach((g, k) => this.queue.push(dispatchAt + whole(g.offsetS) * 1000, { kind: 'dispatch', live, group: k }));
  }

  private async act(a: Action): Promise<void> {
    switch (a.kind) {
      case 'dispatch':
        return this.dispatch(a.live, a.group);
      case 'unit':
        return this.unitStep(a.run, a.step);
      case 'home':
        if (this.gen.get(a.unitId) !== a.gen) return;
        this.d.fleet.backHome(a.unitId);
        if (this.d.fleet.unit(a.unitId)?.status === 'returning') {
          await this.execute({ type: 'ChangeUnitStatus', now: epochMs(this.d.world.now), unitId: a.unitId, status: 'available' });
        }
        return;
      case 'volunteer':
        await this.d.volunteers?.act(a.action);
        await this.d.volunteers?.review();
        return;
    }
  }

  private async dispatch(live: Live, group: number): Promise<void> {
    const w = this.d.world;
    const now = w.now;
    live.pendingGroups--;
    const incident = await w.load<IncidentState>(incidentStream(live.call.incidentId as never));
    const rows = live.groups[group]!.rows.map((index) => ({ index, unitType: live.call.rows[index]!.unitType }));
    const given = this.d.given?.(live.call.incidentId, group);
    const { picks, shortfalls } = given ?? (incident === undefined ? { picks: [], shortfalls: rows.length } : this.d.fleet.choose(incident, rows, this.d.choose));
    this.d.chosen?.(live.call.incidentId, group, { picks, shortfalls });
    this.shortfalls += shortfalls;
    const ok = picks.length > 0 && (await this.execute({ type: 'DispatchUnits', now: epochMs(now), incidentId: live.call.incidentId, unitIds: picks.map((p) => p.unitId) }));
    if (ok) {
      live.firstDispatchAt ??= now;
      for (const pick of picks) this.commit(live, pick, now);
    }
    if (group === 0 && this.d.volunteers && live.call.volunteerCall) await this.startVolunteers(live, picks);
    if (live.active === 0 && live.pendingGroups === 0) await this.finish(live);
  }

  private commit(live: Live, pick: Pick, now: number): void {
    const row = live.call.rows[pick.rowIndex]!;
    const gen = (this.gen.get(pick.unitId) ?? 0) + 1;
    this.gen.set(pick.unitId, gen);
    this.busySince.set(pick.unitId, now);
    live.active++;
    // A crew at its station turns out; a unit sent from the road (from its last scene) is already
    // rolling, as the data's units whose Response is their Dispatch were (those are not drawn).
    // The first unit's turnout stays shorter than the real one for another reason: medics' real
    // turnouts are short because most are posted on the road between calls, but the replay has
    // them leave from stations, so a medic is first on scene more often than in reality.
    const turnoutS =
      this.d.model.turnout && pick.atStation
        ? whole(this.d.empirical.turnoutS(pick.unitType, live.call.hour, drawsFor(this.d.seed, live.call.incidentId, `turnout:${pick.rowIndex}`), live.call.priority))
        : 0;
    // No road route (a straight-line pick off the network): the policy's own estimate stands in.
    const travelS = whole(this.driven(pick.roadTravelS ?? pick.etaS, live.call.priority));
    const run: Run = { live, pick, gen, turnoutS, travelS, dispatchedAt: now };
    const enRouteAt = now + turnoutS * 1000;
    if (row.arrived) {
      const onSceneAt = enRouteAt + travelS * 1000;
      this.queue.push(enRouteAt, { kind: 'unit', run, step: 'en_route' });
      this.queue.push(onSceneAt, { kind: 'unit', run, step: 'on_scene' });
      this.queue.push(onSceneAt + whole(row.busyAfterArrivalS ?? DEFAULT_BUSY_AFTER_ARRIVAL_S) * 1000, { kind: 'unit', run, step: 'clear' });
    } else {
      const cancelAt = now + whole(row.cancelledAfterS ?? 0) * 1000;
      if (cancelAt > enRouteAt) this.queue.push(enRouteAt, { kind: 'unit', run, step: 'en_route' });
      this.queue.push(cancelAt, { kind: 'unit', run, step: 'cancel' });
    }
  }

  private async unitStep(run: Run, step: 'en_route' | 'on_scene' | 'clear' | 'cancel'): Promise<void> {
    const { live, pick } = run;
    const now = this.d.world.now;
    const t = epochMs(now);
    if (step === 'en_route' || step === 'on_scene') {
      await this.execute({ type: 'ChangeUnitStatus', now: t, unitId: pick.unitId, status: step });
      if (step === 'on_scene' && live.first === undefined) {
        live.first = { at: now, unitId: pick.unitId, unitType: pick.unitType, turnoutS: run.turnoutS, travelS: run.travelS };
        await this.standDown(live, 'first_unit_on_scene');
      }
      return;
    }
    this.released(pick.unitId, now);
    if (step === 'clear') {
      await this.execute({ type: 'ChangeUnitStatus', now: t, unitId: pick.unitId, status: 'returning' });
      this.driveHome(pick.unitId, pick.unitType, live.call.location, run.gen, now);
    } else {
      await this.execute({ type: 'ChangeUnitStatus', now: t, unitId: pick.unitId, status: 'available' });
      // Stood down before arriving: back where it set out from, and home from there if that was a scene.
      if (this.d.fleet.whereabouts(pick.unitId) !== this.d.fleet.home(pick.unitId)) this.driveHome(pick.unitId, pick.unitType, pick.origin, run.gen, now);
    }
    live.active--;
    if (live.active === 0 && live.pendingGroups === 0) await this.finish(live);
  }

  /** The unit drives back from `from`; meanwhile a dispatch times it from there (its last scene). */
  private driveHome(unitId: string, unitType: string, from: { lat: number; lon: number }, gen: number, now: number): void {
    const home = this.d.fleet.home(unitId);
    if (home === undefined) return;
    this.d.fleet.leftFrom(unitId, from);
    const [back] = this.d.fleet.travel(home, [{ id: unitId, location: from, unitType }]);
    // Going home is not an emergency: driven as a priority-2 call is.
    this.queue.push(now + whole(this.driven(back ?? 0, 2)) * 1000, { kind: 'home', unitId, gen });
  }

  private released(unitId: string, now: number): void {
    const since = this.busySince.get(unitId);
    if (since === undefined) return;
    this.busySince.delete(unitId);
    this.busyMs.set(unitId, (this.busyMs.get(unitId) ?? 0) + (now - since));
  }

  private async startVolunteers(live: Live, picks: readonly Pick[]): Promise<void> {
    const v = this.d.volunteers!;
    const w = this.d.world;
    const candidates = v.candidates(live.call.incidentId, live.call.location, live.call.hour);
    if (candidates.length === 0) return;
    await v.register(candidates);
    const eta = picks.length === 0 ? undefined : Math.min(...picks.map((p) => p.etaS));
    live.volunteers = await this.execute({
      type: 'StartVolunteerResponse',
      now: epochMs(w.now),
      incidentId: live.call.incidentId,
      place: 'public',
      utcOffsetMin: utcOffsetMinAt(DEMO_TIME_ZONE, w.now),
      ...(eta === undefined ? {} : { firstUnitEtaS: whole(eta) }),
      candidates,
    });
  }

  private async standDown(live: Live, reason: 'first_unit_on_scene' | 'incident_resolved'): Promise<void> {
    if (!live.volunteers) return;
    const s = await this.d.world.load<ResponseState>(responseStream(live.call.incidentId));
    if (s === undefined || s.status === 'stood_down') return;
    if (reason === 'first_unit_on_scene' && s.status !== 'alerting') return;
    await this.execute({ type: 'StandDownVolunteers', now: epochMs(this.d.world.now), incidentId: live.call.incidentId, reason });
  }

  /** Every unit cleared and no dispatch left: the incident is resolved and closed, and measured. */
  private async finish(live: Live): Promise<void> {
    const id = live.call.incidentId;
    const t = epochMs(this.d.world.now);
    await this.execute({ type: 'ResolveIncident', now: t, incidentId: id, reason: 'every unit cleared' });
    await this.standDown(live, 'incident_resolved');
    await this.execute({ type: 'CloseIncident', now: t, incidentId: id, reason: 'replayed' });
    const arrival = this.d.volunteers?.firstArrival.get(id);
    this.d.volunteers?.forget(id);
    this.d.keep(live.index, intervalsOf(live, arrival));
  }

  /** Busy seconds of each unit so far (a unit still committed counts up to `until`). */
  utilisationMs(until: number): Map<string, number> {
    const out = new Map(this.busyMs);
    for (const [id, since] of this.busySince) out.set(id, (out.get(id) ?? 0) + Math.max(0, until - since));
    return out;
  }
}

function intervalsOf(live: Live, volunteerAt: number | undefined): IncidentIntervals {
  const { call, first } = live;
  const r = call.real;
  const received = call.receivedAt;
  const firstVolunteerS = volunteerAt === undefined ? undefined : (volunteerAt - received) / 1000;
  const helps = [first === undefined ? undefined : (first.at - received) / 1000, firstVolunteerS].filter((x): x is number => x !== undefined);
  return {
    incidentId: r.incidentId,
    receivedAt: received,
    location: r.location,
    stationArea: r.stationArea,
    nature: r.nature,
    priority: r.priority,
    service: r.service,
    volunteerCall: r.volunteerCall,
    ...(live.firstDispatchAt === undefined ? {} : { callToDispatchS: (live.firstDispatchAt - received) / 1000 }),
    ...(first === undefined ? {} : { turnoutS: first.turnoutS, travelS: first.travelS, firstUnitS: (first.at - received) / 1000, firstUnitId: first.unitId, firstUnitType: first.unitType }),
    ...(firstVolunteerS === undefined ? {} : { firstVolunteerS }),
    ...(helps.length === 0 ? {} : { firstHelpS: Math.min(...helps) }),
  };
}
