import { epochMs, type EpochMs } from './ids.ts';
import type { LatLon } from './lat-lon.ts';
import { coversNextDay, coversSameDay, dayBefore, localClock, type DailyWindow, type Weekday } from './local-time.ts';

/** A defibrillator of the AED registry, as the core needs it to route a `fetch_aed` volunteer. */
export type AedStatus = 'in_service' | 'out_of_service' | 'removed';

/**
 * When the AED can be reached: windows per local weekday, in the local time of a place
 * `utcOffsetMin` minutes ahead of UTC. A window that spans midnight belongs to the day it opens.
 * `always` is a cabinet on the street, reachable day and night.
 */
export interface OpeningHours {
  readonly utcOffsetMin: number;
  readonly always?: boolean;
  readonly weekly: Readonly<Partial<Record<Weekday, readonly DailyWindow[]>>>;
}

export interface Aed {
  readonly id: string;
  readonly location: LatLon;
  readonly placeName: string;
  readonly floor?: string;
  readonly access?: string;
  readonly openingHours: OpeningHours;
  readonly status: AedStatus;
}

/** An AED the app found near the volunteer, with walking times (s) volunteer → AED and AED → scene. */
export interface AedOption {
  readonly aed: Aed;
  readonly toAedS: number;
  readonly toSceneS: number;
}

/** The AED a `fetch_aed` volunteer is routed through, as events record it. */
export interface AedWaypoint {
  readonly aedId: string;
  readonly placeName: string;
  readonly location: LatLon;
  readonly floor?: string;
  readonly access?: string;
  readonly toAedS: number;
  readonly toSceneS: number;
}

/** Whether the AED's place is open at instant `t`, with the local time that was checked. */
export function isOpenAt(hours: OpeningHours, t: EpochMs): { open: boolean; local: string } {
  const clock = localClock(t, hours.utcOffsetMin);
  if (hours.always === true) return { open: true, local: `${clock.weekday} ${clock.text}` };
  const today = hours.weekly[clock.weekday] ?? [];
  const yesterday = hours.weekly[dayBefore(clock.weekday)] ?? [];
  const open = today.some((w) => coversSameDay(w, clock.minute)) || yesterday.some((w) => coversNextDay(w, clock.minute));
  return { open, local: `${clock.weekday} ${clock.text}` };
}

export const waypointOf = (o: AedOption): AedWaypoint => ({
  aedId: o.aed.id,
  placeName: o.aed.placeName,
  location: o.aed.location,
  ...(o.aed.floor === undefined ? {} : { floor: o.aed.floor }),
  ...(o.aed.access === undefined ? {} : { access: o.aed.access }),
  toAedS: o.toAedS,
  toSceneS: o.toSceneS,
});

/** Why an AED option cannot be used, or undefined when it can: in service, open now and on arrival. */
export function aedUnusable(o: AedOption, now: EpochMs): string | undefined {
  if (o.aed.status !== 'in_service') return `${o.aed.placeName}: ${o.aed.status.replace(/_/g, ' ')}`;
  if (!Number.isFinite(o.toAedS) || !Number.isFinite(o.toSceneS) || o.toAedS < 0 || o.toSceneS < 0) {
    return `${o.aed.placeName}: no walking route`;
  }
  const atNow = isOpenAt(o.aed.openingHours, now);
  if (!atNow.open) return `${o.aed.placeName}: closed at ${atNow.local}`;
  const onArrival = isOpenAt(o.aed.openingHours, epochMs(now + o.toAedS * 1000));
  if (!onArrival.open) return `${o.aed.placeName}: closes before the volunteer gets there (${onArrival.local})`;
  return undefined;
}

/** Opening hours as the registry keeps them: per local weekday, in the time zone of the AED's place. */
export type WeeklyHours = Omit<OpeningHours, 'utcOffsetMin'>;

/**
 * An entry of the AED registry. Its hours are in the local time of `timeZone` (an IANA name); the
 * app turns it into an {@link Aed} with the UTC offset of that zone at the moment in question, so
 * daylight saving stays out of the core.
 */
export interface AedRecord {
  readonly id: string;
  readonly location: LatLon;
  readonly placeName: string;
  readonly floor?: string;
  readonly access?: string;
  readonly hours: WeeklyHours;
  readonly timeZone: string;
  readonly status: AedStatus;
  /** Where the entry came from (a file name, "synthetic demo set"). */
  readonly source: string;
  /** True for the generated demo set: not a real defibrillator. */
  readonly synthetic: boolean;
}

export const AED_STATUSES: readonly AedStatus[] = ['in_service', 'out_of_service', 'removed'];
export const isAedStatus = (s: string): s is AedStatus => (AED_STATUSES as readonly string[]).includes(s);

/** The registry entry as the core reasons about it, `utcOffsetMin` being its zone's offset at that moment. */
export function aedOf(r: AedRecord, utcOffsetMin: number): Aed {
  return {
    id: r.id,
    location: r.location,
    placeName: r.placeName,
    ...(r.floor === undefined ? {} : { floor: r.floor }),
    ...(r.access === undefined ? {} : { access: r.access }),
    openingHours: { ...r.hours, utcOffsetMin },
    status: r.status,
  };
}
