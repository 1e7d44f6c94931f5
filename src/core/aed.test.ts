import { describe, expect, it } from 'vitest';
import { isOpenAt, type OpeningHours } from './aed.ts';
import { epochMs } from './ids.ts';
import { coversDaily, isValidWindow, localClock, minuteOfDay } from './local-time.ts';

/** 2024-01-15 is a Monday; times below are UTC. */
const utc = (day: number, h: number, m = 0) => epochMs(Date.UTC(2024, 0, day, h, m));

describe('local time from an instant and a UTC offset', () => {
  it('reads the weekday and time of day where the offset says, across the date line', () => {
    expect(localClock(utc(15, 9), 0)).toEqual({ weekday: 'mon', minute: 540, text: '09:00' });
    expect(localClock(utc(15, 1), -480)).toMatchObject({ weekday: 'sun', text: '17:00' });
    expect(localClock(utc(15, 20), 600)).toMatchObject({ weekday: 'tue', text: '06:00' });
    expect(localClock(utc(15, 9), 330)).toMatchObject({ text: '14:30' });
  });

  it('accepts HH:MM from 00:00 to 24:00 only', () => {
    expect(['00:00', '07:30', '24:00', '7:30', '24:01', '12:60', 'noon'].map(minuteOfDay)).toEqual([
      0,
      450,
      1440,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(isValidWindow({ from: '22:00', to: '07:00' })).toBe(true);
    expect(isValidWindow({ from: '24:00', to: '07:00' })).toBe(false);
  });

  it('a daily window that spans midnight covers both sides of it, and ends where it says', () => {
    const night = { from: '22:00', to: '07:00' };
    expect([21 * 60 + 59, 22 * 60, 0, 6 * 60 + 59, 7 * 60].map((m) => coversDaily(night, m))).toEqual([
      false,
      true,
      true,
      true,
      false,
    ]);
  });
});

describe('AED opening hours', () => {
  const bar: OpeningHours = {
    utcOffsetMin: 0,
    weekly: {
      fri: [{ from: '18:00', to: '02:00' }],
      sat: [
        { from: '10:00', to: '12:00' },
        { from: '14:00', to: '24:00' },
      ],
    },
  };

  it('a window that spans midnight belongs to the day it opens', () => {
    expect(isOpenAt(bar, utc(19, 23)).open).toBe(true); // Friday 23:00
    expect(isOpenAt(bar, utc(20, 1, 59))).toEqual({ open: true, local: 'sat 01:59' });
    expect(isOpenAt(bar, utc(20, 2)).open).toBe(false);
    expect(isOpenAt(bar, utc(21, 1)).open).toBe(false); // Sunday 01:00: Saturday's window ends at 24:00
  });

  it('several windows a day, each half-open', () => {
    expect([9, 10, 11, 12, 13, 14, 23].map((h) => isOpenAt(bar, utc(20, h)).open)).toEqual([
      false,
      true,
      true,
      false,
      false,
      true,
      true,
    ]);
  });

  it('opening hours are read in the AED’s own local time', () => {
    const office: OpeningHours = { utcOffsetMin: -480, weekly: { mon: [{ from: '09:00', to: '17:00' }] } };
    expect(isOpenAt(office, utc(15, 9))).toEqual({ open: false, local: 'mon 01:00' });
    expect(isOpenAt(office, utc(15, 17))).toEqual({ open: true, local: 'mon 09:00' });
  });

  it('a street cabinet is always open', () => {
    expect(isOpenAt({ utcOffsetMin: 0, always: true, weekly: {} }, utc(21, 3)).open).toBe(true);
  });
});
