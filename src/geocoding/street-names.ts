/**
 * Street names reduced to one canonical spelling, so that "Market Street", "MARKET ST" (the DataSF
 * calls) and "Market St" (TIGER) are the same key, and "5th", "05TH" and "fifth" the same token.
 */

/** Every spelling of a street type or direction → its canonical token (USPS abbreviations, lower case). */
const CANONICAL: Readonly<Record<string, string>> = {
  street: 'st', st: 'st', str: 'st', saint: 'st',
  avenue: 'ave', ave: 'ave', av: 'ave', avn: 'ave',
  boulevard: 'blvd', blvd: 'blvd', bl: 'blvd', bvd: 'blvd', boul: 'blvd',
  drive: 'dr', dr: 'dr', drv: 'dr',
  road: 'rd', rd: 'rd',
  lane: 'ln', ln: 'ln',
  way: 'way', wy: 'way',
  terrace: 'ter', ter: 'ter', tr: 'ter', terr: 'ter',
  place: 'pl', pl: 'pl',
  court: 'ct', ct: 'ct',
  alley: 'aly', aly: 'aly', al: 'aly',
  highway: 'hwy', hwy: 'hwy',
  circle: 'cir', cir: 'cir',
  plaza: 'plz', plz: 'plz',
  square: 'sq', sq: 'sq',
  parkway: 'pkwy', pkwy: 'pkwy',
  expressway: 'expy', expy: 'expy',
  north: 'n', n: 'n',
  south: 's', s: 's',
  east: 'e', e: 'e',
  west: 'w', w: 'w',
  mount: 'mt', mt: 'mt',
  fort: 'ft', ft: 'ft',
};

const ORDINAL_WORDS = [
  'first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth',
  'eleventh', 'twelfth', 'thirteenth', 'fourteenth', 'fifteenth', 'sixteenth', 'seventeenth', 'eighteenth', 'nineteenth', 'twentieth',
];

function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}

const ORDINALS: ReadonlyMap<string, string> = new Map(ORDINAL_WORDS.map((w, i) => [w, ordinal(i + 1)]));

/** All the spellings a canonical token may be typed as, for prefix matching ("stre" → st). */
export const SPELLINGS: ReadonlyMap<string, readonly string[]> = (() => {
  const m = new Map<string, string[]>();
  for (const [spelling, canon] of Object.entries(CANONICAL)) m.set(canon, [...(m.get(canon) ?? [canon]), ...(spelling === canon ? [] : [spelling])]);
  for (const [word, canon] of ORDINALS) m.set(canon, [...(m.get(canon) ?? [canon]), word]);
  return m;
})();

/** One token in canonical form: "Avenue" → ave, "05TH" → 5th, "fifth" → 5th, "o'farrell" stays. */
export function canonicalToken(raw: string): string {
  const t = raw.toLowerCase();
  const numbered = /^0*(\d+)(st|nd|rd|th)$/.exec(t);
  if (numbered) return ordinal(Number(numbered[1]));
  if (/^\d+$/.test(t)) return String(Number(t));
  return CANONICAL[t] ?? ORDINALS.get(t) ?? t;
}

/** Splits free text into lower-case word tokens; apostrophes and dots vanish ("O'Farrell" → ofarrell). */
export function words(text: string): string[] {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f'’.]/g, '')
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

/** The canonical tokens of a name. */
export function streetTokens(name: string): string[] {
  return words(name).map(canonicalToken);
}

/** The key two spellings of one street share. */
export function streetKey(name: string): string {
  return streetTokens(name).join(' ');
}

/** Title case for names written in capitals ("2333 BUCHANAN STREET" → "2333 Buchanan Street"). */
export function titleCase(text: string): string {
  return text.toLowerCase().replace(/(^|[\s\-/(])([a-z])/g, (_m, sep: string, c: string) => sep + c.toUpperCase());
}
