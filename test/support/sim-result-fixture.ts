import type { IncidentIntervals } from '../../src/reports/intervals.ts';
import { NFPA_1710 } from '../../src/reports/intervals.ts';
import { lateGrid } from '../../src/reports/late-grid.ts';
import type { PolicyName, PolicyResult, SimResult } from '../../src/sim/sim-result.ts';

/** A seeded generator (mulberry32): the same fixture every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const START = Date.UTC(2016, 11, 31, 8, 0, 0);

/**
 * A made-up replay of San Francisco-like incidents with every part of a SimResult filled: real
 * intervals, three policies (the last with volunteers), grids, utilisation and recruitment cells.
 */
export function sampleSimResult(over: { scenarioName?: string; incidents?: number } = {}): SimResult {
  const random = seeded(12);
  const n = over.incidents ?? 320;
  const real: IncidentIntervals[] = [];
  for (let i = 0; i < n; i++) {
    const lat = 37.71 + random() * 0.095;
    const lon = -122.505 + random() * 0.12;
    const far = lon < -122.47 || lat < 37.725 ? 1.6 : 1;
    const volunteerCall = random() < 0.45;
    const callToDispatchS = Math.round(30 + random() * 70);
    const turnoutS = Math.round(35 + random() * 70);
    const travelS = Math.round((110 + random() ** 2 * 420) * far);
    real.push({
      incidentId: `SF-${16146000 + i}`,
      receivedAt: START + Math.round((i / n) * 4 * 86_400_000),
      location: { lat, lon },
      stationArea: String(1 + Math.floor(((lat - 37.71) / 0.095) * 4) * 5 + Math.floor(((lon + 122.505) / 0.12) * 5)).padStart(2, '0'),
      nature: volunteerCall ? 'medical' : 'structure_fire',
      priority: 1,
      service: volunteerCall ? 'ems' : 'fire',
      volunteerCall,
      callToDispatchS,
      turnoutS,
      travelS,
      firstUnitS: callToDispatchS + turnoutS + travelS,
      firstHelpS: callToDispatchS + turnoutS + travelS,
      firstUnitId: `E${1 + (i % 40)}`,
      firstUnitType: 'engine',
    });
  }
  const policy = (name: PolicyName, travelFactor: number, volunteers: boolean): PolicyResult => {
    const incidents = real.map((r): IncidentIntervals => {
      const travelS = Math.round(r.travelS! * travelFactor * (0.75 + random() * 0.5));
      const turnoutS = Math.round(35 + random() * 70);
      const firstUnitS = r.callToDispatchS! + turnoutS + travelS;
      const walk = volunteers && r.volunteerCall && random() < 0.7 ? Math.round(r.callToDispatchS! + 90 + random() * 420) : undefined;
      const firstHelpS = walk === undefined ? firstUnitS : Math.min(walk, firstUnitS);
      return { ...r, turnoutS, travelS, firstUnitS, firstHelpS, ...(walk === undefined ? {} : { firstVolunteerS: walk }) };
    });
    const utilisation: Record<string, number> = {};
    for (let u = 1; u <= 40; u++) utilisation[`E${u}`] = Math.round(random() * 0.35 * 10_000) / 10_000;
    const alerted = volunteers ? incidents.filter((r) => r.volunteerCall).length * 4 : 0;
    return {
      name,
      incidents,
      utilisation,
      grid: lateGrid(incidents, 1000, 240),
      volunteers: { alerted, accepted: Math.round(alerted * 0.3), arrived: incidents.filter((r) => r.firstVolunteerS !== undefined).length },
    };
  };
  const policies = [policy('straight_line', 1.12, false), policy('routed', 1, false), policy('routed_volunteers', 1, true)];
  const late = [...policies[2]!.grid].filter((c) => c.firstHelpMedianS !== null).sort((a, b) => b.firstHelpMedianS! - a.firstHelpMedianS! || a.row - b.row || a.col - b.col);
  const recruitment = late.slice(0, 3).map((c, i) => ({
    row: c.row,
    col: c.col,
    centre: c.centre,
    volunteersAdded: 20,
    minutesSaved: Math.round((30 - i * 7.5) * 10) / 10,
    firstHelpMedianBeforeS: c.firstHelpMedianS,
    firstHelpMedianAfterS: Math.round(c.firstHelpMedianS! * 0.7),
  }));
  return {
    seed: 1,
    callsFile: 'sf_fire_calls_2016-12-31_to_2017-01-03.csv',
    scenarioName: over.scenarioName ?? 'baseline',
    thresholds: NFPA_1710,
    span: { from: real[0]!.receivedAt, to: real[real.length - 1]!.receivedAt },
    real,
    policies,
    recruitment,
  };
}
