import { haversine, type LatLon } from '../core/lat-lon.ts';
import type { BlockIndex } from './house-numbers.ts';
import { matchPlaces, type Place } from './places.ts';
import { boxesMeet, closestApproach, crossings } from './polylines.ts';
import type { Street, StreetIndex } from './street-index.ts';

export type SuggestionKind = 'address' | 'intersection' | 'street' | 'place';
export type Precision = 'block' | 'interpolated' | 'intersection' | 'street' | 'exact';

export interface Suggestion {
  readonly label: string;
  readonly kind: SuggestionKind;
  readonly location: LatLon;
  readonly precision: Precision;
  readonly detail?: string;
}

/** "A & B", "A and B", "A / B", "A at B", "A @ B". */
const INTERSECTION = /\s*(?:&|\/|@|\band\b|\bat\b)\s*/i;
/** "1400 Market St", "1400a Market", "1400-1402 Market" (the first number counts). */
const HOUSE_NUMBER = /^\s*(\d{1,6})[a-z]?(?:\s*-\s*\d+[a-z]?)?\s+(\S.*)$/i;
/** Two lines that end this close are taken to meet (TIGER stops some streets short of the one they join). */
const NEAR_MISS_M = 30;
/** Crossings of the same two streets closer than this are one intersection. */
const SAME_CROSSING_M = 100;

const STREET_PENALTY = 0.2;
/**
 * A street this short with no call on record is a block or two long (the plaza round City Hall,
 * a court): a house number on it is put mid-street, which is nearer than any block-less guess.
 */
const SHORT_STREET_M = 400;
/** Numbers on a street that short stay low. */
const SHORT_STREET_MAX_NUMBER = 400;

interface Scored extends Suggestion {
  readonly score: number;
}

/**
 * Offline address suggestions: streets by name, intersections where two named streets cross, house
 * numbers placed on their block (or between known blocks), and named places. Pure: the street
 * lines, known blocks and places are given.
 */
export class Geocoder {
  constructor(
    readonly streets: StreetIndex,
    readonly blocks: BlockIndex,
  ) {}

  suggest(text: string, places: readonly Place[], limit: number): Suggestion[] {
    const q = text.trim();
    if (q === '') return [];
    const found: Scored[] = [];
    const sides = q.split(INTERSECTION).filter((s) => s.trim() !== '');
    if (sides.length === 2) found.push(...this.intersections(sides[0]!, sides[1]!, limit));
    const numbered = HOUSE_NUMBER.exec(q);
    if (numbered && sides.length < 2) found.push(...this.houses(Number(numbered[1]), numbered[2]!, limit));
    const asked = sides.length === 2 || numbered ? 1 : 0;
    // A number that cannot be placed still leaves its street worth offering.
    const streetText = numbered && sides.length < 2 ? numbered[2]! : q;
    for (const m of this.streets.match(streetText, limit)) found.push(streetSuggestion(m.street, m.score + STREET_PENALTY + asked));
    for (const m of matchPlaces(places, q, limit)) {
      const p = m.place;
      found.push({ label: p.name, kind: 'place', location: p.location, precision: 'exact', score: m.score + 0.05, ...(p.detail ? { detail: p.detail } : {}) });
    }
    found.sort((a, b) => a.score - b.score);
    const seen = new Set<string>();
    const out: Suggestion[] = [];
    for (const { score: _score, ...s } of found) {
      const key = `${s.kind} ${s.label} ${s.location.lat.toFixed(4)} ${s.location.lon.toFixed(4)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(s);
      if (out.length === limit) break;
    }
    return out;
  }

  /** Where the best matches of each side cross. */
  private intersections(a: string, b: string, limit: number): Scored[] {
    const left = this.streets.match(a, 3);
    const right = this.streets.match(b, Math.max(limit, 8));
    const out: Scored[] = [];
    for (const l of left) {
      for (const r of right) {
        if (l.street === r.street) continue;
        for (const at of meetingPoints(l.street, r.street)) {
          out.push({
            label: `${l.street.name} & ${r.street.name}`,
            kind: 'intersection',
            location: round(at),
            precision: 'intersection',
            score: l.score + r.score,
          });
        }
      }
    }
    return out;
  }

  private houses(n: number, streetText: string, limit: number): Scored[] {
    const out: Scored[] = [];
    for (const m of this.streets.match(streetText, limit)) {
      const house = this.blocks.locate(m.street, n);
      if (house === undefined) {
        if (m.street.lengthM > SHORT_STREET_M || n >= SHORT_STREET_MAX_NUMBER || this.blocks.blocksOf(m.street).length > 0) continue;
        out.push({
          label: `${n} ${m.street.name}`,
          kind: 'address',
          location: round(m.street.anchor),
          precision: 'interpolated',
          score: m.score + 0.1,
          detail: 'Mid-street (short street, no known block)',
        });
        continue;
      }
      out.push({
        label: `${n} ${m.street.name}`,
        kind: 'address',
        location: round(house.location),
        precision: house.precision,
        score: m.score + (house.precision === 'block' ? 0 : 0.05),
        ...(house.precision === 'interpolated' ? { detail: `Between the ${house.from[0]} and ${house.from[1]} blocks` } : {}),
      });
    }
    return out;
  }
}

function streetSuggestion(street: Street, score: number): Scored {
  return { label: street.name, kind: 'street', location: round(street.anchor), precision: 'street', score };
}

/** Every place two streets meet: their crossings, else where they come within a few metres. */
export function meetingPoints(a: Street, b: Street): LatLon[] {
  const points: LatLon[] = [];
  let nearest: { point: LatLon; distanceM: number } | undefined;
  a.lines.forEach((la, i) => {
    b.lines.forEach((lb, j) => {
      if (!boxesMeet(a.boxes[i]!, b.boxes[j]!, 0.0005)) return;
      const cross = crossings(la, lb);
      if (cross.length > 0) points.push(...cross);
      else {
        const near = closestApproach(la, lb);
        if (near.distanceM <= NEAR_MISS_M && (nearest === undefined || near.distanceM < nearest.distanceM)) nearest = near;
      }
    });
  });
  if (points.length === 0 && nearest !== undefined) points.push(nearest.point);
  const distinct: LatLon[] = [];
  for (const p of points) if (!distinct.some((d) => haversine(d, p) < SAME_CROSSING_M)) distinct.push(p);
  return distinct;
}

const round = (p: LatLon): LatLon => ({ lat: Math.round(p.lat * 1e6) / 1e6, lon: Math.round(p.lon * 1e6) / 1e6 });
