import type { LatLon } from '../core/lat-lon.ts';
import { isDeleted, type VolunteerState } from '../core/volunteer.ts';
import type { QualificationKind } from '../core/volunteer-policy.ts';
import type { FixOutcome, PositionIntake } from '../geo/position-intake.ts';
import type { PointFix } from '../geo/moving-point-index.ts';
import type { VolunteerQualification } from '../geo/responder-attrs.ts';
import type { Clock } from '../time/clock.ts';

/**
 * Which bits of the live index's word each qualification sets. The word has bits for cpr, aed and
 * first_aid only; nurses, doctors and off-duty firefighters are trained in all three (the policy's
 * `cprQualified` lists them as CPR-trained), so a filter on `cpr` finds them too. The word is a
 * coarse pre-filter: eligibility (expiry, verification, place, quiet hours) is decided by the policy.
 */
const BITS: Readonly<Record<QualificationKind, readonly VolunteerQualification[]>> = {
  cpr: ['cpr'],
  aed: ['aed'],
  first_aid: ['first_aid'],
  nurse: ['cpr', 'aed', 'first_aid'],
  doctor: ['cpr', 'aed', 'first_aid'],
  firefighter_off_duty: ['cpr', 'aed', 'first_aid'],
};

/** Whether a volunteer's position may be held for matching at all: an active account, on duty, with consent. */
export const matchable = (v: VolunteerState): boolean => !isDeleted(v) && v.available && v.locationConsent;

/** How often the demo population's (fixed) positions are re-stamped, so they never go stale. */
export const DEMO_HEARTBEAT_MS = 60_000;

/**
 * Keeps volunteers in the live index in step with the registry: the word follows availability and
 * qualifications; a volunteer off duty, without consent or deleted is not in the index at all.
 * Positions are memory only; the demo population's are regenerated at each start and re-stamped
 * every minute, as if their phones reported from where they live.
 */
export class VolunteerLiveIndex {
  private readonly demoHomes = new Map<string, LatLon>();
  /** Cancels the next heartbeat. */
  private heartbeat: (() => void) | undefined;

  constructor(
    private readonly positions: PositionIntake,
    private readonly clock: Clock,
  ) {}

  /** The attribute word of a volunteer at `now`: `available` when matchable, unexpired qualifications. */
  attrsOf(v: VolunteerState, now: number = this.clock.now()): number {
    const quals = new Set<VolunteerQualification>();
    for (const q of Object.values(v.qualifications)) {
      if (q !== undefined && now < Date.parse(q.expiresAt)) for (const b of BITS[q.kind]) quals.add(b);
    }
    return this.positions.attrs.volunteer(matchable(v), [...quals]);
  }

  /** Takes a fix from the volunteer's phone: into the index when matchable, else nowhere. */
  take(v: VolunteerState, fix: { lat: number; lon: number; atMs: number }): FixOutcome | 'not_matchable' {
    if (!matchable(v)) {
      this.positions.forget(v.id);
      return 'not_matchable';
    }
    return this.positions.take({ id: v.id, ...fix }, this.attrsOf(v));
  }

  /** Brings the index in line with a volunteer's state after a change (bus event, command). */
  sync(v: VolunteerState | undefined, volunteerId: string): void {
    if (v === undefined || isDeleted(v)) {
      this.forget(volunteerId);
      return;
    }
    if (!matchable(v)) {
      this.positions.forget(volunteerId);
      return;
    }
    const attrs = this.attrsOf(v);
    if (this.positions.setAttrs(v.id, attrs)) return;
    const home = this.demoHomes.get(v.id);
    if (home) this.positions.index.upsert(v.id, home.lat, home.lon, this.clock.now(), attrs);
  }

  /** Puts the demo population in the index: every matchable one at its generated home. */
  seedDemo(homes: ReadonlyMap<string, LatLon>, states: readonly VolunteerState[]): number {
    const now = this.clock.now();
    for (const [id, home] of homes) this.demoHomes.set(id, home);
    const fixes: PointFix[] = [];
    for (const v of states) {
      const home = homes.get(v.id);
      if (home && matchable(v)) fixes.push({ id: v.id, lat: home.lat, lon: home.lon, atMs: now, attrs: this.attrsOf(v, now) });
    }
    this.positions.index.upsertMany(fixes);
    this.positions.index.compact();
    return fixes.length;
  }

  /** Re-stamps the demo positions held in the index (the others went off duty and stay out). */
  refreshDemo(): number {
    const now = this.clock.now();
    const fixes: PointFix[] = [];
    for (const [id, home] of this.demoHomes) {
      const held = this.positions.index.get(id);
      if (held && held.atMs < now) fixes.push({ id, lat: home.lat, lon: home.lon, atMs: now, attrs: held.attrs });
    }
    if (fixes.length > 0) this.positions.index.upsertMany(fixes);
    return fixes.length;
  }

  startDemoHeartbeat(everyMs: number = DEMO_HEARTBEAT_MS): void {
    if (this.heartbeat !== undefined || this.demoHomes.size === 0) return;
    const beat = () => {
      this.refreshDemo();
      this.heartbeat = this.clock.after(everyMs, beat);
    };
    this.heartbeat = this.clock.after(everyMs, beat);
  }

  forget(volunteerId: string): void {
    this.demoHomes.delete(volunteerId);
    this.positions.forget(volunteerId);
  }

  /** How many volunteers the index holds a position for (demo or live). */
  get demoPlaced(): number {
    let n = 0;
    for (const id of this.demoHomes.keys()) if (this.positions.index.get(id)) n++;
    return n;
  }

  close(): void {
    this.heartbeat?.();
    this.heartbeat = undefined;
  }
}
