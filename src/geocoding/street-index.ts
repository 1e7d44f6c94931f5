import type { LatLon } from '../core/lat-lon.ts';
import { bboxOf, lineLength, pointAt, type BBox, type Polyline } from './polylines.ts';
import { canonicalToken, SPELLINGS, streetKey, words } from './street-names.ts';

/** One named street: every line of that name, with what ranking needs. */
export interface Street {
  readonly name: string;
  readonly key: string;
  readonly tokens: readonly string[];
  readonly lines: readonly Polyline[];
  readonly boxes: readonly BBox[];
  readonly lengthM: number;
  /** A primary or secondary road (TIGER S1100/S1200): ranked before a lane of the same score. */
  readonly major: boolean;
  /** A point on the street to show when only the street is known: the middle of its longest line. */
  readonly anchor: LatLon;
}

export interface StreetMatch {
  readonly street: Street;
  /** Lower is better: 0 is the whole name typed exactly. */
  readonly score: number;
}

export interface NamedLine {
  readonly name: string;
  readonly line: Polyline;
  readonly major: boolean;
}

/** Leading words a caller often leaves out: "Van Ness Ave" for "S Van Ness Ave", "Embarcadero" for "The Embarcadero". */
const SKIPPABLE_FIRST = new Set(['n', 's', 'e', 'w', 'the']);

/** Optimal string alignment distance, giving up (Infinity) beyond `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return Infinity;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return Infinity;
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length]! <= max ? prev[b.length]! : Infinity;
}

/** Numbers get none: 17th is not a typo of 16th. */
const typoBudget = (typed: string) => (/\d/.test(typed) ? 0 : typed.length >= 8 ? 2 : typed.length >= 4 ? 1 : 0);

/**
 * How well one typed token matches one token of a name; undefined when it does not. The last
 * token typed may be the start of a word ("mark" for market, "stre" for st).
 */
export function tokenScore(typed: string, raw: string, target: string, last: boolean): number | undefined {
  if (typed === target) return 0;
  const spellings = SPELLINGS.get(target) ?? [target];
  if (last && spellings.some((s) => s.startsWith(raw) || s.startsWith(typed))) return 0.15;
  const budget = typoBudget(raw);
  if (budget === 0) return undefined;
  let best = Infinity;
  for (const s of spellings) {
    best = Math.min(best, editDistance(raw, s, budget));
    if (last && s.length > raw.length) best = Math.min(best, editDistance(raw, s.slice(0, raw.length), 1) + 0.5);
  }
  return best === Infinity ? undefined : 1 + best;
}

/** A middle initial ("Carlton B Goodlett"): often misheard, misspelt or left out. */
const isInitial = (t: string) => t.length === 1 && /[a-z]/.test(t);
/** A typed word distinctive enough to be looked for inside a longer name ("goodlett" in "Dr Carlton P Goodlett Pl"). */
const distinctive = (typed: string, raw: string) => raw.length >= 4 && !/\d/.test(raw) && !SPELLINGS.has(typed);

const WRONG_INITIAL = 0.5;
const EXTRA_INITIAL = 0.5;
const MISSING_INITIAL = 0.3;
const MISSING_INNER_WORD = 0.6;
const MISSING_LEADING_WORDS = 0.5;
const MISSING_TRAILING_WORD = 0.1;

/**
 * Scores a typed name against a street's tokens, or undefined: the typed words are aligned in
 * order with the name's, so a differing, missing or extra middle initial, a left-out word inside
 * the name, or the leading words of a long name ("Goodlett" for "Dr Carlton P Goodlett Pl") cost a
 * little instead of losing the street.
 */
