import { describe, expect, it } from 'vitest';
import { compliance, distribution, meanAbsoluteError, quantile, type IncidentIntervals } from './intervals.ts';

const at = { lat: 37.77, lon: -122.42 };
const rec = (id: string, over: Partial<IncidentIntervals>): IncidentIntervals => ({
  incidentId: id, receivedAt: 0, location: at, stationArea: '1', nature: 'medical', priority: 1, service: 'ems', volunteerCall: false, ...over,
});

describe('interval figures', () => {
  it('quantiles interpolate between closest ranks and are null on nothing', () => {
    expect(quantile([10, 20, 30, 40], 0.5)).toBe(25);
    expect(quantile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.9)).toBeCloseTo(91);
    expect(quantile([], 0.5)).toBeNull();
    expect(distribution([300, 100, 200])).toEqual({ n: 3, medianS: 200, p90S: 280 });
  });

  it('mean absolute error matches incidents by id and skips those missing a side', () => {
    const sim = [rec('a', { travelS: 100 }), rec('b', { travelS: 300 }), rec('c', { travelS: 50 })];
    const real = [rec('a', { travelS: 160 }), rec('b', { travelS: 200 }), rec('c', {})];
    expect(meanAbsoluteError(sim, real, 'travelS')).toEqual({ n: 2, meanAbsErrorS: 80 });
  });

  it('turnout is judged against 60 s for EMS and 80 s for fire; travel against 240 s', () => {
    const c = compliance([
      rec('a', { service: 'ems', turnoutS: 70, travelS: 240 }),
      rec('b', { service: 'fire', turnoutS: 70, travelS: 241 }),
      rec('c', { callToDispatchS: 30 }),
    ]);
    expect(c).toEqual({ callToDispatch: 1, turnout: 0.5, travel: 0.5, n: { callToDispatch: 1, turnout: 2, travel: 2 } });
    expect(compliance([rec('a', { travelS: 200 })], { callToDispatchS: 64, turnoutEmsS: 60, turnoutFireS: 80, travelS: 180 }).travel).toBe(0);
  });
});

describe('lateness grid', () => {
  it('puts incidents in fixed cells with their median time to first help and travel misses', async () => {
    const { lateGrid } = await import('./late-grid.ts');
    const origin = { lat: 37.7, lon: -122.5 };
    const cells = lateGrid(
      [
        rec('a', { location: { lat: 37.7001, lon: -122.4999 }, firstHelpS: 300, travelS: 200 }),
        rec('b', { location: { lat: 37.7002, lon: -122.4998 }, firstHelpS: 500, travelS: 300 }),
        rec('c', { location: { lat: 37.7200, lon: -122.4999 } }),
      ],
      1000,
      240,
      origin,
    );
    expect(cells.map((c) => [c.row, c.col, c.incidents, c.firstHelpMedianS, c.travelMissShare])).toEqual([
      [2, 0, 1, null, null],
      [0, 0, 2, 400, 0.5],
    ]);
  });
});
