/**
 * What every chart shares: escaping, the outer <svg> with its accessible name, number formats and
 * axis ticks. Charts use presentation attributes only (no style attribute, no <style>), so they
 * show the same in a page with a strict style-src and in a file opened from disk.
 */

/** Text and attribute values: the five XML specials. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

/** Ink colours chosen for at least 4.5:1 against white. */
export const INK = { text: '#1f2933', muted: '#52606d', axis: '#7b8794', grid: '#e4e7eb', threshold: '#b42318' } as const;

/**
 * One colour and dash per series, told apart without colour too (print, colour blindness):
 * Okabe–Ito hues darkened to 3:1 or more against white.
 */
export const SERIES_STYLES: readonly { readonly colour: string; readonly dash: string }[] = [
  { colour: '#0a6bb3', dash: '' },
  { colour: '#b35900', dash: '7 4' },
  { colour: '#007a5a', dash: '2 3' },
  { colour: '#9c3d7a', dash: '9 3 2 3' },
  { colour: '#1f2933', dash: '4 4' },
];

export function seriesStyle(i: number): { colour: string; dash: string } {
  return SERIES_STYLES[i % SERIES_STYLES.length]!;
}

/** A stable id for the chart's title and description, so several charts can share a page. */
export function chartId(title: string, given?: string): string {
  if (given) return given.replace(/[^A-Za-z0-9_-]/g, '-');
  let h = 2166136261;
  for (let i = 0; i < title.length; i++) h = Math.imul(h ^ title.charCodeAt(i), 16777619) >>> 0;
  const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 32);
  return `chart-${slug || 'untitled'}-${h.toString(36)}`;
}

/** The outer element: a standalone SVG (xmlns, viewBox) named by its <title> and described by its <desc>. */
export function svgOpen(id: string, width: number, height: number, title: string, desc: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" ` +
    `role="img" aria-labelledby="${id}-title ${id}-desc" font-family="${escapeXml(FONT)}" font-size="12" fill="${INK.text}">` +
    `<title id="${id}-title">${escapeXml(title)}</title><desc id="${id}-desc">${escapeXml(desc)}</desc>` +
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`
  );
}

/** Average advance of a 15 px semibold system-ui character, generous so that a title estimated to fit does fit. */
const TITLE_CHAR_PX = 8.6;

/**
 * A chart's heading, from x to at most `right`: a title estimated longer than that (a long scenario
 * name, French) is drawn narrower to fit instead of running off the chart's edge.
 */
export function titleText(title: string, x: number, right: number): string {
  const room = right - x;
  const fit = title.length * TITLE_CHAR_PX > room ? ` textLength="${px(room)}" lengthAdjust="spacingAndGlyphs"` : '';
  return `<text x="${x}" y="24" font-size="15" font-weight="600"${fit}>${escapeXml(title)}</text>`;
}

/** Seconds as m:ss ("4:00"); an em dash for nothing. */
export function minSec(s: number | null | undefined): string {
  if (s === null || s === undefined || !Number.isFinite(s)) return '—';
  const whole = Math.round(s);
  const sign = whole < 0 ? '-' : '';
  const a = Math.abs(whole);
  return `${sign}${Math.floor(a / 60)}:${String(a % 60).padStart(2, '0')}`;
}

/** A share (0..1) as a percentage with one decimal ("62.4 %"); an em dash for nothing. */
export function percent(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return '—';
  return `${(Math.round(share * 1000) / 10).toFixed(1)} %`;
}

/** A count with thousands separators, the same on every machine (no locale lookup). */
export function count(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Coordinates in the SVG: one decimal is finer than a pixel. */
export const px = (v: number): string => String(Math.round(v * 10) / 10);

/** Tick steps for a time axis, in seconds: whole minutes once the span passes a few minutes. */
const TIME_STEPS = [15, 30, 60, 120, 180, 300, 600, 900, 1200, 1800, 3600];

/** Ticks from 0 to at least maxS, at most about `most` of them; the last tick is the axis end. */
export function timeTicks(maxS: number, most = 10): number[] {
  const top = Math.max(maxS, 60);
  const step = TIME_STEPS.find((s) => top / s <= most) ?? 3600;
  const ticks: number[] = [];
  for (let t = 0; t < top + step; t += step) {
    ticks.push(t);
    if (t >= top) break;
  }
  return ticks;
}

/** A tick's label: minutes when the step is whole minutes, else m:ss. */
export function tickLabel(s: number, step: number): string {
  return step % 60 === 0 ? String(s / 60) : minSec(s);
}
