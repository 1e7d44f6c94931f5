/**
 * The lateness grid as a map: each cell coloured by its median time to first help, hatched where
 * the travel standard is missed, the streets drawn faintly beneath so the cells sit on the city.
 */
import type { LateCell } from './late-grid.ts';
import { CHART_TEXT_EN, type ChartText } from './chart-text.ts';
import { chartId, escapeXml, INK, minSec, px, svgOpen, titleText } from './svg-frame.ts';

export interface LateMapOptions {
  readonly title: string;
  /** Street lines as [lon, lat] points, drawn light grey under the cells. */
  readonly streets?: readonly (readonly (readonly [number, number])[])[];
  /** Cells to outline, in rank order (the recruitment cells); each gets its rank as a badge. */
  readonly highlight?: readonly { readonly row: number; readonly col: number }[];
  /** The travel threshold the cells' miss shares were measured against, for the legend (default 240). */
  readonly travelThresholdS?: number;
  /** A cell misses the standard when more than this share of its incidents miss the threshold (default 0.1: NFPA wants 90 % within). */
  readonly missShare?: number;
  readonly id?: string;
  /** Width in SVG units (default 720). */
  readonly width?: number;
  /** The chart's own words (default English). */
  readonly text?: ChartText;
}

const M_PER_DEG_LAT = 111_320;
const WIDTH = 720;
const MAX_MAP_H = 760;
const LEGEND_W = 270;

/** Minutes to first help: upper bounds of the colour classes, and their fill and the ink on them. */
const CLASSES: readonly { readonly upToMin: number; readonly fill: string; readonly ink: string }[] = [
  { upToMin: 4, fill: '#fff2b2', ink: INK.text },
  { upToMin: 6, fill: '#fed470', ink: INK.text },
  { upToMin: 8, fill: '#fd9a44', ink: INK.text },
  { upToMin: 10, fill: '#e8572a', ink: '#ffffff' },
  { upToMin: 12, fill: '#b5202e', ink: '#ffffff' },
  { upToMin: Infinity, fill: '#6b0d20', ink: '#ffffff' },
];
const NO_DATA = { fill: '#e4e7eb', ink: INK.text };
const HIGHLIGHT = '#0b4ea2';

function classOf(s: number | null): { fill: string; ink: string } {
  if (s === null) return NO_DATA;
  return CLASSES.find((c) => s < c.upToMin * 60) ?? CLASSES[CLASSES.length - 1]!;
}

