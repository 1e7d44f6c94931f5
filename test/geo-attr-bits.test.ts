// Attribute words and filters, and the one distance function both indexes use.
import { describe, expect, it } from 'vitest';
import { haversine } from '../src/core/lat-lon.ts';
import { AttrBits, attrFilter, matchesFilter } from '../src/geo/attr-bits.ts';
import { cosLat, haversineM } from '../src/geo/great-circle.ts';
import { ResponderAttrs } from '../src/geo/responder-attrs.ts';

describe('attribute words', () => {
  const bits = new AttrBits(['available', 'cpr', 'aed', 'first_aid'] as const);

  it('names_map_to_bits_and_back', () => {
    const w = bits.mask(['available', 'aed']);
    expect(w).toBe(0b101);
    expect(bits.namesOf(w)).toEqual(['available', 'aed']);
    expect(bits.has(w, 'cpr')).toBe(false);
  });

  it('a_filter_needs_all_of_all_one_of_any_and_none_of_none', () => {
    const f = bits.filter({ all: ['available'], any: ['cpr', 'aed'], none: ['first_aid'] });
    expect(matchesFilter(bits.mask(['available', 'cpr']), f)).toBe(true);
    expect(matchesFilter(bits.mask(['available']), f)).toBe(false);
    expect(matchesFilter(bits.mask(['cpr']), f)).toBe(false);
    expect(matchesFilter(bits.mask(['available', 'aed', 'first_aid']), f)).toBe(false);
  });

  it('the_32nd_bit_works_like_any_other', () => {
    const f = attrFilter({ all: 0x8000_0000 });
    expect(matchesFilter(0x8000_0001, f)).toBe(true);
    expect(matchesFilter(1, f)).toBe(false);
  });

  it('a_vocabulary_holds_at_most_32_distinct_names', () => {
    expect(() => new AttrBits(Array.from({ length: 33 }, (_, i) => `b${i}`))).toThrow(/32/);
    expect(() => new AttrBits(['a', 'a'])).toThrow(/twice/);
    expect(() => bits.mask(['nope' as 'cpr'])).toThrow(/unknown name nope/);
  });

  it('responders_words_carry_kind_status_and_skills', () => {
    const r = new ResponderAttrs(['engine', 'als']);
    const returningMedic = r.unit('returning', ['als']);
    expect(matchesFilter(returningMedic, r.dispatchableUnits(['als']))).toBe(true);
    expect(matchesFilter(r.unit('on_scene', ['als']), r.dispatchableUnits(['als']))).toBe(false);
    expect(matchesFilter(returningMedic, r.availableVolunteers())).toBe(false);
    expect(matchesFilter(r.volunteer(true, ['cpr', 'aed']), r.availableVolunteers(['cpr']))).toBe(true);
    expect(matchesFilter(r.volunteer(false, ['cpr']), r.availableVolunteers(['cpr']))).toBe(false);
    expect(() => new ResponderAttrs(['available'])).toThrow(/clash/);
  });
});

describe('great-circle distance', () => {
  it('agrees_with_the_core_haversine', () => {
    const pairs = [
      [37.75, -122.44, 37.8, -122.4],
      [0, 179.9, 0, -179.9],
      [89.9, 0, 89.9, 180],
      [-33.9, 18.4, 51.5, -0.1],
    ] as const;
    for (const [a, b, c, d] of pairs) {
      expect(haversineM(a, b, cosLat(a), c, d)).toBeCloseTo(haversine({ lat: a, lon: b }, { lat: c, lon: d }), 6);
    }
  });
});
