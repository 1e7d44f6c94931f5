import type { Command } from '../core/commands.ts';
import type { StoredEvent } from '../core/events.ts';
import { epochMs } from '../core/ids.ts';
import { haversine, type LatLon } from '../core/lat-lon.ts';
import { dueTimers, deadlinesOf } from '../core/response-timers.ts';
import { responseStream } from '../core/streams.ts';
import type { TravelTimeEstimator } from '../core/travel-time.ts';
import type { VolunteerPolicy } from '../core/volunteer-policy.ts';
import type { RankedCandidate, ResponseState } from '../core/volunteer-response.ts';
import { searchRadiusM } from '../volunteers/volunteer-candidates.ts';
import { drawsFor } from './draws.ts';
import type { Scenario } from './scenario.ts';
import type { SimWorld } from './sim-world.ts';
import type { SyntheticVolunteer } from './synthetic-volunteers.ts';

/**
 * Assumption (no data says it): an alerted volunteer who accepts does so 20 to 90 s after the
 * alert (reading it, deciding, leaving), uniformly; the rest never answer and their alert expires.
 */
export const ACCEPT_DELAY_S = { min: 20, max: 90 } as const;
/** Their qualification outlasts any replay: three years from the start. */
const QUALIFIED_FOR_MS = 3 * 365 * 86_400_000;
const M_PER_DEG_LAT = 111_320;

/** The registry writes of the synthetic volunteers: sign-up with location consent, a verified CPR course, on duty. */
export function registryCommands(volunteers: readonly SyntheticVolunteer[], now: number): Command[] {
  const t = epochMs(now);
  return volunteers.flatMap((v): Command[] => [
    { type: 'RegisterVolunteer', now: t, volunteerId: v.id, languages: [], locationConsent: true },
    { type: 'DeclareQualification', now: t, volunteerId: v.id, kind: 'cpr', expiresAt: epochMs(now + QUALIFIED_FOR_MS) },
    { type: 'VerifyQualification', now: t, volunteerId: v.id, kind: 'cpr', by: 'simulator' },
    { type: 'SetAvailability', now: t, volunteerId: v.id, available: true },
  ]);
}

/** What the replay asks the volunteer side to do at a later virtual time. */
export type VolunteerAction =
  | { readonly kind: 'accept'; readonly incidentId: string; readonly volunteerId: string; readonly alertId: string; readonly walkS: number }
  | { readonly kind: 'arrive'; readonly incidentId: string; readonly volunteerId: string; readonly alertId: string }
  | { readonly kind: 'timers'; readonly incidentId: string };

/**
 * The volunteers' half of a replay: where they live (a grid for the search around a scene), who is
 * free, and what each alerted volunteer does. It runs the response through the same commands as the
 * server's response engine and timers: StartVolunteerResponse with walking times and the first
 * unit's ETA, AcceptAlert, ReportArrival, and the deadlines the response's events carry
 * (SendNextWave, ExpireAlert, fired from `dueTimers` as the timer scheduler fires them).
 */
export class VolunteerSide {
  private readonly cells = new Map<string, SyntheticVolunteer[]>();
  private readonly cellDeg: { lat: number; lon: number };
  /** Volunteers with an open or accepted alert: not searched again until it closes. */
  private readonly busy = new Set<string>();
  private readonly checkAt = new Map<string, number>();
  private readonly dirty = new Set<string>();
  /** Volunteers signed up in the world so far: each is registered the first time they are a candidate. */
  private readonly registered = new Set<string>();
  private readonly byId = new Map<string, SyntheticVolunteer>();
  /** Received → first volunteer arrival, per incident still open. */
  readonly firstArrival = new Map<string, number>();
  alerted = 0;
  accepted = 0;
  arrived = 0;

  constructor(
    volunteers: readonly SyntheticVolunteer[],
    private readonly d: {
      readonly world: SimWorld;
      readonly policy: VolunteerPolicy;
      readonly walk: TravelTimeEstimator;
      readonly scenario: Scenario;
      readonly seed: number;
      readonly schedule: (at: number, action: VolunteerAction) => void;
    },
  ) {
    const radius = searchRadiusM(d.policy);
    this.cellDeg = { lat: radius / M_PER_DEG_LAT, lon: radius / (M_PER_DEG_LAT * Math.cos((37.77 * Math.PI) / 180)) };
    for (const v of volunteers) {
      this.byId.set(v.id, v);
      const key = this.key(Math.floor(v.home.lat / this.cellDeg.lat), Math.floor(v.home.lon / this.cellDeg.lon));
      const list = this.cells.get(key);
      if (list) list.push(v);
      else this.cells.set(key, [v]);
    }
  }

  private key(row: number, col: number): string {
    return `${row}:${col}`;
  }

  /**
   * The candidates for a scene: volunteers within walking reach (straight line, which the road
   * never beats), free at this hour by a draw of their own for this incident, not busy, with their
   * walking time on the road network.
   */
  candidates(incidentId: string, scene: LatLon, hour: number): RankedCandidate[] {
    const share = this.d.scenario.volunteers.availabilityByHour[hour] ?? 0;
    const row = Math.floor(scene.lat / this.cellDeg.lat);
    const col = Math.floor(scene.lon / this.cellDeg.lon);
    const reach = searchRadiusM(this.d.policy);
    const near: SyntheticVolunteer[] = [];
    for (let r = row - 1; r <= row + 1; r++) {
      for (let c = col - 1; c <= col + 1; c++) {
        for (const v of this.cells.get(this.key(r, c)) ?? []) {
          if (this.busy.has(v.id) || haversine(v.home, scene) > reach) continue;
          if (drawsFor(this.d.seed, incidentId, `free:${v.id}`)() >= share) continue;
          near.push(v);
        }
      }
    }
    if (near.length === 0) return [];
    const times = this.d.walk.travelTimes(scene, near.map((v) => ({ id: v.id, location: v.home, unitType: 'walk' })));
    const out: RankedCandidate[] = [];
    times.forEach((t, i) => {
      if (t.ok && t.travelS <= this.d.policy.waves.maxWalkingS) out.push({ volunteerId: near[i]!.id, etaS: t.travelS });
    });
    return out;
  }