export function lateMapChart(cells: readonly LateCell[], o: LateMapOptions): string {
  const id = chartId(o.title, o.id);
  const missShare = o.missShare ?? 0.1;
  const thresholdS = o.travelThresholdS ?? 240;
  const missed = (c: LateCell) => c.travelMissShare !== null && c.travelMissShare > missShare;
  const { shown, off } = mainland(cells);
  const rank = new Map((o.highlight ?? []).map((h, i) => [`${h.row}:${h.col}`, i + 1]));
  const tx = o.text ?? CHART_TEXT_EN;
  const withHelp = cells.filter((c) => c.firstHelpMedianS !== null).map((c) => c.firstHelpMedianS!);
  const missPercent = Math.round(missShare * 100);
  const desc = tx.map.desc({
    cells: cells.length,
    sizeM: cells[0]?.sizeM ?? 0,
    fastestS: withHelp.length ? Math.min(...withHelp) : null,
    slowestS: withHelp.length ? Math.max(...withHelp) : null,
    missed: cells.filter(missed).length,
    missPercent,
    thresholdS,
    highlighted: rank.size,
    off: off.length,
  });

  const first = cells[0];
  if (!first) {
    return `${svgOpen(id, WIDTH, 120, o.title, desc)}${titleText(o.title, 16, WIDTH - 16)}<text x="16" y="70" fill="${INK.muted}" font-size="14">${escapeXml(tx.map.nothing)}</text></svg>`;
  }

  // The grid's origin and cell size in degrees, recovered from one cell (late-grid lays cells from a fixed origin).
  const dLat = first.sizeM / M_PER_DEG_LAT;
  const originLat = first.centre.lat - (first.row + 0.5) * dLat;
  const dLon = first.sizeM / (M_PER_DEG_LAT * Math.cos((originLat * Math.PI) / 180));
  const originLon = first.centre.lon - (first.col + 0.5) * dLon;
  const minCol = Math.min(...shown.map((c) => c.col)) - 0.5, maxCol = Math.max(...shown.map((c) => c.col)) + 1.5;
  const minRow = Math.min(...shown.map((c) => c.row)) - 0.5, maxRow = Math.max(...shown.map((c) => c.row)) + 1.5;
  const width = Math.max(480, o.width ?? WIDTH);
  const cols = maxCol - minCol, rows = maxRow - minRow;
  const full = Math.min((width - 32) / cols, MAX_MAP_H / rows, 90);
  // The legend goes beside the map when the map leaves room for it, else below.
  const besideCell = Math.min((width - 60 - LEGEND_W) / cols, MAX_MAP_H / rows, 90);
  const beside = besideCell >= 0.8 * full;
  const cellPx = beside ? besideCell : full;
  const mapW = cols * cellPx, mapH = rows * cellPx;
  const left = beside ? 16 : 16 + (width - 32 - mapW) / 2, top = 44;
  // Row grows northward, the screen's y southward.
  const sx = (col: number) => left + (col - minCol) * cellPx;
  const sy = (row: number) => top + (maxRow - row) * cellPx;
  const legendX = beside ? left + mapW + 28 : 16;
  const legendTop = beside ? top : top + mapH + 20;
  const legendH = 44 + (beside ? 7 * 22 : 2 * 22) + 16 + (rank.size ? 2 : 1) * 40 + (off.length ? 24 : 0);
  const height = Math.max(top + mapH + 16, legendTop + legendH);

  const parts: string[] = [svgOpen(id, width, height, o.title, desc)];
  parts.push(titleText(o.title, 16, width - 16));
  parts.push(
    `<defs><clipPath id="${id}-clip"><rect x="${px(left)}" y="${top}" width="${px(mapW)}" height="${px(mapH)}"/></clipPath>` +
      `<pattern id="${id}-hatch" width="7" height="7" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="7" stroke="#1f2933" stroke-width="1.6" stroke-opacity="0.6"/></pattern></defs>`,
  );
  parts.push(`<rect x="${px(left)}" y="${top}" width="${px(mapW)}" height="${px(mapH)}" fill="#fbfcfd" stroke="${INK.grid}"/>`);

  if (o.streets && o.streets.length > 0) {
    let d = '';
    for (const line of o.streets) {
      let inside = false;
      const pts = line.map(([lon, lat]) => {
        const col = (lon - originLon) / dLon, row = (lat - originLat) / dLat;
        if (col >= minCol && col <= maxCol && row >= minRow && row <= maxRow) inside = true;
        return [sx(col), sy(row)] as const;
      });
      if (!inside || pts.length < 2) continue;
      d += pts.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${px(x)} ${px(y)}`).join('');
    }
    if (d) parts.push(`<path d="${d}" fill="none" stroke="#a9b2bd" stroke-width="0.7" stroke-linejoin="round" clip-path="url(#${id}-clip)"/>`);
  }

  const label = cellPx >= 30;
  for (const c of shown) {
    const x = px(sx(c.col)), y = px(sy(c.row + 1)), w = px(cellPx);
    const k = classOf(c.firstHelpMedianS);
    const tip = tx.map.cellTip(c.row, c.col, c.incidents, c.firstHelpMedianS, thresholdS, c.travelMissShare);
    parts.push(`<g><title>${escapeXml(tip)}</title><rect x="${x}" y="${y}" width="${w}" height="${w}" fill="${k.fill}" fill-opacity="0.72" stroke="#ffffff" stroke-width="1"/>`);
    if (missed(c)) parts.push(`<rect x="${x}" y="${y}" width="${w}" height="${w}" fill="url(#${id}-hatch)" stroke="${INK.text}" stroke-width="1.5"/>`);
    if (label && c.firstHelpMedianS !== null) {
      const halo = k.ink === '#ffffff' ? INK.text : '#ffffff';
      parts.push(
        `<text x="${px(sx(c.col) + cellPx / 2)}" y="${px(sy(c.row) - cellPx / 2 + 4)}" text-anchor="middle" font-size="${cellPx >= 44 ? 12 : 10}" font-weight="600" fill="${k.ink}" stroke="${halo}" stroke-width="2.5" stroke-linejoin="round" paint-order="stroke">${minSec(c.firstHelpMedianS)}</text>`,
      );
    }
    parts.push('</g>');
  }
  for (const [key, r] of rank) {
    const [row, col] = key.split(':').map(Number) as [number, number];
    if (row < minRow || row > maxRow || col < minCol || col > maxCol) continue;
    const x = sx(col), y = sy(row + 1);
    parts.push(`<rect x="${px(x + 1.5)}" y="${px(y + 1.5)}" width="${px(cellPx - 3)}" height="${px(cellPx - 3)}" fill="none" stroke="${HIGHLIGHT}" stroke-width="3"/>`);
    parts.push(`<circle cx="${px(x + 9)}" cy="${px(y + 9)}" r="8" fill="${HIGHLIGHT}"/><text x="${px(x + 9)}" y="${px(y + 13)}" text-anchor="middle" font-size="11" font-weight="700" fill="#ffffff">${r}</text>`);
  }

  // Scale bar: one kilometre, bottom left of the map.
  const kmPx = (1000 / first.sizeM) * cellPx;
  const sbY = top + mapH - 12;
  parts.push(`<rect x="${px(left + 8)}" y="${px(sbY - 14)}" width="${px(kmPx + 36)}" height="22" fill="#ffffff" fill-opacity="0.85"/>`);
  parts.push(`<path d="M${px(left + 12)} ${px(sbY - 4)}V${px(sbY)}H${px(left + 12 + kmPx)}V${px(sbY - 4)}" fill="none" stroke="${INK.text}" stroke-width="1.5"/>`);
  parts.push(`<text x="${px(left + 16 + kmPx)}" y="${px(sbY + 1)}" font-size="11">1 km</text>`);
  parts.push(`<text x="${px(left + mapW - 8)}" y="${top + 18}" text-anchor="end" font-size="12" font-weight="700">${escapeXml(tx.map.north)}</text>`);

  // Legend: colour classes, then the two marks, each said in two short lines.
  let ly = legendTop;
  parts.push(`<text x="${px(legendX)}" y="${ly + 10}" font-weight="600">${escapeXml(tx.map.legendTitle)}</text>`);
  parts.push(`<text x="${px(legendX)}" y="${ly + 26}" fill="${INK.muted}">${escapeXml(tx.map.legendSub)}</text>`);
  ly += 40;
  const classes = [...CLASSES.map((c, i) => ({ ...c, label: tx.map.classes[i]! })), { ...NO_DATA, label: tx.map.noHelp }];
  classes.forEach((c, i) => {
    const lx = beside ? legendX : legendX + (i % 4) * 172;
    const yy = beside ? ly + i * 22 : ly + Math.floor(i / 4) * 22;
    parts.push(`<rect x="${px(lx)}" y="${yy}" width="22" height="14" fill="${c.fill}" stroke="${INK.axis}" stroke-width="0.5"/><text x="${px(lx + 30)}" y="${yy + 11}">${escapeXml(c.label)}</text>`);
  });
  ly += (beside ? classes.length : 2) * 22 + 16;
  const mark = (swatch: string, line1: string, line2: string) => {
    parts.push(swatch.replaceAll('{x}', px(legendX)).replaceAll('{y}', String(ly)));
    parts.push(`<text x="${px(legendX + 30)}" y="${ly + 11}"><tspan font-weight="600">${escapeXml(line1)}</tspan><tspan x="${px(legendX + 30)}" dy="16" fill="${INK.muted}">${escapeXml(line2)}</tspan></text>`);
    ly += 40;
  };
  mark(
    `<rect x="{x}" y="{y}" width="22" height="14" fill="#ffffff" stroke="${INK.text}" stroke-width="1.5"/><rect x="{x}" y="{y}" width="22" height="14" fill="url(#${id}-hatch)"/>`,
    tx.map.missedTitle,
    tx.map.missedSub(missPercent, thresholdS),
  );
  if (off.length > 0) {
    const n = off.reduce((sum, c) => sum + c.incidents, 0);
    parts.push(`<text x="${px(legendX)}" y="${ly + 11}" fill="${INK.muted}">${escapeXml(tx.map.offMap(off.length, n))}</text>`);
    ly += 24;
  }
  if (rank.size) mark(`<rect x="{x}" y="{y}" width="22" height="14" fill="none" stroke="${HIGHLIGHT}" stroke-width="3"/>`, tx.map.recruitTitle, tx.map.recruitSub);
  parts.push('</svg>');
  return parts.join('');
}

/** How far (in cells) a cell may be from the others and still be drawn. */
const NEIGHBOUR_CELLS = 3;

/**
 * The cells to draw: those within a few cells of another. A lone outlier (the department also
 * serves the airport, 15 km south) would otherwise shrink the city to a corner of the map.
 */
function mainland(cells: readonly LateCell[]): { shown: readonly LateCell[]; off: readonly LateCell[] } {
  const near = (a: LateCell) => cells.some((b) => b !== a && Math.max(Math.abs(a.row - b.row), Math.abs(a.col - b.col)) <= NEIGHBOUR_CELLS);
  const shown = cells.filter(near);
  if (shown.length * 2 < cells.length) return { shown: cells, off: [] };
  return { shown, off: cells.filter((c) => !shown.includes(c)) };
}
