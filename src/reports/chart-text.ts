/**
 * Every word the charts draw themselves (axes, legends, descriptions), in English and French; the
 * caller's words (titles, series labels) come in through the options. Numbers are formatted here
 * too, because French writes 62,4 % and 1 800 where English writes 62.4 % and 1,800.
 */
import { count as countEn, minSec, percent as percentEn } from './svg-frame.ts';

export interface ChartText {
  readonly count: (n: number) => string;
  readonly percent: (share: number | null | undefined) => string;
  readonly minutes: string;
  readonly minutesSeconds: string;
  readonly shareOfIncidents: string;
  readonly noData: string;
  readonly noIncidents: string;
  readonly noSeries: string;
  /** Between a label and what follows (French sets a no-break space before the colon). */
  readonly colon: string;
  /** Legend of a distribution line: its count, median, 90th percentile and share within the threshold. */
  readonly seriesFigures: (n: number, medianS: number | null, p90S: number | null, within: number | null, thresholdS: number | undefined) => string;
  readonly distributionDesc: (series: readonly { label: string; n: number; medianS: number | null; p90S: number | null; within: number | null }[], thresholdS: number | undefined) => string;
  readonly median: string;
  readonly p90: string;
  readonly medianDotP90: string;
  readonly thisSource: string;
  readonly reference: string;
  readonly areasDesc: (rows: readonly { area: string; n: number; medianS: number | null; p90S: number | null; reference?: { medianS: number | null; p90S: number | null } }[], label: string, refLabel: string, thresholdS: number | undefined) => string;
  readonly map: {
    readonly classes: readonly [string, string, string, string, string, string];
    readonly noHelp: string;
    readonly legendTitle: string;
    readonly legendSub: string;
    readonly missedTitle: string;
    readonly missedSub: (missPercent: number, thresholdS: number) => string;
    readonly recruitTitle: string;
    readonly recruitSub: string;
    readonly offMap: (cells: number, incidents: number) => string;
    readonly nothing: string;
    readonly north: string;
    readonly cellTip: (row: number, col: number, incidents: number, medianS: number | null, thresholdS: number, miss: number | null) => string;
    readonly desc: (o: { cells: number; sizeM: number; fastestS: number | null; slowestS: number | null; missed: number; missPercent: number; thresholdS: number; highlighted: number; off: number }) => string;
  };
}

export const CHART_TEXT_EN: ChartText = {
  count: countEn,
  percent: percentEn,
  minutes: 'minutes',
  minutesSeconds: 'minutes:seconds',
  shareOfIncidents: 'share of incidents',
  noData: 'no data',
  noIncidents: 'No incidents to show',
  noSeries: 'No series',
  colon: ': ',
  seriesFigures: (n, m, p, w, t) => `n ${countEn(n)} · median ${minSec(m)} · 90th pct ${minSec(p)}${w === null ? '' : ` · within ${t} s: ${percentEn(w)}`}`,
  distributionDesc: (series, t) =>
    `Cumulative share of incidents by time (minutes:seconds). ${
      series
        .map((s) => (s.n === 0 ? `${s.label}: no data` : `${s.label}: ${countEn(s.n)} incidents, median ${minSec(s.medianS)}, 90th percentile ${minSec(s.p90S)}${s.within === null ? '' : `, ${percentEn(s.within)} within ${t} s`}`))
        .join('; ') || 'No series'
    }.${t === undefined ? '' : ` Threshold ${t} s.`}`,
  median: 'median',
  p90: '90th percentile',
  medianDotP90: 'median · 90th',
  thisSource: 'this source',
  reference: 'reference',
  areasDesc: (rows, label, ref, t) =>
    `Median and 90th percentile (minutes:seconds) by station area, ${rows.length} areas${t === undefined ? '' : `, threshold ${t} s`}. ` +
    rows.map((r) => `${r.area}: ${label} median ${minSec(r.medianS)}, 90th percentile ${minSec(r.p90S)} (n ${r.n})${r.reference ? `; ${ref} ${minSec(r.reference.medianS)} / ${minSec(r.reference.p90S)}` : ''}`).join('; '),
  map: {
    classes: ['under 4 min', '4–6 min', '6–8 min', '8–10 min', '10–12 min', '12 min or more'],
    noHelp: 'no first help recorded',
    legendTitle: 'Median time to first help',
    legendSub: 'a volunteer or a unit, from the call',
    missedTitle: 'Travel standard missed',
    missedSub: (p, t) => `more than ${p} % of first units over ${t} s`,
    recruitTitle: 'Recruit volunteers here',
    recruitSub: 'most minutes saved, by rank',
    offMap: (c, n) => `Off the map: ${countEn(c)} outlying ${c === 1 ? 'cell' : 'cells'}, ${countEn(n)} ${n === 1 ? 'incident' : 'incidents'}`,
    nothing: 'No incidents to map',
    north: 'N ↑',
    cellTip: (row, col, n, m, t, miss) => `Cell ${row},${col}: ${countEn(n)} incidents, median first help ${minSec(m)}, first-unit travel over ${t} s in ${percentEn(miss)}`,
    desc: (o) =>
      o.cells === 0
        ? 'No incidents to map.'
        : `${countEn(o.cells)} cells of ${countEn(o.sizeM)} m with incidents; median time to first help per cell from ${minSec(o.fastestS)} to ${minSec(o.slowestS)} (minutes:seconds); ` +
          `${countEn(o.missed)} cells where more than ${o.missPercent} % of incidents had a first-unit travel over ${o.thresholdS} s` +
          `${o.highlighted ? `; ${o.highlighted} cells marked for recruiting volunteers` : ''}${o.off ? `; ${o.off} outlying cells (such as the airport) are left off the map` : ''}.`,
  },
};

