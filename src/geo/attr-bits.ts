/**
 * Attributes of a moving point packed into one 32-bit word (kind, status, qualifications), and
 * filters on that word. The live index stores the word, not the names, so that a filter costs one
 * AND per point.
 */

/**
 * A filter on an attribute word: every `all` bit set, at least one `any` bit set (when `any` is
 * not 0), and no `none` bit set. Build it with {@link attrFilter} or {@link AttrBits.filter}.
 */
export interface AttrFilter {
  readonly all: number;
  readonly any: number;
  readonly none: number;
}

/** The filter every point passes. */
export const MATCH_ALL: AttrFilter = { all: 0, any: 0, none: 0 };

const isWord = (n: number): boolean => Number.isInteger(n) && n >= -0x8000_0000 && n <= 0xffff_ffff;

/** A filter from raw masks (uint32 or int32); masks are kept as int32, as the index stores words. */
export function attrFilter(masks: { readonly all?: number; readonly any?: number; readonly none?: number }): AttrFilter {
  for (const [k, v] of Object.entries(masks)) {
    if (v !== undefined && !isWord(v)) throw new RangeError(`attrFilter: ${k} must be a 32-bit mask, not ${String(v)}`);
  }
  return { all: (masks.all ?? 0) | 0, any: (masks.any ?? 0) | 0, none: (masks.none ?? 0) | 0 };
}

/** True when the attribute word passes the filter. */
export function matchesFilter(attrs: number, f: AttrFilter): boolean {
  const a = attrs | 0;
  return (a & f.all) === f.all && (f.any === 0 || (a & f.any) !== 0) && (a & f.none) === 0;
}

/** Checks an attribute word where it enters: an integer in [0, 2^32). */
export function checkAttrs(attrs: number, where: string): void {
  if (!Number.isInteger(attrs) || attrs < 0 || attrs > 0xffff_ffff) {
    throw new RangeError(`${where}: attrs must be an integer in [0, 2^32), not ${String(attrs)}`);
  }
}

/** A vocabulary of up to 32 named bits: names to masks and back. */
export class AttrBits<N extends string> {
  readonly names: readonly N[];
  private readonly bitOf = new Map<string, number>();

  constructor(names: readonly N[]) {
    if (names.length > 32) throw new RangeError(`AttrBits: at most 32 names fit in a word, got ${names.length}`);
    names.forEach((name, i) => {
      if (this.bitOf.has(name)) throw new RangeError(`AttrBits: the name ${name} appears twice`);
      this.bitOf.set(name, (1 << i) >>> 0);
    });
    this.names = [...names];
  }

  /** The single bit of a name (uint32). */
  bit(name: N): number {
    const b = this.bitOf.get(name);
    if (b === undefined) throw new RangeError(`AttrBits: unknown name ${name}; known: ${this.names.join(', ')}`);
    return b;
  }

  /** The word with exactly these names set (uint32). */
  mask(names: Iterable<N>): number {
    let m = 0;
    for (const n of names) m |= this.bit(n);
    return m >>> 0;
  }

  /** True when the word has the name's bit. */
  has(attrs: number, name: N): boolean {
    return ((attrs | 0) & this.bit(name)) !== 0;
  }

  /** The names set in a word, in vocabulary order. */
  namesOf(attrs: number): N[] {
    return this.names.filter((n) => this.has(attrs, n));
  }

  /** A filter by names: all of `all`, at least one of `any`, none of `none`. */
  filter(spec: { readonly all?: Iterable<N>; readonly any?: Iterable<N>; readonly none?: Iterable<N> }): AttrFilter {
    return attrFilter({ all: this.mask(spec.all ?? []), any: this.mask(spec.any ?? []), none: this.mask(spec.none ?? []) });
  }
}
