import { describe, expect, it } from 'vitest';
import { byStationArea, CHART_TEXT_FR, distributionChart, lateMapChart, percentilesByAreaChart } from './charts.ts';
import type { IncidentIntervals } from './intervals.ts';
import { lateGrid } from './late-grid.ts';
import { minSec, percent, timeTicks } from './svg-frame.ts';

const at = { lat: 37.77, lon: -122.42 };
const rec = (id: string, over: Partial<IncidentIntervals>): IncidentIntervals => ({
  incidentId: id, receivedAt: 0, location: at, stationArea: '1', nature: 'medical', priority: 1, service: 'ems', volunteerCall: true, ...over,
});

const HOSTILE = '<script>alert(1)</script> & "quoted" \'single\'';

/** What a standalone chart must be: one svg element, named and described, with no script and nothing fetched. */
function expectStandalone(svg: string): void {
  expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  expect(svg.endsWith('</svg>')).toBe(true);
  expect(svg).toContain('role="img"');
  expect(svg).toMatch(/<title id="[^"]+-title">[^<]+<\/title><desc id="[^"]+-desc">[^<]+<\/desc>/);
  expect(svg).not.toMatch(/<script|javascript:|href=|xlink|@import|style=|<style|on[a-z]+=/i);
  expect(svg).not.toMatch(/url\((?!#)/);
}

describe('the distribution chart', () => {
  const series = [
    { label: 'routed', values: [100, 200, 300, 400] },
    { label: 'real', values: [150, 250, 350, 450, 550] },
  ];

  it('draws one cumulative line per series and the threshold as a vertical line with its label', () => {
    const svg = distributionChart(series, { title: 'Travel', thresholdS: 240 });
    expectStandalone(svg);
    expect(svg.match(/<path d="M[^"]*" fill="none" stroke="#[0-9a-f]+" stroke-width="2.25"/g)).toHaveLength(2);
    expect(svg).toMatch(/<line x1="([\d.]+)" x2="\1" y1="\d+" y2="\d+" stroke="#b42318"/);
    expect(svg).toContain('>240 s</text>');
    // Each series' share within the threshold, and its 90th percentile, in the legend.
    expect(svg).toContain('within 240 s: 50.0 %');
    expect(svg).toContain('within 240 s: 20.0 %');
    expect(svg).toContain(`90th pct ${minSec(370)}`);
  });

  it('the line reaches 100 % once every value is passed, and starts at the share at zero', () => {
    const svg = distributionChart([{ label: 'a', values: [0, 0, 60, 60] }], { title: 'Zeroes', maxS: 120 });
    const d = /<path d="(M[^"]+)" fill="none" stroke="#0a6bb3"/.exec(svg)![1]!;
    const ys = [...d.matchAll(/[ML][\d.]+ ([\d.]+)/g)].map((m) => Number(m[1]));
    // y of 50 % at the start, 100 % (the top of the plot, 44) at the end; never going down in share.
    expect(ys[0]).toBe(172);
    expect(ys[ys.length - 1]).toBe(44);
    for (let i = 1; i < ys.length; i++) expect(ys[i]!).toBeLessThanOrEqual(ys[i - 1]!);
  });

  it('escapes the title and the series labels everywhere', () => {
    const svg = distributionChart([{ label: HOSTILE, values: [1, 2] }], { title: HOSTILE, thresholdS: 240, thresholdLabel: HOSTILE });
    expectStandalone(svg);
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot; &#39;single&#39;');
  });

  it('an empty series is named "no data" in the legend and draws no line; no series at all says so', () => {
    const svg = distributionChart([{ label: 'routed', values: [] }, { label: 'real', values: [200] }], { title: 'Some empty', thresholdS: 240 });
    expect(svg).toContain('— no data');
    expect(svg.match(/stroke-width="2.25"/g)).toHaveLength(1);
    const none = distributionChart([], { title: 'Nothing' });
    expectStandalone(none);
    expect(none).toContain('No incidents to show');
    expect(none).toContain('No series');
    const allEmpty = distributionChart([{ label: 'x', values: [] }], { title: 'All empty', thresholdS: 240 });
    expect(allEmpty).toContain('No incidents to show');
    expect(allEmpty).toContain('>240 s</text>');
  });

  it('is the same string for the same input, and different titles give different ids', () => {
    expect(distributionChart(series, { title: 'Travel' })).toBe(distributionChart(series, { title: 'Travel' }));
    const id = (svg: string) => /<title id="([^"]+)"/.exec(svg)![1];
    expect(id(distributionChart(series, { title: 'Travel' }))).not.toBe(id(distributionChart(series, { title: 'Turnout' })));
  });

  it('a legend entry too long for the width takes a second line, and the chart grows to hold it', () => {
    const long = [{ label: 'Routed nearest with volunteers placed by population density', values: [100, 200] }];
    const narrow = distributionChart(long, { title: 'Narrow', thresholdS: 240, width: 480 });
    const wide = distributionChart(long, { title: 'Wide', thresholdS: 240, width: 1200 });
    expect(narrow).toMatch(/<tspan x="100" dy="18" fill="#52606d">n 2 · median/);
    expect(wide).not.toContain('dy="18"');
    const height = (svg: string) => Number(/ height="(\d+)"/.exec(svg)![1]);
    expect(height(narrow)).toBeGreaterThan(height(wide));
  });

  it('a title too long for the width is drawn narrower to fit inside the chart; a short one keeps its own width', () => {
    const long = 'Départ\u00a0: part des interventions dans un délai (objectifs 60\u00a0s SAP, 80\u00a0s incendie)';
    const heading = (svg: string) => /<text x="16" y="24"[^>]*>/.exec(svg)![0];
    expect(heading(distributionChart(series, { title: long }))).toContain('textLength="688" lengthAdjust="spacingAndGlyphs"');
    expect(heading(percentilesByAreaChart([], { title: long, width: 480 }))).toContain('textLength="448"');
    expect(heading(lateMapChart([], { title: long }))).toContain('textLength="688"');
    expect(heading(distributionChart(series, { title: 'Travel' }))).not.toContain('textLength');
  });

  it('keeps its size bounded however many incidents there are', () => {
    const many = Array.from({ length: 200_000 }, (_, i) => (i * 7919) % 1500);
    const svg = distributionChart([{ label: 'year', values: many }], { title: 'A year', thresholdS: 240 });
    expect(svg.length).toBeLessThan(20_000);
  });
});

