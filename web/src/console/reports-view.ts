import { api } from '../shared/api.ts';
import { translator, type Lang } from '../shared/i18n.ts';
import { describeError } from './context.ts';
import { h, minSec } from './dom.ts';
import { REPORT_STRINGS, type ReportKey } from './reports-strings.ts';
import './reports.css';

type Period = 'today' | 'week';
const INTERVALS = ['callToDispatchS', 'turnoutS', 'travelS', 'firstUnitS', 'firstHelpS'] as const;
type IntervalName = (typeof INTERVALS)[number];

interface Distribution {
  readonly n: number;
  readonly medianS: number | null;
  readonly p90S: number | null;
}

/** GET /api/reports/intervals (src/read-models/live-report.ts). */
interface IntervalsReport {
  readonly period: { readonly from: string; readonly to: string; readonly timeZone: string };
  readonly thresholds: { readonly callToDispatchS: number; readonly turnoutEmsS: number; readonly turnoutFireS: number; readonly travelS: number };
  readonly incidents: number;
  readonly distributions: Readonly<Record<IntervalName, Distribution>>;
  readonly compliance: { readonly callToDispatch: number | null; readonly turnout: number | null; readonly travel: number | null };
  readonly byStationArea: readonly { readonly area: string; readonly n: number; readonly medianS: number | null; readonly p90S: number | null }[];
  readonly grid: readonly { readonly sizeM: number }[];
}

/** NFPA 1710 wants this share of incidents within each objective. */
const NFPA_SHARE = 0.9;

/**
 * The Reports view: the live incidents' NFPA 1710 intervals for today or this week, as a table, the
 * simulator's own charts (SVG from the server, shown as images with a text alternative) and the
 * CSV downloads. A modal dialog over the console, so the console stays live beneath; T and W switch
 * the period, Esc closes.
 */
export class ReportsView {
  readonly dialog: HTMLDialogElement;
  private readonly t: (key: ReportKey, vars?: Record<string, string | number>) => string;
  private period: Period = 'today';
  private readonly buttons: Record<Period, HTMLButtonElement>;
  private readonly status: HTMLElement;
  private readonly body: HTMLElement;
  private loading = 0;

