import { capabilityWords, type Translate } from './context.ts';
import { minSec } from './dom.ts';
import type { ConsoleKey } from './strings.ts';

/** What the server says about a recommended unit; `reason` is its English sentence. */
export interface Candidate {
  unitId: string;
  name: string;
  unitType: string;
  status?: string;
  fills: string;
  etaS: number;
  travelS?: number;
  turnoutS: number;
  distanceM: number;
  by: string;
  from: string;
  /** Timed from its last known position, in this status, rather than from its station. */
  fromLastPosition?: string;
  reason: string;
}
export interface Shortfall {
  capability: string;
  needed?: number;
  assigned?: number;
  recommended?: number;
  missing: number;
  others?: { busy: number; outOfService: number; forOtherNeeds: number; noRoute: number };
  noneInFleet?: boolean;
  reason: string;
}
export interface PassedOver { unitId: string; code: string; reason: string; etaS?: number; closerThan?: { unitId: string; etaS: number; by: string }; shortOf?: string }

/** The counts of a shortfall's other units, each with its words. */
const SHORT_PARTS: readonly [keyof NonNullable<Shortfall['others']>, ConsoleKey][] = [
  ['busy', 'shortBusy'],
  ['outOfService', 'shortOut'],
  ['forOtherNeeds', 'shortOtherNeed'],
  ['noRoute', 'shortNoRoute'],
];

const statusWords = (t: Translate, status: string): string => t(`unitStatus_${status}` as ConsoleKey);

/** Why a unit is recommended, in the console's language, from the answer's fields. */
export function candidateWords(t: Translate, c: Candidate): string {
  if (!Number.isFinite(c.etaS) || !c.fills || !c.from) return c.reason;
  const from = c.fromLastPosition ? t('fromLastPosition', { status: statusWords(t, c.fromLastPosition) }) : c.from;
  const vars = { fills: capabilityWords(c.fills), eta: minSec(c.etaS), turnout: minSec(c.turnoutS ?? 0), from };
  const text = c.turnoutS > 0 ? t('candidateReason', vars) : t('candidateReasonNoTurnout', vars);
  return c.by === 'water' ? `${text}${t('byWater')}` : text;
}

/** Why a need stays unmet: how many are missing, and what the other units with that capability are doing. */
export function shortfallWords(t: Translate, s: Shortfall): string {
  const head = `${capabilityWords(s.capability)} ×${s.missing}${t('colon')}`;
  if (s.noneInFleet) return head + t('shortNoneInFleet');
  const others = s.others;
  if (!others) return head + s.reason;
  const parts = SHORT_PARTS.flatMap(([field, key]) => (others[field] > 0 ? [t(key, { n: others[field] })] : []));
  return head + (parts.length ? t('shortOthers', { parts: parts.join(', ') }) : s.reason);
}

/** Why a unit that might look like a pick was not one. */
export function passedOverWords(t: Translate, p: PassedOver, unitName: (id: string) => string): string {
  const head = `${unitName(p.unitId)}${t('colon')}`;
  const state = p.code === 'out_of_service' ? statusWords(t, 'out_of_service') : t('busyNow');
  switch (p.code) {
    case 'stale_position':
      return head + t('passedStale');
    case 'no_route':
      return head + t('passedNoRoute');
    case 'busy':
    case 'out_of_service': {
      if (p.closerThan && p.etaS !== undefined)
        return head + t(p.closerThan.by === 'water' ? 'passedCloserWater' : 'passedCloserRoad', {
          other: unitName(p.closerThan.unitId), eta: minSec(p.etaS), otherEta: minSec(p.closerThan.etaS), state,
        });
      if (p.shortOf) return head + t('passedShortOf', { state, capability: capabilityWords(p.shortOf) });
      return head + p.reason;
    }
    default:
      return head + p.reason;
  }
}
