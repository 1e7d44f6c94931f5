/**
 * Response-time charts as standalone SVG strings: no script, no external reference, every text
 * escaped, named by a <title> and described by a <desc> for screen readers. Pure, so the simulator's
 * report and the console draw the same figures from the same records.
 */
import { distribution, valuesOf, type IncidentIntervals, type IntervalName } from './intervals.ts';
import { CHART_TEXT_EN, type ChartText } from './chart-text.ts';
import { chartId, escapeXml, INK, minSec, px, seriesStyle, svgOpen, tickLabel, timeTicks, titleText } from './svg-frame.ts';

export { lateMapChart, type LateMapOptions } from './late-map-chart.ts';
export { CHART_TEXT_EN, CHART_TEXT_FR, type ChartText } from './chart-text.ts';

export interface DistributionSeries {
  readonly label: string;
  readonly values: readonly number[];
}

export interface DistributionOptions {
  readonly title: string;
  /** Drawn as a vertical line, and each series' share within it goes in the legend. */
  readonly thresholdS?: number;
  /** Right end of the time axis; by default the slowest series' 98th percentile. */
  readonly maxS?: number;
  /** What the threshold line says (default "240 s"). */
  readonly thresholdLabel?: string;
  /** Id prefix of the title and description (default: derived from the title). */
  readonly id?: string;
  /** Width in SVG units (default 720); text keeps its size, the plot widens. */
  readonly width?: number;
  /** The chart's own words (default English). */
  readonly text?: ChartText;
}

const WIDTH = 720;
/** Average advance of a 12 px system-ui character, generous so that an estimate never overflows. */
const LEGEND_CHAR_PX = 6.6;