describe('the percentiles by station area chart', () => {
  it('draws a median bar and a 90th percentile bar per area, the threshold, and the reference beside', () => {
    const svg = percentilesByAreaChart(
      [
        { area: '09', n: 12, medianS: 200, p90S: 400, reference: { n: 12, medianS: 220, p90S: 500 } },
        { area: '01', n: 30, medianS: 150, p90S: 260 },
      ],
      { title: 'Travel by station area', thresholdS: 240, label: 'routed', referenceLabel: 'real' },
    );
    expectStandalone(svg);
    expect(svg.match(/<rect x="160" y="\d+" width="[\d.]+" height="12"/g)).toHaveLength(4);
    expect(svg.match(/<rect x="160" y="\d+" width="[\d.]+" height="5"/g)).toHaveLength(2);
    expect(svg).toMatch(/<line x1="([\d.]+)" x2="\1"[^>]*stroke="#b42318"/);
    expect(svg).toContain('real: median');
    expect(svg).toContain(`${minSec(200)}<tspan fill="#52606d"> · </tspan>${minSec(400)}`);
    expect(svg.indexOf('>09<')).toBeLessThan(svg.indexOf('>01<'));
  });

  it('an area without values says "no data" and draws no bar; escapes area names', () => {
    const svg = percentilesByAreaChart([{ area: HOSTILE, n: 0, medianS: null, p90S: null }], { title: 'Empty area' });
    expectStandalone(svg);
    expect(svg).toContain('no data');
    expect(svg).not.toMatch(/height="12"/);
    expect(svg).not.toContain('<script>');
    expect(percentilesByAreaChart([], { title: 'None' })).toContain('No incidents to show');
  });
});

describe('percentiles by station area', () => {
  it('groups by area, worst 90th percentile first, areas without the interval last, incidents without an area left out', () => {
    const rows = byStationArea(
      [
        rec('a', { stationArea: '1', travelS: 100 }),
        rec('b', { stationArea: '1', travelS: 200 }),
        rec('c', { stationArea: '2', travelS: 500 }),
        rec('d', { stationArea: '3' }),
        rec('e', { stationArea: undefined, travelS: 9000 }),
      ],
      'travelS',
    );
    expect(rows).toEqual([
      { area: '2', n: 1, medianS: 500, p90S: 500 },
      { area: '1', n: 2, medianS: 150, p90S: 190 },
      { area: '3', n: 0, medianS: null, p90S: null },
    ]);
  });
});

