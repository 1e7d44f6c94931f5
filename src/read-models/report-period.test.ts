import { describe, expect, it } from 'vitest';
import { localMidnight, reportPeriod } from './report-period.ts';

const LA = 'America/Los_Angeles';
const period = (q: Record<string, string>, now: string, tz = LA) => reportPeriod(q, Date.parse(now), tz);

describe('report periods', () => {
  it('today is the local day, midnight to midnight, in the service time zone', () => {
    // 23:30 on Wednesday in San Francisco is already Thursday in UTC.
    expect(period({}, '2026-03-05T07:30:00Z')).toEqual({ ok: true, period: { name: 'today', from: '2026-03-04T08:00:00.000Z', to: '2026-03-05T08:00:00.000Z', timeZone: LA } });
    expect(period({ period: 'today' }, '2026-03-05T08:00:00Z')).toMatchObject({ period: { from: '2026-03-05T08:00:00.000Z' } });
  });

  it('a day when the clocks change is 23 or 25 hours long', () => {
    expect(period({ period: 'today' }, '2026-03-08T20:00:00Z')).toMatchObject({ period: { from: '2026-03-08T08:00:00.000Z', to: '2026-03-09T07:00:00.000Z' } });
    expect(period({ period: 'today' }, '2026-11-01T20:00:00Z')).toMatchObject({ period: { from: '2026-11-01T07:00:00.000Z', to: '2026-11-02T08:00:00.000Z' } });
  });

  it('this week runs from Monday midnight to the next Monday (ISO 8601), Sunday included', () => {
    const monday = { from: '2026-03-02T08:00:00.000Z', to: '2026-03-09T07:00:00.000Z' };
    expect(period({ period: 'week' }, '2026-03-02T08:00:00Z')).toMatchObject({ period: { name: 'week', ...monday } });
    // Sunday 8 March, 23:00 local (the clocks went forward that morning).
    expect(period({ period: 'week' }, '2026-03-09T06:00:00Z')).toMatchObject({ period: monday });
    expect(period({ period: 'week' }, '2026-03-09T07:00:00Z')).toMatchObject({ period: { from: '2026-03-09T07:00:00.000Z' } });
  });

  it('another time zone has its own midnight', () => {
    expect(localMidnight(Date.parse('2026-07-01T23:30:00Z'), 'Europe/Paris')).toBe(Date.parse('2026-07-01T22:00:00Z'));
  });

  it('from and to are ISO instants or dates, to after from, at most 31 days apart', () => {
    expect(period({ from: '2026-03-01', to: '2026-04-01' }, '2026-03-05T00:00:00Z')).toMatchObject({ ok: true, period: { from: '2026-03-01T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z' } });
    expect(period({ from: '2026-03-01T10:00:00-08:00', to: '2026-03-01T19:00:00.5Z' }, '2026-03-05T00:00:00Z')).toMatchObject({ ok: true, period: { from: '2026-03-01T18:00:00.000Z', to: '2026-03-01T19:00:00.500Z' } });
    expect(period({ from: '2026-03-01', to: '2026-04-01T00:00:01Z' }, '2026-03-05T00:00:00Z')).toMatchObject({ ok: false, code: 'ReportPeriodTooLong' });
    for (const q of [{ period: 'month' }, { from: '2026-03-01' }, { to: '2026-03-01' }, { from: 'March 1', to: '2026-03-02' }, { from: '2026-03-02', to: '2026-03-02' }, { from: '2026-02-30', to: '2026-03-02' }, { period: 'today', from: '2026-03-01', to: '2026-03-02' }]) {
      expect(period(q, '2026-03-05T00:00:00Z'), JSON.stringify(q)).toMatchObject({ ok: false, code: 'InvalidReportPeriod' });
    }
  });
});
