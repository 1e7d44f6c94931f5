// Request bodies for the write load: what a call-taker sends when creating an incident.

import { seededRandom } from '../../src/core/seeded-random.ts';

/** Deterministic numbers in [0, 1) (the project's one seeded PRNG), so two runs send the same bodies. */
export const prng = seededRandom;

export const NATURES = ['cardiac_arrest', 'medical', 'structure_fire'] as const;

/** San Francisco's land area, roughly (the bench does not care about the odd point in the bay). */
const SF = { south: 37.708, north: 37.81, west: -122.513, east: -122.357 };

const STREETS = ['Market St', 'Mission St', 'Valencia St', 'Geary Blvd', 'Van Ness Ave', 'Irving St', 'Divisadero St', 'Folsom St'];

/** `count` JSON bodies for POST /api/incidents: random SF location, one of three natures, sometimes details. */
export function incidentBodies(count: number, seed = 1): string[] {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
  return Array.from({ length: count }, () => {
    const nature = pick(NATURES);
    const body: Record<string, unknown> = {
      location: { lat: round6(SF.south + rnd() * (SF.north - SF.south)), lon: round6(SF.west + rnd() * (SF.east - SF.west)) },
      nature,
      address: `${1 + Math.floor(rnd() * 3000)} ${pick(STREETS)}`,
    };
    if (rnd() < 0.5) body['priority'] = nature === 'medical' ? 2 : 1;
    if (rnd() < 0.5) body['callbackNumber'] = `+1 415 555 ${String(Math.floor(rnd() * 10000)).padStart(4, '0')}`;
    if (nature === 'structure_fire' && rnd() < 0.5) body['notes'] = 'Smoke showing from second floor, occupants reported inside';
    if (nature === 'cardiac_arrest' && rnd() < 0.5) {
      body['floor'] = String(1 + Math.floor(rnd() * 12));
      body['access'] = 'Lobby door code 1234';
    }
    return JSON.stringify(body);
  });
}

/** Cycles through a fixed array. */
export function cycle<T>(xs: readonly T[]): () => T {
  let i = 0;
  return () => xs[i++ % xs.length]!;
}
