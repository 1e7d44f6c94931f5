import { describe, expect, it } from 'vitest';
import { sampleSimResult } from '../../test/support/sim-result-fixture.ts';
import { simHtmlReport } from './html-report.ts';
import { sourceFigures, utilisationSummary } from './report-figures.ts';
import type { SimResult } from './sim-result.ts';

const HOSTILE = '</title><script>alert("x")</script><img src=x onerror=alert(1)> & \'more\'';

describe('the simulation report', () => {
  const result = sampleSimResult();
  const html = simHtmlReport(result, { streets: [[[-122.42, 37.77], [-122.41, 37.78]]], streetsAttribution: 'TIGER/Line 2017' });

  it('has every section, in order, each with its heading', () => {
    const ids = ['summary', 'fidelity', 'policies', 'distributions', 'areas', 'map', 'method'];
    let last = -1;
    for (const id of ids) {
      const at = html.indexOf(`<section id="${id}" aria-labelledby="${id}-h"><h2 id="${id}-h">`);
      expect(at, id).toBeGreaterThan(last);
      last = at;
    }
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<dt>Calls file</dt><dd>sf_fire_calls_2016-12-31_to_2017-01-03.csv</dd>');
    expect(html).toContain('<dt>Seed</dt><dd>1</dd>');
    expect(html).toContain('<dt>Incidents</dt><dd>320</dd>');
    expect(html).toContain('travel 240 s');
  });

  it('gives the span in San Francisco time', () => {
    // 08:00 UTC on 31 December 2016 is midnight in San Francisco.
    expect(html).toContain('Dec 31, 2016, 00:00 –');
  });

  it('draws the five charts, each an svg with a title and a description', () => {
    const svgs = html.match(/<svg [^>]*role="img"[^>]*>\s*<title id="[^"]+">[^<]+<\/title><desc id="[^"]+">[^<]+<\/desc>/g) ?? [];
    expect(svgs).toHaveLength(5);
    for (const id of ['fidelity-travel', 'dist-first-help', 'dist-travel', 'areas-travel', 'late-map']) expect(html).toContain(`id="${id}-title"`);
  });

  it('has a row per policy and one for the real incidents in each comparison table', () => {
    const policies = html.slice(html.indexOf('<section id="policies"'), html.indexOf('<section id="distributions"'));
    for (const name of ['straight_line', 'routed', 'routed_volunteers']) {
      expect(policies.match(new RegExp(`<th scope="row">[^<]*<span class="code">${name}</span></th>`, 'g'))).toHaveLength(3);
    }
    expect(policies.match(/<tr class="real">/g)).toHaveLength(2);
  });

  it('reports the 90th percentile and the share within the objective, never a mean alone', () => {
    const f = sourceFigures(result.policies[2]!.incidents, result.thresholds);
    expect(html).toContain('90th pct');
    expect(html).toContain('Travel ≤ 240 s');
    expect(f.volunteerFirstShare).toBeGreaterThan(0);
    expect(html).toContain(`${(Math.round(f.volunteerFirstShare! * 1000) / 10).toFixed(1)} %`);
    const u = utilisationSummary(result.policies[0]!);
    expect(u.units).toBe(40);
    expect(html).toContain(`(${u.busiest})`);
  });

  it('lists the recruitment cells with their minutes saved, and highlights them on the map', () => {
    const map = html.slice(html.indexOf('<section id="map"'), html.indexOf('<section id="method"'));
    for (const r of result.recruitment) expect(map).toContain(`<td>${r.row}, ${r.col}</td>`);
    expect(map).toContain(`<td>${result.recruitment[0]!.minutesSaved.toFixed(1)}</td>`);
    expect(map.match(/stroke="#0b4ea2" stroke-width="3"\/><circle/g)).toHaveLength(result.recruitment.length);
    expect(map).toContain('stroke="#a9b2bd"');
    expect(html).toContain('Streets: TIGER/Line 2017.');
  });

  it('is self-contained: no script, no external reference, nothing fetched', () => {
    expect(html).not.toMatch(/<script|<link|<img|<iframe|<object|@import|javascript:/i);
    expect(html).not.toMatch(/\b(src|srcset|action|formaction|poster|data)=/i);
    expect(html).not.toMatch(/url\((?!#)/);
    for (const [, href] of html.matchAll(/href="([^"]*)"/g)) expect(href?.startsWith('#')).toBe(true);
  });

  it('escapes a hostile scenario name and calls file everywhere they appear', () => {
    const evil: SimResult = { ...sampleSimResult({ scenarioName: HOSTILE }), callsFile: HOSTILE };
    const out = simHtmlReport(evil);
    expect(out).not.toContain('<script>');
    expect(out).not.toContain('<img');
    expect(out).toContain('&lt;/title&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(/<head>.*?<title>([^<]*)<\/title>/s.exec(out)![1]).toBe(`Simulation report: ${HOSTILE.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')}`);
    // Every title the name went into is closed where it should be: as many openings as closings.
    expect(out.match(/<title[ >]/g)!.length).toBe(out.match(/<\/title>/g)!.length);
  });

  it('is the same bytes for the same result', () => {
    expect(simHtmlReport(sampleSimResult())).toBe(simHtmlReport(sampleSimResult()));
  });

  it('still reads with no incidents kept and no volunteer policy', () => {
    const bare: SimResult = { ...result, real: [], policies: result.policies.slice(0, 2).map((p) => ({ ...p, incidents: [], grid: [] })), recruitment: [] };
    const out = simHtmlReport(bare);
    expect(out).toContain('No incidents to map');
    expect(out).toContain('No recruitment cells were measured');
    expect(out).toContain('<dt>Incidents</dt><dd>0</dd>');
    expect(out).not.toContain('NaN');
    expect(out).not.toContain('undefined');
  });
});