  /**
   * Signs up the candidates not yet in the world, before they are alerted. Only a candidate's
   * registry state is ever read (nothing looks at who is registered and never alerted), so signing
   * up the thousands who never are is work without effect; a recruitment re-run adds only its own.
   */
  async register(candidates: readonly RankedCandidate[]): Promise<void> {
    const fresh = candidates.flatMap((c) => (this.registered.has(c.volunteerId) ? [] : [this.byId.get(c.volunteerId)!]));
    if (fresh.length === 0) return;
    for (const v of fresh) this.registered.add(v.id);
    await this.d.world.executeAll(registryCommands(fresh, this.d.world.now));
  }

  /** Follows the response events: who is busy, who answers and when, the deadlines to watch. */
  notice(events: readonly StoredEvent[]): void {
    for (const e of events) {
      switch (e.type) {
        case 'VolunteerResponseStarted':
        case 'VolunteerWaveScheduled':
          this.dirty.add(e.data.incidentId);
          break;
        case 'VolunteerAlerted': {
          const { incidentId, volunteerId, alertId, etaS } = e.data;
          this.alerted++;
          this.busy.add(volunteerId);
          this.dirty.add(incidentId);
          const r = drawsFor(this.d.seed, incidentId, `answer:${volunteerId}`);
          const accepts = r() < this.d.scenario.volunteers.acceptanceRate;
          const delayS = ACCEPT_DELAY_S.min + r() * (ACCEPT_DELAY_S.max - ACCEPT_DELAY_S.min);
          if (accepts) this.d.schedule(Date.parse(e.at) + Math.round(delayS * 1000), { kind: 'accept', incidentId, volunteerId, alertId, walkS: etaS });
          break;
        }
        case 'VolunteerAccepted':
          this.accepted++;
          break;
        case 'VolunteerDeclined':
        case 'VolunteerAlertExpired':
        case 'VolunteerStoodDown':
          this.busy.delete(e.data.volunteerId);
          break;
        case 'VolunteerArrived': {
          this.arrived++;
          if (!this.firstArrival.has(e.data.incidentId)) this.firstArrival.set(e.data.incidentId, Date.parse(e.at));
          break;
        }
        default:
          break;
      }
    }
  }

  /** After each command: a response whose deadlines may have changed gets a check at its earliest one. */
  async review(): Promise<void> {
    if (this.dirty.size === 0) return;
    const ids = [...this.dirty];
    this.dirty.clear();
    for (const id of ids) {
      const s = await this.d.world.load<ResponseState>(responseStream(id));
      const first = s === undefined ? undefined : deadlinesOf(s)[0];
      if (first === undefined) continue;
      const at = Date.parse(first.at);
      const armed = this.checkAt.get(id);
      if (armed !== undefined && armed <= at && armed >= this.d.world.now) continue;
      this.checkAt.set(id, at);
      this.d.schedule(at, { kind: 'timers', incidentId: id });
    }
  }

  async act(a: VolunteerAction): Promise<void> {
    const w = this.d.world;
    const s = await w.load<ResponseState>(responseStream(a.incidentId));
    if (s === undefined) return;
    if (a.kind === 'timers') {
      if (this.checkAt.get(a.incidentId) === w.now) this.checkAt.delete(a.incidentId);
      // One due command at a time, each against the state the one before left.
      for (let state: ResponseState | undefined = s; state !== undefined; ) {
        const due = dueTimers(state, epochMs(w.now))[0];
        if (due === undefined) break;
        await w.execute(due);
        state = await w.load<ResponseState>(responseStream(a.incidentId));
      }
      this.dirty.add(a.incidentId);
      return;
    }
    const alert = s.alerts[a.alertId];
    if (a.kind === 'accept') {
      // Too late: the alert closed (first unit on scene, roles filled, expired) before the answer.
      if (alert?.status !== 'open') return;
      const events = await w.execute({ type: 'AcceptAlert', now: epochMs(w.now), volunteerId: a.volunteerId, alertId: a.alertId, aeds: [] });
      const kept = events?.some((e) => e.type === 'VolunteerRoleAssigned' && e.data.alertId === a.alertId);
      if (kept) this.d.schedule(w.now + a.walkS * 1000, { kind: 'arrive', incidentId: a.incidentId, volunteerId: a.volunteerId, alertId: a.alertId });
      return;
    }
    if (alert?.status !== 'accepted' || alert.arrivedAt !== undefined) return;
    await w.execute({ type: 'ReportArrival', now: epochMs(w.now), volunteerId: a.volunteerId, alertId: a.alertId });
  }

  /** The incident is over: its first arrival is no longer needed here. */
  forget(incidentId: string): void {
    this.firstArrival.delete(incidentId);
    this.checkAt.delete(incidentId);
  }
}
