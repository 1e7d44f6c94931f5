import { formatDuration } from './duration-text.ts';
import type { Meters, Seconds } from './ids.ts';
import type { UnitState } from './unit.ts';
import type { TravelBy } from './unit-travel.ts';

export type PassOverCode = 'busy' | 'out_of_service' | 'no_route' | 'stale_position';

/** A unit a recommendation did not pick although it might look like it should have, and why. */
export interface PassedOver {
  readonly unitId: string;
  readonly code: PassOverCode;
  readonly reason: string;
  readonly straightLineM: Meters;
  /** Its ETA had it been free (s), by the same measure (road or water) as the pick it beats. */
  readonly etaS?: Seconds;
  /** The slowest pick, of a capability this unit has and by the same measure, that it would have beaten. */
  readonly closerThan?: { readonly unitId: string; readonly etaS: Seconds; readonly by: TravelBy['by'] };
  /** A capability of this unit that the plan is short of: why it is listed at all. */
  readonly shortOf?: string;
}

/** What this needs of a recommended unit. */
interface Pick {
  readonly unitId: string;
  readonly fills: string;
  readonly etaS: Seconds;
  readonly by: TravelBy['by'];
}

/** A unit that has a needed capability but cannot go, with its ETA had it been free (when it has a route). */
export interface UnableUnit {
  readonly unit: UnitState;
  readonly straightLineM: Meters;
  readonly by?: TravelBy['by'];
  readonly etaS?: Seconds;
}

/**
 * Units that cannot go and are worth a dispatcher's glance, nearest first:
 * - closer: its ETA beats the slowest pick of a capability it has, measured the same way (road
 *   against road, water against water), so a busy unit across the river is not "closer";
 * - or it has a capability the plan is short of, whatever its distance.
 */
export function passedOverUnable(
  unable: readonly UnableUnit[],
  requirements: readonly { readonly capability: string }[],
  picks: readonly Pick[],
  short: ReadonlySet<string>,
): PassedOver[] {
  const out: { p: PassedOver; rank: number }[] = [];
  for (const u of unable) {
    const code: PassOverCode = u.unit.status === 'out_of_service' ? 'out_of_service' : 'busy';
    const detail = u.unit.incidentId === undefined ? u.unit.status : `${u.unit.status} on incident ${u.unit.incidentId}`;
    const caps = requirements.map((r) => r.capability).filter((c) => u.unit.capabilities.includes(c));
    const rank = u.etaS ?? Infinity;
    const base = { unitId: u.unit.id, code, straightLineM: u.straightLineM };
    const { etaS, by } = u;
    if (etaS !== undefined && by !== undefined) {
      const beaten = caps.map((c) => slowest(picks.filter((x) => x.fills === c && x.by === by))).find((x) => x !== undefined && etaS < x.etaS);
      if (beaten !== undefined) {
        const reason = `closer by ${by} than ${beaten.unitId} (${formatDuration(etaS)} against ${formatDuration(beaten.etaS)}) but ${detail}`;
        const closerThan = { unitId: beaten.unitId, etaS: beaten.etaS, by: beaten.by };
        out.push({ p: { ...base, etaS, reason, closerThan }, rank });
        continue;
      }
    }
    const missing = caps.find((c) => short.has(c));
    if (missing !== undefined) {
      out.push({ p: { ...base, ...(etaS === undefined ? {} : { etaS }), shortOf: missing, reason: `${detail}, and the plan is short of ${missing}` }, rank });
    }
  }
  return out.sort((a, b) => a.rank - b.rank || a.p.straightLineM - b.p.straightLineM).map((x) => x.p);
}

const slowest = (picks: readonly Pick[]): Pick | undefined =>
  picks.reduce<Pick | undefined>((worst, c) => (worst === undefined || c.etaS > worst.etaS ? c : worst), undefined);
