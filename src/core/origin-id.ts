import type { IncidentOrigin } from './commands.ts';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK = (1n << 64n) - 1n;

/** FNV-1a over the UTF-16 code units: small, pure and stable across versions, which an id must be. */
function fnv1a64(text: string): bigint {
  let h = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) {
    h ^= BigInt(text.charCodeAt(i));
    h = (h * FNV_PRIME) & MASK;
  }
  return h;
}

/** How many ids an origin may take; a second or third is used only when a different origin hashed to the first. */
export const ORIGIN_ID_PROBES = 3;

/**
 * The incident ids an imported document may have, in the order to try them. The id is derived from
 * the origin rather than drawn at random so that the same document delivered twice at once lands on
 * one stream: the second delivery meets `IncidentAlreadyExists` instead of creating a twin. Whoever
 * takes an id checks that the incident there carries this origin (a hash can collide).
 */
export function originIncidentIds(origin: IncidentOrigin): string[] {
  let h = fnv1a64(`${origin.source}\u0000${origin.externalId}`);
  let code = '';
  for (let i = 0; i < 10; i++) {
    code += CROCKFORD[Number(h & 31n)];
    h >>= 5n;
  }
  const base = `X${code}`;
  return Array.from({ length: ORIGIN_ID_PROBES }, (_, i) => (i === 0 ? base : `${base}-${i + 1}`));
}
