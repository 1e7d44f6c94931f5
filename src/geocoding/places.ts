import type { LatLon } from '../core/lat-lon.ts';
import { canonicalToken, words } from './street-names.ts';

/** A named place a caller may give instead of an address: a fire station, a hospital, an AED site. */
export interface Place {
  readonly name: string;
  readonly location: LatLon;
  /** What it is and where, in words ("Fire station · 935 Folsom St"). */
  readonly detail?: string;
  /** Its street address, when known. */
  readonly address?: string;
}

export interface PlaceMatch {
  readonly place: Place;
  readonly score: number;
}

/**
 * Places whose name holds every typed word (in any order; each may be the start of a word),
 * best first: fewer untyped words in the name, then the name's order.
 */
export function matchPlaces(places: readonly Place[], text: string, limit: number): PlaceMatch[] {
  const typed = words(text).map(canonicalToken);
  if (typed.length === 0) return [];
  const found: PlaceMatch[] = [];
  for (const place of places) {
    const name = words(place.name).map(canonicalToken);
    const used = new Set<number>();
    let score = 0;
    for (const t of typed) {
      let hit = name.findIndex((w, i) => !used.has(i) && w === t);
      if (hit >= 0) {
        used.add(hit);
        continue;
      }
      hit = name.findIndex((w, i) => !used.has(i) && w.startsWith(t));
      if (hit < 0) {
        score = Infinity;
        break;
      }
      used.add(hit);
      score += 0.3;
    }
    if (score !== Infinity) found.push({ place, score: score + (name.length - used.size) * 0.1 });
  }
  found.sort((a, b) => a.score - b.score || a.place.name.localeCompare(b.place.name, 'en', { numeric: true }));
  return found.slice(0, limit);
}
