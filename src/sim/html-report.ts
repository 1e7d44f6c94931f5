/**
 * A replay's report as one HTML file: inline style and inline SVG only, no script and no external
 * reference, so it opens from disk, prints, and can be mailed as is. A view of the SimResult, with
 * no time of generation in it: the same result gives the same bytes.
 */
import { byStationArea, distributionChart, lateMapChart, percentilesByAreaChart, type AreaRow } from '../reports/charts.ts';
import { valuesOf, type IncidentIntervals } from '../reports/intervals.ts';
import { count, escapeXml as esc, minSec, percent } from '../reports/svg-frame.ts';
import { REPORT_CSS } from './html-report-style.ts';
import { fidelityRows, firstHelpReferenceS, POLICY_LABELS, sourceFigures, utilisationSummary, type SourceFigures } from './report-figures.ts';
import type { PolicyResult, SimResult } from './sim-result.ts';

export interface HtmlReportOptions {
  /** Street lines as [lon, lat] points, the map's background (src/sim/report-streets.ts). */
  readonly streets?: readonly (readonly (readonly [number, number])[])[];
  readonly streetsAttribution?: string;
}

const TIME_ZONE = 'America/Los_Angeles';
/** Charts fill the text column (1024 px): drawn at 900, their 12 px text reads at about 13.5 on screen and 7 pt on A4. */
const CHART_W = 900;
const MIN_CELL_INCIDENTS = 3;
const LOCAL = new Intl.DateTimeFormat('en-US', { timeZone: TIME_ZONE, year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** A time in the span, in San Francisco's local time. */
const localTime = (ms: number) => (Number.isFinite(ms) ? LOCAL.format(new Date(ms)) : '—');
const mins = (s: number | null | undefined) => `${minSec(s)}`;
const area = (a: string) => (/^\d+$/.test(a) ? `Station ${Number(a)}` : a);

interface Row {
  readonly head: string;
  readonly cells: readonly string[];
  readonly real?: boolean;
}

/** A table with a caption, column headers and a header cell per row; cells are HTML already escaped. */
function table(caption: string, heads: readonly string[], rows: readonly Row[]): string {
  const thead = `<thead><tr>${heads.map((h) => `<th scope="col">${h}</th>`).join('')}</tr></thead>`;
  const body = rows.map((r) => `<tr${r.real ? ' class="real"' : ''}><th scope="row">${r.head}</th>${r.cells.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('');
  return `<div class="table-wrap"><table><caption>${caption}</caption>${thead}<tbody>${body}</tbody></table></div>`;
}

const th = (label: string, unit?: string) => `${esc(label)}${unit ? ` <span class="unit">(${esc(unit)})</span>` : ''}`;
const policyHead = (p: PolicyResult) => `${esc(POLICY_LABELS[p.name] ?? p.name)}<span class="code">${esc(p.name)}</span>`;
const REAL_HEAD = `Real, as recorded<span class="code">from the data</span>`;

export function simHtmlReport(result: SimResult, options: HtmlReportOptions = {}): string {
  const t = result.thresholds;
  const policies = result.policies.map((p) => ({ p, f: sourceFigures(p.incidents, t) }));
  const real = sourceFigures(result.real, t);
  const byName = (n: string) => policies.find((x) => x.p.name === n);
  const routed = byName('routed');
  const volunteers = byName('routed_volunteers');
  const incidents = Math.max(result.real.length, ...result.policies.map((p) => p.incidents.length));
  const title = `Simulation report: ${result.scenarioName}`;

  const sections: [id: string, heading: string, html: string][] = [
    ['summary', 'At a glance', summary(real, routed?.f, volunteers?.f, t.travelS)],
    ['fidelity', 'Fidelity: simulated against real', fidelity(result, routed?.p)],
    ['policies', 'Dispatch policies compared', comparison(policies, real, result)],
    ['distributions', 'Distributions', distributions(result)],
    ['areas', 'Percentiles by station area', areas(result, routed?.p)],
    ['map', 'Where help is late', lateness(result, volunteers?.p ?? result.policies[result.policies.length - 1], options)],
    ['method', 'How to read this report', method(result)],
  ];

  const facts: [string, string][] = [
    ['Calls file', esc(result.callsFile)],
    ['Scenario', esc(result.scenarioName)],
    ['Seed', esc(String(result.seed))],
    ['Span (San Francisco time)', `${esc(localTime(result.span.from))} – ${esc(localTime(result.span.to))}`],
    ['Incidents', count(incidents)],
    ['Policies', esc(result.policies.map((p) => p.name).join(', ') || 'none')],
    ['Thresholds', `alarm processing ${t.callToDispatchS} s · turnout ${t.turnoutEmsS} s EMS / ${t.turnoutFireS} s fire · travel ${t.travelS} s`],
  ];

  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(title)}</title>`,
    `<style>${REPORT_CSS}</style></head><body>`,
    '<a class="skip" href="#main">Skip to the report</a>',
    '<header class="masthead"><div class="wrap">',
    '<p class="kicker">Samaritan · simulation and response-time report</p>',
    `<h1>${esc(title)}</h1>`,
    `<dl class="facts">${facts.map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${v}</dd></div>`).join('')}</dl>`,
    '</div></header>',
    `<nav class="toc" aria-label="Sections"><div class="wrap"><ol>${sections.map(([id, h]) => `<li><a href="#${id}">${esc(h)}</a></li>`).join('')}</ol></div></nav>`,
    '<main id="main"><div class="wrap">',
    ...sections.map(([id, h, html]) => `<section id="${id}" aria-labelledby="${id}-h"><h2 id="${id}-h">${esc(h)}</h2>${html}</section>`),
    '</div></main>',
    '<footer><div class="wrap">',
    `<p>Replayed from ${esc(result.callsFile)} with seed ${esc(String(result.seed))}: the same calls, scenario and seed give the same figures.`,
    `${options.streets && options.streetsAttribution ? ` Streets: ${esc(options.streetsAttribution)}.` : ''}</p>`,
    '</div></footer>',
    '</body></html>',
    '',
  ].join('\n');
}

function tile(label: string, value: string, note: string): string {
  return `<li class="tile"><div class="label">${esc(label)}</div><div class="value">${esc(value)}</div><div class="note">${esc(note)}</div></li>`;
}

function summary(real: SourceFigures, routed: SourceFigures | undefined, volunteers: SourceFigures | undefined, travelS: number): string {
  const tiles: string[] = [];
  if (volunteers) {
    tiles.push(tile('First help, 90th percentile, volunteer calls', `${mins(volunteers.firstHelp.p90S)} min`, `with volunteers; routed nearest alone: ${routed ? mins(routed.firstHelp.p90S) : '—'}; real: ${mins(real.firstHelp.p90S)}`));
    tiles.push(tile('A volunteer arrived first', percent(volunteers.volunteerFirstShare), `of ${count(volunteers.volunteerCalls)} volunteer calls`));
  }
  if (routed) {
    tiles.push(tile(`First-unit travel within ${travelS} s`, percent(routed.nfpa.travel), `routed nearest; real: ${percent(real.nfpa.travel)}; NFPA 1710 objective: 90 %`));
    tiles.push(tile('First-unit travel, median', `${mins(routed.travel.medianS)} min`, `simulated (routed nearest); real: ${mins(real.travel.medianS)}`));
  }
  if (tiles.length === 0) tiles.push(tile('Incidents with figures', count(real.travel.n), 'real first-unit travel recorded'));
  return `<p class="lead">Times are minutes:seconds. Percentiles, not averages: the 90th percentile is the time within which nine incidents in ten were reached.</p><ul class="tiles">${tiles.join('')}</ul>`;
}

function fidelity(result: SimResult, routed: PolicyResult | undefined): string {
  if (!routed) return '<p class="lead">The routed nearest policy was not replayed, so there is no simulated side to hold against the real one.</p>';
  const rows = fidelityRows(routed.incidents, result.real).map((r) => ({
    head: esc(r.label),
    cells: [mins(r.simulated.medianS), mins(r.real.medianS), mins(r.simulated.p90S), mins(r.real.p90S), mins(r.meanAbsError.meanAbsErrorS), count(r.meanAbsError.n)],
  }));
  const chart = distributionChart(
    [
      { label: 'Simulated (routed nearest)', values: valuesOf(routed.incidents, 'travelS') },
      { label: 'Real, as recorded', values: valuesOf(result.real, 'travelS') },
    ],
    { title: 'First-unit travel: simulated against real', thresholdS: result.thresholds.travelS, id: 'fidelity-travel', width: CHART_W },
  );
  return (
    '<p class="lead">The routed nearest policy replays the real calls with the real fleet, turnout drawn from the data, units busy as long as they really were and starting from their last scene. Where its times match the recorded ones, the other policies can be trusted to show what a change would do.</p>' +
    table(
      'Simulated (routed nearest) against real, per interval',
      ['Interval', th('Simulated median', 'm:ss'), th('Real median', 'm:ss'), th('Simulated 90th pct', 'm:ss'), th('Real 90th pct', 'm:ss'), th('Mean abs. error per incident', 'm:ss'), th('Incidents compared')],
      rows,
    ) +
    `<figure>${chart}<figcaption>Share of incidents whose first unit on scene had travelled within a given time. The closer the two lines, the closer the simulation is to what happened; the red line is the ${result.thresholds.travelS} s travel objective.</figcaption></figure>`
  );
}

function comparison(policies: readonly { p: PolicyResult; f: SourceFigures }[], real: SourceFigures, result: SimResult): string {
  const t = result.thresholds;
  const help = [
    ...policies.map(({ p, f }) => ({ head: policyHead(p), cells: [mins(f.firstHelp.medianS), mins(f.firstHelp.p90S), percent(f.volunteerFirstShare), mins(f.firstUnit.medianS), mins(f.firstUnit.p90S)] })),
    { head: REAL_HEAD, real: true, cells: [mins(real.firstHelp.medianS), mins(real.firstHelp.p90S), '—', mins(real.firstUnit.medianS), mins(real.firstUnit.p90S)] },
  ];
  const nfpa = [
    ...policies.map(({ p, f }) => ({ head: policyHead(p), cells: [percent(f.nfpa.callToDispatch), percent(f.nfpa.turnout), percent(f.nfpa.travel), count(f.nfpa.n.travel)] })),
    { head: REAL_HEAD, real: true, cells: [percent(real.nfpa.callToDispatch), percent(real.nfpa.turnout), percent(real.nfpa.travel), count(real.nfpa.n.travel)] },
  ];
  const fleet = policies.map(({ p }) => {
    const u = utilisationSummary(p);
    return { head: policyHead(p), cells: [count(p.volunteers.alerted), count(p.volunteers.accepted), count(p.volunteers.arrived), percent(u.median), `${percent(u.max)}${u.busiest ? ` <span class="unit">(${esc(u.busiest)})</span>` : ''}`] };
  });
  return (
    `<p class="lead">Each policy replays the same ${count(Math.max(result.real.length, ...result.policies.map((p) => p.incidents.length)))} incidents. First help is the first volunteer or unit on scene, counted from the call, over the ${count(real.volunteerCalls)} calls volunteers are alerted for.</p>` +
    table('Time to help', ['Policy', th('First help median', 'm:ss'), th('First help 90th pct', 'm:ss'), th('Volunteer first'), th('First unit median', 'm:ss'), th('First unit 90th pct', 'm:ss')], help) +
    table(
      'NFPA 1710: share of incidents within each objective (met when 90 % or more)',
      ['Policy', th(`Alarm processing ≤ ${t.callToDispatchS} s`), th(`Turnout ≤ ${t.turnoutEmsS} s EMS / ${t.turnoutFireS} s fire`), th(`Travel ≤ ${t.travelS} s`), th('Incidents with travel')],
      nfpa,
    ) +
    table('Volunteers and the fleet', ['Policy', th('Volunteers alerted'), th('Accepted'), th('Arrived'), th('Unit utilisation, median unit'), th('Busiest unit')], fleet)
  );
}

function distributions(result: SimResult): string {
  const t = result.thresholds;
  const reference = firstHelpReferenceS(t);
  const helpSeries = [
    ...result.policies.map((p) => ({ label: POLICY_LABELS[p.name] ?? p.name, values: valuesOf(p.incidents.filter((r) => r.volunteerCall), 'firstHelpS') })),
    { label: 'Real, as recorded', values: valuesOf(result.real.filter((r) => r.volunteerCall), 'firstHelpS') },
  ];
  const travelSeries = [
    ...result.policies.map((p) => ({ label: POLICY_LABELS[p.name] ?? p.name, values: valuesOf(p.incidents, 'travelS') })),
    { label: 'Real, as recorded', values: valuesOf(result.real, 'travelS') },
  ];
  const help = distributionChart(helpSeries, { title: 'Time to first help, volunteer calls', thresholdS: reference, thresholdLabel: `${reference} s (NFPA 1710 total, EMS)`, id: 'dist-first-help', width: CHART_W });
  const travel = distributionChart(travelSeries, { title: 'First-unit travel, all incidents', thresholdS: t.travelS, id: 'dist-travel', width: CHART_W });
  return (
    '<p class="lead">Each line climbs from the share of incidents helped at once to all of them: a line further left and higher is faster help. Where a line crosses the red line is the share within the objective.</p>' +
    `<figure>${help}<figcaption>From the call to the first volunteer or unit on scene. The red line is ${reference} s: alarm processing ${t.callToDispatchS} s, EMS turnout ${t.turnoutEmsS} s and travel ${t.travelS} s, each at its NFPA 1710 objective.</figcaption></figure>` +
    `<figure>${travel}<figcaption>From the first unit on scene leaving to its arrival. The red line is the ${t.travelS} s travel objective.</figcaption></figure>`
  );
}

function areas(result: SimResult, routed: PolicyResult | undefined): string {
  const source: readonly IncidentIntervals[] = routed?.incidents ?? [];
  const realRows = new Map(byStationArea(result.real, 'travelS').map((r) => [r.area, r]));
  const mainRows = routed ? byStationArea(source, 'travelS') : [...realRows.values()];
  const rows: AreaRow[] = mainRows.map((r) => {
    const ref = routed ? realRows.get(r.area) : undefined;
    return { ...r, area: area(r.area), ...(ref ? { reference: { n: ref.n, medianS: ref.medianS, p90S: ref.p90S } } : {}) };
  });
  const label = routed ? 'Simulated (routed nearest)' : 'Real';
  const chart = percentilesByAreaChart(rows, { title: 'First-unit travel by station area, worst first', thresholdS: result.thresholds.travelS, label, referenceLabel: 'Real', id: 'areas-travel', width: CHART_W });
  const data = rows.map((r) => ({ head: esc(r.area), cells: [count(r.n), mins(r.medianS), mins(r.p90S), mins(r.reference?.medianS), mins(r.reference?.p90S)] }));
  return (
    `<p class="lead">The first-due area of each incident, sorted by the 90th percentile of first-unit travel${routed ? ' under routed nearest, with the real figures beneath in grey' : ''}. Areas past the red line miss the ${result.thresholds.travelS} s objective on more than one incident in ten.</p>` +
    `<figure>${chart}<figcaption>Dark bar: median; light bar: 90th percentile; the figures at the right are median · 90th percentile in minutes:seconds.</figcaption></figure>` +
    `<details><summary>The same figures as a table</summary>${table('First-unit travel by station area', ['Station area', th('Incidents with travel'), th(`${label} median`, 'm:ss'), th(`${label} 90th pct`, 'm:ss'), th('Real median', 'm:ss'), th('Real 90th pct', 'm:ss')], data)}</details>`
  );
}

function lateness(result: SimResult, policy: PolicyResult | undefined, options: HtmlReportOptions): string {
  if (!policy) return '<p class="lead">No policy was replayed.</p>';
  const name = POLICY_LABELS[policy.name] ?? policy.name;
  const chart = lateMapChart(policy.grid, {
    title: `Median time to first help by cell: ${name}`,
    ...(options.streets ? { streets: options.streets } : {}),
    highlight: result.recruitment.map((r) => ({ row: r.row, col: r.col })),
    travelThresholdS: result.thresholds.travelS,
    id: 'late-map',
    width: CHART_W,
  });
  const recruitment = result.recruitment.map((r, i) => ({
    head: String(i + 1),
    cells: [`${r.row}, ${r.col}`, `${r.centre.lat.toFixed(4)}, ${r.centre.lon.toFixed(4)}`, count(r.volunteersAdded), r.minutesSaved.toFixed(1), mins(r.firstHelpMedianBeforeS), mins(r.firstHelpMedianAfterS)],
  }));
  // A cell's median over one or two incidents says little: prefer cells with a few, when there are enough of them.
  const enough = policy.grid.filter((c) => c.incidents >= MIN_CELL_INCIDENTS && c.firstHelpMedianS !== null).length >= 5;
  const latest = [...policy.grid]
    .filter((c) => c.firstHelpMedianS !== null && (!enough || c.incidents >= MIN_CELL_INCIDENTS))
    .sort((a, b) => b.firstHelpMedianS! - a.firstHelpMedianS! || b.incidents - a.incidents || a.row - b.row || a.col - b.col)
    .slice(0, 10)
    .map((c) => ({ head: `${c.row}, ${c.col}`, cells: [`${c.centre.lat.toFixed(4)}, ${c.centre.lon.toFixed(4)}`, count(c.incidents), mins(c.firstHelpMedianS), percent(c.travelMissShare)] }));
  const size = policy.grid[0]?.sizeM;
  return (
    `<p class="lead">The city in cells${size ? ` of ${count(size)} m` : ''}, under ${esc(name)}: the colour is the median time from the call to the first volunteer or unit on scene; hatched cells miss the travel standard; outlined, numbered cells are where recruiting volunteers would save the most minutes, measured by replaying again with more volunteers there.</p>` +
    `<figure>${chart}<figcaption>Cells are numbered by row (south to north) and column (west to east) from a fixed origin, the same in every replay and in the console.</figcaption></figure>` +
    '<h3>Where recruiting volunteers saves the most</h3>' +
    (recruitment.length
      ? table(
          'Recruitment cells, by minutes saved',
          ['Rank', th('Cell', 'row, column'), th('Centre', 'lat, lon'), th('Volunteers added'), th('Minutes saved', 'total over volunteer calls'), th('First help median before', 'm:ss'), th('After', 'm:ss')],
          recruitment,
        )
      : '<p>No recruitment cells were measured in this replay.</p>') +
    '<h3>Where help is latest</h3>' +
    (latest.length
      ? table(`The cells with the longest median time to first help${enough ? `, among those with ${MIN_CELL_INCIDENTS} incidents or more` : ''}`, ['Cell', th('Centre', 'lat, lon'), th('Incidents'), th('First help median', 'm:ss'), th(`Travel over ${result.thresholds.travelS} s`)], latest)
      : '<p>No cell has a time to first help.</p>')
  );
}

function method(result: SimResult): string {
  const t = result.thresholds;
  const defs: [string, string][] = [
    ['Alarm processing', `From the call received to the first unit dispatched; objective ${t.callToDispatchS} s.`],
    ['Turnout', `The first unit on scene, from dispatched to en route; objective ${t.turnoutEmsS} s for medical calls, ${t.turnoutFireS} s for fire.`],
    ['Travel', `The first unit on scene, from en route to on scene; objective ${t.travelS} s.`],
    ['First unit', 'From the call received to the first unit on scene.'],
    ['First help', 'From the call received to the first volunteer or unit on scene, over the calls volunteers are alerted for.'],
    ['Volunteer first', 'Share of the volunteer calls where a volunteer arrived before the first unit.'],
    ['Mean abs. error', 'Per incident, the difference between its simulated and recorded time, averaged over the incidents that have both.'],
    ['Utilisation', 'Share of the replayed span a unit spent committed to incidents.'],
    ['NFPA 1710', 'Each objective is met when 90 % or more of incidents are within it.'],
  ];
  return `<dl class="defs">${defs.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>`;
}