/** Cumulative share of incidents by seconds, one line per series, the threshold as a vertical line. */
export function distributionChart(series: readonly DistributionSeries[], o: DistributionOptions): string {
  const id = chartId(o.title, o.id);
  const width = Math.max(480, o.width ?? WIDTH);
  const tx = o.text ?? CHART_TEXT_EN;
  const sorted = series.map((s) => ({ label: s.label, values: [...s.values].filter(Number.isFinite).sort((a, b) => a - b) }));
  const slowest = Math.max(0, ...sorted.map((s) => (s.values.length ? s.values[Math.min(s.values.length - 1, Math.floor(s.values.length * 0.98))]! : 0)));
  const ticks = timeTicks(Math.max(o.maxS ?? slowest, (o.thresholdS ?? 0) * 1.1, 60));
  const maxS = ticks[ticks.length - 1]!;
  const step = ticks[1]! - ticks[0]!;
  const stats = sorted.map((s) => {
    const d = distribution(s.values);
    const within = o.thresholdS === undefined || s.values.length === 0 ? null : upperBound(s.values, o.thresholdS) / s.values.length;
    return { ...d, within };
  });
  // A legend entry too long for one line (a narrow chart, a long label, French) takes two.
  const figuresOf = (i: number) => {
    const st = stats[i]!;
    return st.n === 0 ? tx.noData : tx.seriesFigures(st.n, st.medianS, st.p90S, st.within, o.thresholdS);
  };
  const twoLines = sorted.map((s, i) => (s.label.length + figuresOf(i).length + 3) * LEGEND_CHAR_PX > width - 24 - 64 - 36);
  const legendRows = Math.max(1, sorted.length + twoLines.filter(Boolean).length);
  const left = 64, right = width - 24, top = 44, bottom = 300;
  const height = bottom + 52 + legendRows * 20 + 8;
  const x = (s: number) => left + (Math.min(Math.max(s, 0), maxS) / maxS) * (right - left);
  const y = (share: number) => bottom - share * (bottom - top);

  const desc = tx.distributionDesc(sorted.map((se, i) => ({ label: se.label, ...stats[i]! })), o.thresholdS);
  const parts: string[] = [svgOpen(id, width, height, o.title, desc)];
  parts.push(titleText(o.title, 16, width - 16));
  // Share grid: quarters, and 90 % drawn darker because NFPA 1710 objectives are met on 90 % of incidents.
  for (const share of [0, 0.25, 0.5, 0.75, 0.9, 1]) {
    const emphasis = share === 0.9;
    parts.push(`<line x1="${left}" x2="${right}" y1="${px(y(share))}" y2="${px(y(share))}" stroke="${emphasis ? INK.axis : INK.grid}" stroke-width="1"${emphasis ? ' stroke-dasharray="3 3"' : ''}/>`);
    parts.push(`<text x="${left - 8}" y="${px(y(share) + 4)}" text-anchor="end" fill="${INK.muted}">${Math.round(share * 100)} %</text>`);
  }
  for (const t of ticks) {
    parts.push(`<line x1="${px(x(t))}" x2="${px(x(t))}" y1="${bottom}" y2="${bottom + 5}" stroke="${INK.axis}"/>`);
    parts.push(`<text x="${px(x(t))}" y="${bottom + 19}" text-anchor="middle" fill="${INK.muted}">${tickLabel(t, step)}</text>`);
  }
  parts.push(`<path d="M${left} ${top}V${bottom}H${right}" fill="none" stroke="${INK.axis}"/>`);
  parts.push(`<text x="${(left + right) / 2}" y="${bottom + 38}" text-anchor="middle" fill="${INK.muted}">${escapeXml(step % 60 === 0 ? tx.minutes : tx.minutesSeconds)}</text>`);
  parts.push(`<text transform="translate(16 ${(top + bottom) / 2}) rotate(-90)" text-anchor="middle" fill="${INK.muted}">${escapeXml(tx.shareOfIncidents)}</text>`);

  if (o.thresholdS !== undefined) {
    const tx = px(x(o.thresholdS));
    parts.push(`<line x1="${tx}" x2="${tx}" y1="${top - 6}" y2="${bottom}" stroke="${INK.threshold}" stroke-width="1.5" stroke-dasharray="6 3"/>`);
    parts.push(`<text x="${px(x(o.thresholdS) + 4)}" y="${top - 2}" fill="${INK.threshold}" font-weight="600">${escapeXml(o.thresholdLabel ?? `${o.thresholdS} s`)}</text>`);
  }

  const samples = Math.round(right - left);
  sorted.forEach((s, i) => {
    if (s.values.length === 0) return;
    const { colour, dash } = seriesStyle(i);
    // One point per pixel column: the path stays small however many incidents there are.
    let d = `M${left} ${px(y(upperBound(s.values, 0) / s.values.length))}`;
    for (let k = 1; k <= samples; k++) {
      const share = upperBound(s.values, (k / samples) * maxS) / s.values.length;
      d += `L${px(left + k)} ${px(y(share))}`;
    }
    parts.push(`<path d="${d}" fill="none" stroke="${colour}" stroke-width="2.25" stroke-linejoin="round"${dash ? ` stroke-dasharray="${dash}"` : ''}><title>${escapeXml(s.label)}</title></path>`);
  });
  if (sorted.every((s) => s.values.length === 0)) {
    parts.push(`<text x="${(left + right) / 2}" y="${(top + bottom) / 2}" text-anchor="middle" fill="${INK.muted}" font-size="14">${escapeXml(tx.noIncidents)}</text>`);
  }

  // Legend: the figures a chief reads, beside the line they belong to.
  let ly = bottom + 62;
  sorted.forEach((s, i) => {
    const { colour, dash } = seriesStyle(i);
    parts.push(`<line x1="${left}" x2="${left + 28}" y1="${ly - 4}" y2="${ly - 4}" stroke="${colour}" stroke-width="2.5"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`);
    const figures = escapeXml(figuresOf(i));
    const label = `<tspan font-weight="600">${escapeXml(s.label)}</tspan>`;
    if (twoLines[i]) {
      parts.push(`<text x="${left + 36}" y="${ly}">${label}<tspan x="${left + 36}" dy="18" fill="${INK.muted}">${figures}</tspan></text>`);
      ly += 38;
    } else {
      parts.push(`<text x="${left + 36}" y="${ly}">${label}<tspan fill="${INK.muted}"> — ${figures}</tspan></text>`);
      ly += 20;
    }
  });
  if (sorted.length === 0) parts.push(`<text x="${left}" y="${ly}" fill="${INK.muted}">${escapeXml(tx.noSeries)}</text>`);
  parts.push('</svg>');
  return parts.join('');
}