describe('the lateness map', () => {
  const records = [
    rec('a', { location: { lat: 37.775, lon: -122.415 }, firstHelpS: 200, travelS: 200 }),
    rec('b', { location: { lat: 37.775, lon: -122.415 }, firstHelpS: 300, travelS: 500 }),
    rec('c', { location: { lat: 37.795, lon: -122.405 }, firstHelpS: 900, travelS: 100 }),
    rec('d', { location: { lat: 37.765, lon: -122.43 } }),
  ];
  const cells = lateGrid(records, 1000, 240);

  it('colours each cell, hatches the cells that miss the travel standard, outlines and ranks the highlighted ones', () => {
    const hot = cells.find((c) => c.travelMissShare === 0.5)!;
    const svg = lateMapChart(cells, { title: 'Where help is late', highlight: [{ row: hot.row, col: hot.col }] });
    expectStandalone(svg);
    expect(svg.match(/<g><title>Cell /g)).toHaveLength(cells.length);
    expect(svg.match(/fill="url\(#[^)]+-hatch\)" stroke=/g)).toHaveLength(1);
    expect(svg).toMatch(/stroke="#0b4ea2" stroke-width="3"\/><circle[^>]*\/><text[^>]*>1<\/text>/);
    expect(svg).toContain('no first help recorded');
    expect(svg).toContain('>15:00<');
  });

  it('draws the streets that fall on the map, clipped to it, and leaves out the ones far away', () => {
    const near: [number, number][] = [[-122.42, 37.77], [-122.41, 37.78]];
    const far: [number, number][] = [[-121.0, 38.5], [-121.1, 38.6]];
    const svg = lateMapChart(cells, { title: 'Streets', streets: [near, far] });
    const streets = /<path d="([^"]+)" fill="none" stroke="#a9b2bd"[^>]*clip-path="url\(#[^)]+-clip\)"/.exec(svg);
    expect(streets).not.toBeNull();
    expect(streets![1]!.match(/M/g)).toHaveLength(1);
  });

  it('leaves a lone outlying cell (the airport) off the map and says so, so the city keeps its size', () => {
    const airport = rec('sfo', { location: { lat: 37.615, lon: -122.39 }, firstHelpS: 600 });
    const withAirport = lateGrid([...records, airport], 1000, 240);
    const svg = lateMapChart(withAirport, { title: 'With the airport' });
    expect(svg.match(/<g><title>Cell /g)).toHaveLength(cells.length);
    expect(svg).toContain('Off the map: 1 outlying cell, 1 incident');
    expect(svg).toContain('1 outlying cells (such as the airport) are left off the map');
    // The city is drawn as large as without the airport.
    const cellWidth = (s: string) => /<g><title>Cell [^<]*<\/title><rect x="[\d.]+" y="[\d.]+" width="([\d.]+)"/.exec(s)![1];
    expect(cellWidth(svg)).toBe(cellWidth(lateMapChart(cells, { title: 'Without' })));
  });

  it('speaks French when given the French words: legend, descriptions and numbers', () => {
    const svg = lateMapChart(cells, { title: 'Où les secours tardent', text: CHART_TEXT_FR, highlight: [{ row: cells[0]!.row, col: cells[0]!.col }] });
    expect(svg).toContain('Délai médian des premiers secours');
    expect(svg).toContain('Recruter des bénévoles ici');
    expect(svg).toContain('moins de 4\u00a0min');
    expect(svg).not.toMatch(/Median time|Travel standard|no first help/);
    const dist = distributionChart([{ label: 'trajet', values: [100, 200, 300, 400] }], { title: 'Trajet', thresholdS: 240, text: CHART_TEXT_FR });
    expect(dist).toContain('part des interventions');
    expect(dist).toContain('en 240\u00a0s ou moins\u00a0: 50,0\u00a0%');
    expect(dist).not.toMatch(/share of incidents|within|median/);
    const areas = percentilesByAreaChart([{ area: 'Caserne 9', n: 1200, medianS: 100, p90S: null }], { title: 'Secteurs', label: 'en direct', text: CHART_TEXT_FR });
    expect(areas).toContain('en direct\u00a0: médiane');
    expect(areas).toContain('n 1\u202f200');
  });

  it('no cells: a titled chart that says there is nothing to map', () => {
    const svg = lateMapChart([], { title: HOSTILE });
    expectStandalone(svg);
    expect(svg).toContain('No incidents to map');
    expect(svg).not.toContain('<script>');
  });
});

describe('chart formats', () => {
  it('times as m:ss, shares as percentages, an em dash for nothing', () => {
    expect(minSec(240)).toBe('4:00');
    expect(minSec(59.6)).toBe('1:00');
    expect(minSec(null)).toBe('—');
    expect(percent(0.6234)).toBe('62.3 %');
    expect(percent(null)).toBe('—');
  });

  it('time ticks reach past the longest value in whole steps', () => {
    expect(timeTicks(600)).toEqual([0, 60, 120, 180, 240, 300, 360, 420, 480, 540, 600]);
    const t = timeTicks(1300);
    expect(t[t.length - 1]).toBeGreaterThanOrEqual(1300);
  });
});