  constructor(private readonly lang: Lang) {
    const t = (this.t = translator(REPORT_STRINGS));
    const periodButton = (p: Period, key: string) =>
      h('button', { type: 'button', class: 'tab', 'aria-pressed': 'false', 'data-period': p, onclick: () => this.show(p) }, t(p), h('kbd', {}, key));
    this.buttons = { today: periodButton('today', 'T'), week: periodButton('week', 'W') };
    this.status = h('p', { class: 'hint', role: 'status' });
    this.body = h('div', { class: 'reports-body' });
    this.dialog = h('dialog', { class: 'reports', 'aria-labelledby': 'reports-title' },
      h('div', { class: 'reports-head' },
        h('h2', { id: 'reports-title' }, t('reportsTitle')),
        h('div', { class: 'tabs', role: 'group', 'aria-label': t('periodLabel') }, this.buttons.today, this.buttons.week),
        h('button', { type: 'button', onclick: () => void this.load() }, t('refresh')),
        h('form', { method: 'dialog' }, h('button', { type: 'submit' }, t('close'), h('kbd', {}, t('keyEsc'))))),
      this.status,
      this.body);
    this.dialog.addEventListener('keydown', (e) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
      const key = e.key.toLowerCase();
      if (key !== 't' && key !== 'w') return;
      e.preventDefault();
      const period = key === 't' ? 'today' : 'week';
      this.buttons[period].focus();
      this.show(period);
    });
    document.body.append(this.dialog);
  }

  /** Opens the view on its current period, with fresh figures. */
  open(): void {
    if (!this.dialog.open) this.dialog.showModal();
    this.buttons[this.period].focus();
    this.show(this.period);
  }

  private show(period: Period): void {
    this.period = period;
    for (const [p, b] of Object.entries(this.buttons)) b.setAttribute('aria-pressed', String(p === period));
    void this.load();
  }

  private async load(): Promise<void> {
    const mine = ++this.loading;
    const period = this.period;
    this.status.textContent = this.t('loading');
    this.dialog.setAttribute('aria-busy', 'true');
    try {
      const report = await api<IntervalsReport>('GET', `/api/reports/intervals?period=${period}`);
      if (mine !== this.loading) return;
      this.body.replaceChildren(this.periodLine(report), this.table(report), this.downloads(period), this.charts(report, period));
      this.status.textContent = '';
    } catch (e) {
      if (mine === this.loading) this.status.textContent = this.t('loadFailed', { why: describeError(e) });
    } finally {
      if (mine === this.loading) this.dialog.removeAttribute('aria-busy');
    }
  }

  private periodLine(r: IntervalsReport): HTMLElement {
    const when = (iso: string) =>
      new Date(iso).toLocaleString(this.lang, { timeZone: r.period.timeZone, weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    return h('p', { class: 'period-line' },
      this.t('periodLine', { from: when(r.period.from), to: when(r.period.to), zone: r.period.timeZone }), ' · ',
      h('strong', { id: 'report-incidents' }, this.t('incidentCount', { n: r.incidents.toLocaleString(this.lang) })));
  }

  private table(r: IntervalsReport): HTMLElement {
    const t = this.t;
    const time = (s: number | null) => (s === null ? t('nothing') : minSec(s));
    const th = r.thresholds;
    const objective: Record<IntervalName, [string, number | null] | undefined> = {
      callToDispatchS: [t('seconds', { s: th.callToDispatchS }), r.compliance.callToDispatch],
      turnoutS: [t('turnoutObjective', { ems: th.turnoutEmsS, fire: th.turnoutFireS }), r.compliance.turnout],
      travelS: [t('seconds', { s: th.travelS }), r.compliance.travel],
      firstUnitS: undefined,
      firstHelpS: undefined,
    };
    const share = (v: number | null | undefined) => {
      if (v === null || v === undefined) return t('nothing');
      return new Intl.NumberFormat(this.lang, { style: 'percent', maximumFractionDigits: 0 }).format(v);
    };
    const rows = INTERVALS.map((name) => {
      const d = r.distributions[name];
      const o = objective[name];
      const below = o !== undefined && o[1] !== null && o[1] < NFPA_SHARE;
      return h('tr', { 'data-interval': name },
        h('th', { scope: 'row' }, t(name)),
        h('td', {}, d.n.toLocaleString(this.lang)),
        h('td', {}, time(d.medianS)),
        h('td', {}, time(d.p90S)),
        h('td', {}, o ? o[0] : t('noObjective')),
        h('td', { class: below ? 'below' : undefined }, share(o?.[1]), below ? h('span', { class: 'below-tag' }, t('below')) : undefined));
    });
    return h('div', { class: 'figures-wrap' },
      h('table', { class: 'figures' },
        h('caption', {}, t('figuresCaption')),
        h('thead', {}, h('tr', {}, ...(['interval', 'count', 'median', 'p90', 'objective', 'within'] as const).map((k) => h('th', { scope: 'col' }, t(k))))),
        h('tbody', {}, ...rows)),
      h('p', { class: 'hint' }, t('nfpaNote')));
  }

  private downloads(period: Period): HTMLElement {
    const link = (names: 'samaritan' | 'neris', key: ReportKey) =>
      h('a', { href: `/api/reports/intervals.csv?period=${period}&names=${names}`, download: '', class: 'download', 'data-names': names }, this.t(key));
    return h('section', { class: 'downloads', 'aria-labelledby': 'downloads-title' },
      h('h3', { id: 'downloads-title' }, this.t('downloads')), link('samaritan', 'csv'), link('neris', 'nerisCsv'));
  }

  private charts(r: IntervalsReport, period: Period): HTMLElement {
    const t = this.t;
    const dist = (interval: IntervalName, title: ReportKey) => {
      const d = r.distributions[interval];
      const alt = d.n === 0 ? t('altDistributionNone', { title: t(title) }) : t('altDistribution', { title: t(title), median: minSec(d.medianS ?? 0), p90: minSec(d.p90S ?? 0), n: d.n });
      return this.chart(`distribution.svg?interval=${interval}&period=${period}`, alt, `chart-${interval}`);
    };
    const worst = r.byStationArea.slice(0, 3).map((a) => t('altArea', { area: a.area, median: a.medianS === null ? t('nothing') : minSec(a.medianS), p90: a.p90S === null ? t('nothing') : minSec(a.p90S) }));
    const areasAlt = worst.length === 0 ? t('altAreasNone') : t('altAreas', { worst: worst.join('; ') });
    const mapAlt = t('altMap', { n: r.grid.length, size: r.grid[0]?.sizeM ?? 1000 });
    return h('section', { class: 'charts', 'aria-labelledby': 'charts-title' },
      h('h3', { id: 'charts-title' }, t('charts')),
      h('div', { class: 'chart-grid' },
        dist('travelS', 'chartTravel'),
        dist('turnoutS', 'chartTurnout'),
        dist('firstHelpS', 'chartFirstHelp'),
        this.chart(`station-areas.svg?period=${period}`, areasAlt, 'chart-areas'),
        this.chart(`late-map.svg?period=${period}`, mapAlt, 'chart-map')));
  }

  /**
   * One chart: its SVG is read with the session and shown from a data: URL, so each refresh draws
   * the current figures whatever the image cache keeps (the page's CSP allows img-src 'self' data:).
   */
  private chart(path: string, alt: string, name: string): HTMLElement {
    const img = h('img', { alt, 'data-chart': name });
    const figure = h('figure', { class: 'chart' }, img);
    const url = `/api/reports/charts/${path}&lang=${this.lang}`;
    void fetch(url, { credentials: 'same-origin' })
      .then(async (res) => {
        const text = await res.text();
        if (!res.ok) throw new Error(((JSON.parse(text) as { error?: { message?: string } }).error?.message) ?? res.statusText);
        img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`;
      })
      .catch((e: unknown) => figure.replaceChildren(h('p', { class: 'error' }, this.t('chartFailed', { why: describeError(e) }))));
    return figure;
  }
}