export interface AreaRow {
  readonly area: string;
  readonly n: number;
  readonly medianS: number | null;
  readonly p90S: number | null;
  /** The same area in another source (the real incidents beside a simulation), drawn as a thin grey bar. */
  readonly reference?: { readonly n: number; readonly medianS: number | null; readonly p90S: number | null };
}

export interface AreaChartOptions {
  readonly title: string;
  readonly thresholdS?: number;
  readonly thresholdLabel?: string;
  /** Names the bars in the legend (default "median" / "90th percentile"). */
  readonly label?: string;
  readonly referenceLabel?: string;
  readonly id?: string;
  readonly width?: number;
  readonly text?: ChartText;
}

const REFERENCE = { colour: '#52606d', light: '#cbd2d9' };
const MAIN_LIGHT = '#a9cce8';

/** Median and 90th percentile per station area as horizontal bars, in the rows' order. */
export function percentilesByAreaChart(rows: readonly AreaRow[], o: AreaChartOptions): string {
  const id = chartId(o.title, o.id);
  const width = Math.max(480, o.width ?? WIDTH);
  const tx = o.text ?? CHART_TEXT_EN;
  const withReference = rows.some((r) => r.reference);
  const main = seriesStyle(0).colour;
  const rowH = withReference ? 30 : 22;
  const labelW = 150, left = labelW + 10, right = width - 120, top = 80;
  const height = top + Math.max(1, rows.length) * rowH + 48;
  const most = Math.max(60, o.thresholdS ?? 0, ...rows.flatMap((r) => [r.p90S ?? 0, r.medianS ?? 0, r.reference?.p90S ?? 0, r.reference?.medianS ?? 0]));
  const ticks = timeTicks(most, 8);
  const maxS = ticks[ticks.length - 1]!;
  const step = ticks[1]! - ticks[0]!;
  const x = (s: number) => left + (Math.min(Math.max(s, 0), maxS) / maxS) * (right - left);
  const bottom = top + Math.max(1, rows.length) * rowH;
  const mainLabel = o.label ?? tx.thisSource;
  const refLabel = o.referenceLabel ?? tx.reference;

  const desc = tx.areasDesc(rows, mainLabel, refLabel, o.thresholdS);
  const parts: string[] = [svgOpen(id, width, height, o.title, desc)];
  parts.push(titleText(o.title, 16, width - 16));

  // Legend on top, so it is seen before a long list of areas.
  let lx = 16;
  const swatch = (fill: string, stroke: string, text: string, h = 10) => {
    parts.push(`<rect x="${lx}" y="${46 - h / 2}" width="18" height="${h}" fill="${fill}" stroke="${stroke}"/>`);
    parts.push(`<text x="${lx + 24}" y="50">${escapeXml(text)}</text>`);
    lx += 24 + text.length * 6.6 + 18;
  };
  swatch(main, main, `${mainLabel}${tx.colon}${tx.median}`);
  swatch(MAIN_LIGHT, main, tx.p90);
  if (withReference) {
    swatch(REFERENCE.colour, REFERENCE.colour, `${refLabel}${tx.colon}${tx.median}`, 5);
    swatch(REFERENCE.light, REFERENCE.colour, tx.p90, 5);
  }

  for (const t of ticks) {
    parts.push(`<line x1="${px(x(t))}" x2="${px(x(t))}" y1="${top - 6}" y2="${bottom}" stroke="${INK.grid}"/>`);
    parts.push(`<text x="${px(x(t))}" y="${bottom + 18}" text-anchor="middle" fill="${INK.muted}">${tickLabel(t, step)}</text>`);
  }
  parts.push(`<text x="${(left + right) / 2}" y="${bottom + 36}" text-anchor="middle" fill="${INK.muted}">${escapeXml(step % 60 === 0 ? tx.minutes : tx.minutesSeconds)}</text>`);
  parts.push(`<text x="${right + 10}" y="${top - 10}" fill="${INK.muted}">${escapeXml(tx.medianDotP90)}</text>`);

  rows.forEach((r, i) => {
    const y0 = top + i * rowH;
    if (i % 2 === 1) parts.push(`<rect x="8" y="${y0}" width="${width - 16}" height="${rowH}" fill="#f5f7fa"/>`);
    const name = r.area.length > 18 ? `${r.area.slice(0, 17)}…` : r.area;
    parts.push(`<text x="${labelW}" y="${y0 + 15}" text-anchor="end"><tspan font-weight="600">${escapeXml(name)}</tspan><tspan fill="${INK.muted}" font-size="11"> n ${tx.count(r.n)}</tspan></text>`);
    const bar = (v: { medianS: number | null; p90S: number | null }, y: number, h: number, dark: string, light: string) => {
      if (v.p90S !== null) parts.push(`<rect x="${left}" y="${y}" width="${px(x(v.p90S) - left)}" height="${h}" fill="${light}" stroke="${dark}" stroke-width="1"/>`);
      if (v.medianS !== null) parts.push(`<rect x="${left}" y="${y}" width="${px(x(v.medianS) - left)}" height="${h}" fill="${dark}"/>`);
    };
    if (r.medianS === null && r.p90S === null) {
      parts.push(`<text x="${left + 6}" y="${y0 + 15}" fill="${INK.muted}">${escapeXml(tx.noData)}</text>`);
    } else bar(r, y0 + 5, 12, main, MAIN_LIGHT);
    if (r.reference) bar(r.reference, y0 + 20, 5, REFERENCE.colour, REFERENCE.light);
    parts.push(`<text x="${right + 10}" y="${y0 + 15}">${minSec(r.medianS)}<tspan fill="${INK.muted}"> · </tspan>${minSec(r.p90S)}</text>`);
    if (r.reference) parts.push(`<text x="${right + 10}" y="${y0 + 27}" font-size="10" fill="${INK.muted}">${minSec(r.reference.medianS)} · ${minSec(r.reference.p90S)}</text>`);
  });
  if (rows.length === 0) parts.push(`<text x="${left + 6}" y="${top + 15}" fill="${INK.muted}">${escapeXml(tx.noIncidents)}</text>`);
  parts.push(`<path d="M${left} ${top - 6}V${bottom}" fill="none" stroke="${INK.axis}"/>`);

  if (o.thresholdS !== undefined) {
    const tx = px(x(o.thresholdS));
    parts.push(`<line x1="${tx}" x2="${tx}" y1="${top - 14}" y2="${bottom}" stroke="${INK.threshold}" stroke-width="1.5" stroke-dasharray="6 3"/>`);
    parts.push(`<text x="${px(x(o.thresholdS) + 4)}" y="${top - 4}" fill="${INK.threshold}" font-weight="600">${escapeXml(o.thresholdLabel ?? `${o.thresholdS} s`)}</text>`);
  }
  parts.push('</svg>');
  return parts.join('');
}

/**
 * Median and 90th percentile of one interval per station area, worst first (highest 90th
 * percentile, then median; areas without the interval last); incidents with no area are left out.
 */
export function byStationArea(records: readonly IncidentIntervals[], name: IntervalName): { area: string; n: number; medianS: number | null; p90S: number | null }[] {
  const byArea = new Map<string, IncidentIntervals[]>();
  for (const r of records) {
    if (r.stationArea === undefined || r.stationArea === '') continue;
    const list = byArea.get(r.stationArea);
    if (list) list.push(r);
    else byArea.set(r.stationArea, [r]);
  }
  const rows = [...byArea].map(([area, list]) => ({ area, ...distribution(valuesOf(list, name)) }));
  const worst = (a: number | null, b: number | null) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : b - a);
  return rows.sort((a, b) => worst(a.p90S, b.p90S) || worst(a.medianS, b.medianS) || a.area.localeCompare(b.area, 'en', { numeric: true }));
}

/** How many of the ascending values are at most v. */
function upperBound(sorted: readonly number[], v: number): number {
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
