import { describe, expect, it } from 'vitest';
import { parseDataSfTime } from './datasf-time.ts';

const iso = (text: string) => {
  const ms = parseDataSfTime(text);
  return ms === undefined ? undefined : new Date(ms).toISOString();
};

describe('parseDataSfTime: San Francisco wall-clock stamps to UTC', () => {
  it('reads a winter stamp as Pacific Standard Time (UTC-8)', () => {
    expect(iso('12/31/2016 11:57:56 PM')).toBe('2017-01-01T07:57:56.000Z');
    expect(iso('01/03/2017 09:15:00 AM')).toBe('2017-01-03T17:15:00.000Z');
  });

  it('reads a summer stamp as Pacific Daylight Time (UTC-7)', () => {
    expect(iso('07/04/2017 12:00:00 PM')).toBe('2017-07-04T19:00:00.000Z');
    expect(iso('08/15/2016 06:30:45 AM')).toBe('2016-08-15T13:30:45.000Z');
  });

  it('reads 12 AM as the first hour of the day and 12 PM as noon', () => {
    expect(iso('01/01/2017 12:01:47 AM')).toBe('2017-01-01T08:01:47.000Z');
    expect(iso('01/01/2017 12:01:47 PM')).toBe('2017-01-01T20:01:47.000Z');
    expect(iso('01/01/2017 01:00:00 PM')).toBe('2017-01-01T21:00:00.000Z');
  });

  it('switches offset exactly at the spring-forward change (2017-03-12, 2 AM PST becomes 3 AM PDT)', () => {
    expect(iso('03/12/2017 01:59:59 AM')).toBe('2017-03-12T09:59:59.000Z');
    expect(iso('03/12/2017 03:00:00 AM')).toBe('2017-03-12T10:00:00.000Z');
    expect(iso('03/11/2017 11:00:00 PM')).toBe('2017-03-12T07:00:00.000Z');
    expect(iso('03/13/2017 12:00:00 AM')).toBe('2017-03-13T07:00:00.000Z');
  });

  it('switches offset exactly at the fall-back change (2017-11-05, 2 AM PDT becomes 1 AM PST)', () => {
    expect(iso('11/05/2017 12:59:59 AM')).toBe('2017-11-05T07:59:59.000Z');
    expect(iso('11/05/2017 02:00:00 AM')).toBe('2017-11-05T10:00:00.000Z');
    expect(iso('11/06/2017 12:00:00 AM')).toBe('2017-11-06T08:00:00.000Z');
  });

  it('reads the repeated hour of the fall-back night as one of its two real instants', () => {
    expect(['2017-11-05T08:30:00.000Z', '2017-11-05T09:30:00.000Z']).toContain(iso('11/05/2017 01:30:00 AM'));
  });

  it('handles a leap day and ignores surrounding whitespace', () => {
    expect(iso('02/29/2016 11:59:59 PM')).toBe('2016-03-01T07:59:59.000Z');
    expect(iso('  12/31/2016 11:57:56 PM\t')).toBe('2017-01-01T07:57:56.000Z');
  });

  it('returns undefined for text that is not a DataSF stamp', () => {
    for (const text of [
      '',
      '2017-01-01T00:00:00Z',
      '12/31/2016 11:57 PM',
      '12/31/2016 23:57:56',
      '1/1/2017 01:00:00 AM',
      '12/31/2016 11:57:56 pm',
    ]) {
      expect(parseDataSfTime(text), text).toBeUndefined();
    }
  });

  it('returns undefined for a stamp naming a date or time that does not exist, rather than a wrong instant', () => {
    for (const text of [
      '13/01/2017 10:00:00 AM',
      '00/10/2017 10:00:00 AM',
      '02/30/2017 10:00:00 AM',
      '02/29/2017 10:00:00 AM',
      '04/31/2017 10:00:00 AM',
      '01/00/2017 10:00:00 AM',
      '01/01/2017 13:00:00 PM',
      '01/01/2017 00:30:00 AM',
      '01/01/2017 10:60:00 AM',
      '01/01/2017 10:00:60 AM',
    ]) {
      expect(parseDataSfTime(text), text).toBeUndefined();
    }
  });
});
