import { seededRandom } from '../core/seeded-random.ts';

/** FNV-1a over the string's UTF-16 units: a stable 32-bit hash for seeding. */
function hash32(text: string, basis = 0x811c9dc5): number {
  let h = basis >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * Common random numbers: every draw about one incident comes from a source seeded by the run's
 * seed, the incident and what the draw is for (a row's turnout, a volunteer's answer), never from
 * a source shared with other incidents. Each policy then meets the same call processing, the same
 * turnouts and the same volunteers' answers, so a difference between policies is the policy's.
 */
export function drawsFor(seed: number, incidentId: string, purpose: string): () => number {
  return seededRandom(hash32(`${incidentId}\u0000${purpose}`, (0x811c9dc5 ^ Math.imul(seed | 0, 0x9e3779b1)) >>> 0));
}