export function nameScore(typed: readonly string[], raw: readonly string[], target: readonly string[]): number | undefined {
  const n = typed.length;
  const m = target.length;
  if (n === 0) return undefined;
  // best[i][j]: typed[0..i) aligned with target[0..j).
  const best: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(Infinity));
  best[0]![0] = 0;
  // Leading words of the name left out: a direction or "the" as before, else only for a distinctive first word.
  for (let j = 1; j <= m; j++) {
    if (j === 1 && SKIPPABLE_FIRST.has(target[0]!)) best[0]![1] = 0.4;
    else if (distinctive(typed[0]!, raw[0]!) && j < m) best[0]![j] = MISSING_LEADING_WORDS + 0.1 * j;
  }
  for (let i = 0; i <= n; i++) {
    for (let j = 0; j <= m; j++) {
      const here = best[i]![j]!;
      if (here === Infinity) continue;
      if (i < n && j < m) {
        const s = tokenScore(typed[i]!, raw[i]!, target[j]!, i === n - 1);
        const cost = s ?? (isInitial(typed[i]!) && isInitial(target[j]!) ? WRONG_INITIAL : undefined);
        if (cost !== undefined) best[i + 1]![j + 1] = Math.min(best[i + 1]![j + 1]!, here + cost);
      }
      // A typed initial the name does not have.
      if (i < n && i > 0 && isInitial(typed[i]!)) best[i + 1]![j] = Math.min(best[i + 1]![j]!, here + EXTRA_INITIAL);
      if (j < m && i > 0) {
        const cost = i === n ? MISSING_TRAILING_WORD : isInitial(target[j]!) ? MISSING_INITIAL : MISSING_INNER_WORD;
        best[i]![j + 1] = Math.min(best[i]![j + 1]!, here + cost);
      }
    }
  }
  const score = best[n]![m]!;
  return score === Infinity ? undefined : score;
}

/** The named streets of a city, searched by name with abbreviations, partial words and typos. */
export class StreetIndex {
  private readonly byKey: ReadonlyMap<string, Street>;

  constructor(readonly streets: readonly Street[]) {
    this.byKey = new Map(streets.map((s) => [s.key, s]));
  }

  /** Groups lines by name: a street is every line that carries its name. */
  static fromLines(lines: Iterable<NamedLine>): StreetIndex {
    const groups = new Map<string, { name: string; lines: Polyline[]; major: boolean }>();
    for (const l of lines) {
      if (l.line.length < 4) continue;
      const key = streetKey(l.name);
      if (key === '') continue;
      const g = groups.get(key) ?? { name: l.name, lines: [], major: false };
      g.lines.push(l.line);
      g.major ||= l.major;
      groups.set(key, g);
    }
    const streets = [...groups].map(([key, g]): Street => {
      const lengths = g.lines.map(lineLength);
      const longest = lengths.indexOf(Math.max(...lengths));
      return {
        name: g.name,
        key,
        tokens: key.split(' '),
        lines: g.lines,
        boxes: g.lines.map(bboxOf),
        lengthM: lengths.reduce((a, b) => a + b, 0),
        major: g.major,
        anchor: pointAt(g.lines[longest]!, lengths[longest]! / 2),
      };
    });
    return new StreetIndex(streets);
  }

  /** The street whose name has this key ("MARKET ST" and "Market Street" share one). */
  get(name: string): Street | undefined {
    return this.byKey.get(streetKey(name));
  }

  /** Streets matching typed text, best first: exact, then by prefix, then with a typo; longer streets first among equals. */
  match(text: string, limit: number): StreetMatch[] {
    const raw = words(text);
    if (raw.length === 0) return [];
    // "O Farrell" for O'Farrell: a lone o joined to the next word is tried too.
    const joined = raw.flatMap((w, i) => (w === 'o' && i + 1 < raw.length ? [] : i > 0 && raw[i - 1] === 'o' ? [`o${w}`] : [w]));
    const readings = joined.length === raw.length ? [raw] : [raw, joined];
    const found: StreetMatch[] = [];
    for (const street of this.streets) {
      let score: number | undefined;
      for (const r of readings) {
        const typed = r.map(canonicalToken);
        const s = typed.join(' ') === street.key ? 0 : nameScore(typed, r, street.tokens);
        if (s !== undefined && (score === undefined || s < score)) score = s;
      }
      // Among equal matches the longer street is the likelier: a city's main streets are called in most.
      if (score !== undefined) found.push({ street, score: score - Math.min(0.2, street.lengthM / 25_000) });
    }
    found.sort((a, b) => a.score - b.score || Number(b.street.major) - Number(a.street.major) || a.street.name.localeCompare(b.street.name));
    return found.slice(0, limit);
  }
}
