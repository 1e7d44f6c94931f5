import { describe, expect, it } from 'vitest';
import { instantOf, offsetDateTime } from './date-time.ts';

describe('offsetDateTime', () => {
  const at = Date.parse('2024-01-01T00:30:00.250Z');

  it('writes an offset, never "Z": UTC as +00:00, or -00:00 when asked (CAP)', () => {
    expect(offsetDateTime(at)).toBe('2024-01-01T00:30:00+00:00');
    expect(offsetDateTime(at, { utc: '-00:00' })).toBe('2024-01-01T00:30:00-00:00');
    expect(offsetDateTime(at, { millis: true })).toBe('2024-01-01T00:30:00.250+00:00');
  });

  it('writes local time with its offset, east and west, naming the same instant', () => {
    expect(offsetDateTime(at, { offsetMin: 330, millis: true })).toBe('2024-01-01T06:00:00.250+05:30');
    expect(offsetDateTime(at, { offsetMin: -480 })).toBe('2023-12-31T16:30:00-08:00');
    expect(offsetDateTime(at, { offsetMin: -570, utc: '-00:00' })).toBe('2023-12-31T15:00:00-09:30');
    for (const offsetMin of [-720, -570, -480, 0, 60, 330, 345, 840]) {
      expect(Date.parse(offsetDateTime(at, { offsetMin, millis: true }))).toBe(at);
    }
  });

  it('refuses what is not a time', () => {
    expect(() => offsetDateTime(Number.NaN)).toThrow(RangeError);
    expect(() => instantOf('yesterday')).toThrow(RangeError);
    expect(instantOf('2024-01-01T00:30:00.250Z')).toBe(at);
  });
});