const NB = '\u00a0';
const countFr = (n: number): string => String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f');
const percentFr = (share: number | null | undefined): string => (share === null || share === undefined || !Number.isFinite(share) ? '—' : `${(Math.round(share * 1000) / 10).toFixed(1).replace('.', ',')}${NB}%`);

export const CHART_TEXT_FR: ChartText = {
  count: countFr,
  percent: percentFr,
  minutes: 'minutes',
  minutesSeconds: 'minutes:secondes',
  shareOfIncidents: 'part des interventions',
  noData: 'pas de données',
  noIncidents: 'Aucune intervention à montrer',
  noSeries: 'Aucune série',
  colon: `${NB}: `,
  seriesFigures: (n, m, p, w, t) => `n ${countFr(n)} · médiane ${minSec(m)} · 90e centile ${minSec(p)}${w === null ? '' : ` · en ${t}${NB}s ou moins${NB}: ${percentFr(w)}`}`,
  distributionDesc: (series, t) =>
    `Part cumulée des interventions selon le délai (minutes:secondes). ${
      series
        .map((s) => (s.n === 0 ? `${s.label}${NB}: pas de données` : `${s.label}${NB}: ${countFr(s.n)} interventions, médiane ${minSec(s.medianS)}, 90e centile ${minSec(s.p90S)}${s.within === null ? '' : `, ${percentFr(s.within)} en ${t}${NB}s ou moins`}`))
        .join(`${NB}; `) || 'Aucune série'
    }.${t === undefined ? '' : ` Seuil ${t}${NB}s.`}`,
  median: 'médiane',
  p90: '90e centile',
  medianDotP90: 'médiane · 90e',
  thisSource: 'cette source',
  reference: 'référence',
  areasDesc: (rows, label, ref, t) =>
    `Médiane et 90e centile (minutes:secondes) par secteur de caserne, ${rows.length} secteurs${t === undefined ? '' : `, seuil ${t}${NB}s`}. ` +
    rows.map((r) => `${r.area}${NB}: ${label} médiane ${minSec(r.medianS)}, 90e centile ${minSec(r.p90S)} (n ${r.n})${r.reference ? `${NB}; ${ref} ${minSec(r.reference.medianS)} / ${minSec(r.reference.p90S)}` : ''}`).join(`${NB}; `),
  map: {
    classes: [`moins de 4${NB}min`, `4–6${NB}min`, `6–8${NB}min`, `8–10${NB}min`, `10–12${NB}min`, `12${NB}min ou plus`],
    noHelp: 'aucun premier secours enregistré',
    legendTitle: 'Délai médian des premiers secours',
    legendSub: "un bénévole ou un engin, depuis l'appel",
    missedTitle: 'Objectif de trajet manqué',
    missedSub: (p, t) => `plus de ${p}${NB}% des premiers engins au-delà de ${t}${NB}s`,
    recruitTitle: 'Recruter des bénévoles ici',
    recruitSub: 'le plus de minutes gagnées, par rang',
    offMap: (c, n) => `Hors carte${NB}: ${countFr(c)} ${c === 1 ? 'maille isolée' : 'mailles isolées'}, ${countFr(n)} ${n === 1 ? 'intervention' : 'interventions'}`,
    nothing: 'Aucune intervention à cartographier',
    north: 'N ↑',
    cellTip: (row, col, n, m, t, miss) => `Maille ${row},${col}${NB}: ${countFr(n)} interventions, premiers secours en ${minSec(m)} (médiane), trajet du premier engin au-delà de ${t}${NB}s pour ${percentFr(miss)}`,
    desc: (o) =>
      o.cells === 0
        ? 'Aucune intervention à cartographier.'
        : `${countFr(o.cells)} mailles de ${countFr(o.sizeM)}${NB}m avec des interventions${NB}; délai médian des premiers secours par maille de ${minSec(o.fastestS)} à ${minSec(o.slowestS)} (minutes:secondes)${NB}; ` +
          `${countFr(o.missed)} mailles où plus de ${o.missPercent}${NB}% des interventions ont eu un trajet du premier engin au-delà de ${o.thresholdS}${NB}s` +
          `${o.highlighted ? `${NB}; ${o.highlighted} mailles signalées pour recruter des bénévoles` : ''}${o.off ? `${NB}; ${o.off} mailles isolées (comme l'aéroport) sont hors carte` : ''}.`,
  },
};
