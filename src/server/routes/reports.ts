import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { PROJECT_ROOT } from '../../config/configuration.ts';
import { loadReportSettings } from '../../config/report-thresholds-config.ts';
import { cityGeodata, isMajorRoad } from '../../geocoding/city-data.ts';
import { intervalsReport, LiveReports } from '../../read-models/live-report.ts';
import { reportPeriod, type ReportPeriod } from '../../read-models/report-period.ts';
import { CHART_TEXT_EN, CHART_TEXT_FR, distributionChart, lateMapChart, percentilesByAreaChart, type DistributionSeries } from '../../reports/charts.ts';
import { intervalsCsv } from '../../reports/csv-export.ts';
import { valuesOf, type IncidentIntervals, type IntervalName, type NfpaThresholds } from '../../reports/intervals.ts';
import { HttpError } from '../error-status.ts';
import type { RouteDeps } from '../route-deps.ts';
import { chartWords, type ChartLang, type ChartWords } from '../report-chart-words.ts';

const tags = ['reports'];

const periodFields = {
  period: Type.Optional(Type.String({ maxLength: 20, description: '`today` (default: the local day in the service time zone) or `week` (the local week from Monday)' })),
  from: Type.Optional(Type.String({ maxLength: 40, description: 'ISO 8601 instant or date: received at or after; with `to`, instead of `period`' })),
  to: Type.Optional(Type.String({ maxLength: 40, description: 'ISO 8601 instant or date: received before (excluded); at most 31 days after `from`' })),
};
const IntervalsQuery = Type.Object(periodFields, { additionalProperties: false });
const CsvQuery = Type.Object(
  { ...periodFields, names: Type.Optional(Type.Union([Type.Literal('samaritan'), Type.Literal('neris')], { description: 'column names: ours (seconds) or NERIS (ISO 8601 times and durations)' })) },
  { additionalProperties: false },
);
const ChartQuery = Type.Object(
  {
    ...periodFields,
    interval: Type.Optional(Type.Union([Type.Literal('callToDispatchS'), Type.Literal('turnoutS'), Type.Literal('travelS'), Type.Literal('firstUnitS'), Type.Literal('firstHelpS')], { description: 'distribution.svg: which interval (default travelS)' })),
    lang: Type.Optional(Type.Union([Type.Literal('en'), Type.Literal('fr')], { description: "the charts' titles and labels (default en)" })),
  },
  { additionalProperties: false },
);
const ChartParams = Type.Object({ chart: Type.Union([Type.Literal('distribution.svg'), Type.Literal('station-areas.svg'), Type.Literal('late-map.svg')]) });

/** Major roads as [lon, lat] lines, drawn under the lateness map; read once, on the first map asked for. */
let majorRoads: [number, number][][] | undefined;
function streets(): [number, number][][] {
  majorRoads ??= cityGeodata(PROJECT_ROOT)
    .roads.filter((r) => isMajorRoad(r.mtfcc))
    .map((r) => {
      const pts: [number, number][] = [];
      for (let i = 0; i + 1 < r.line.length; i += 2) pts.push([r.line[i]!, r.line[i + 1]!]);
      return pts;
    });
  return majorRoads;
}

/** The series of one interval's distribution: turnout split by objective, first help beside the first unit. */
function seriesOf(records: readonly IncidentIntervals[], interval: IntervalName, w: ChartWords): DistributionSeries[] {
  if (interval === 'turnoutS') {
    return [
      { label: w.ems, values: valuesOf(records.filter((r) => r.service === 'ems'), 'turnoutS') },
      { label: w.fire, values: valuesOf(records.filter((r) => r.service === 'fire'), 'turnoutS') },
    ];
  }
  if (interval === 'firstHelpS') {
    return [
      { label: w.interval.firstUnitS, values: valuesOf(records, 'firstUnitS') },
      { label: w.interval.firstHelpS, values: valuesOf(records, 'firstHelpS') },
    ];
  }
  return [{ label: w.interval[interval], values: valuesOf(records, interval) }];
}

/** The objective drawn as a line; turnout has two (EMS and fire), so none, and its title gives both. */
function thresholdOf(interval: IntervalName, t: NfpaThresholds): number | undefined {
  if (interval === 'callToDispatchS') return t.callToDispatchS;
  if (interval === 'travelS') return t.travelS;
  return undefined;
}

/**
 * Response-time reports over the live incidents (NFPA 1710 intervals): the figures as JSON, the
 * per-incident intervals as CSV (our names or NERIS's), and the same SVG charts as the simulator's
 * report. The objectives come from config/report-thresholds.json, read when the server starts.
 */
export const reportRoutes =
  ({ app }: RouteDeps): FastifyPluginAsyncTypebox =>
  async (server) => {
    const settings = loadReportSettings();
    const live = new LiveReports(app.store, app.fleet, app.responders.policy);

    const periodOf = (q: Static<typeof IntervalsQuery>): ReportPeriod => {
      const outcome = reportPeriod(q, app.clock(), app.responders.timeZone);
      if (!outcome.ok) throw new HttpError(outcome.code, outcome.message);
      return outcome.period;
    };

    server.get(
      '/api/reports/intervals',
      {
        schema: {
          tags,
          summary: 'NFPA 1710 intervals of the incidents received in a period: medians, 90th percentiles, shares within the objectives, by station area, on a grid',
          querystring: IntervalsQuery,
        },
      },
      async (req, reply) => {
        const period = periodOf(req.query);
        const records = await live.records(period);
        reply.header('cache-control', 'no-store');
        return intervalsReport(period, records, settings.thresholds, settings.gridCellM);
      },
    );

    server.get(
      '/api/reports/intervals.csv',
      { schema: { tags, summary: 'Per-incident intervals of a period as CSV (names=samaritan or neris)', querystring: CsvQuery } },
      async (req, reply) => {
        const { names = 'samaritan', ...q } = req.query;
        const period = periodOf(q);
        const records = await live.records(period);
        const day = period.from.slice(0, 10);
        return reply
          .type('text/csv; charset=utf-8')
          .header('cache-control', 'no-store')
          .header('content-disposition', `attachment; filename="intervals-${names}-${day}.csv"`)
          .send(intervalsCsv(records.map((intervals) => ({ policy: 'live', intervals })), names));
      },
    );

    server.get(
      '/api/reports/charts/:chart',
      {
        schema: {
          tags,
          summary: "A chart of a period's intervals as SVG: distribution.svg (cumulative, ?interval=), station-areas.svg (travel by station area), late-map.svg (time to first help on a grid)",
          params: ChartParams,
          querystring: ChartQuery,
        },
      },
      async (req, reply) => {
        const { interval = 'travelS', lang = 'en', ...q } = req.query as Static<typeof ChartQuery>;
        const period = periodOf(q);
        const records = await live.records(period);
        const t = settings.thresholds;
        const w = chartWords(lang as ChartLang);
        // The chart's own words (axes, legend, description) follow the caller's, not only the title.
        const text = lang === 'fr' ? CHART_TEXT_FR : CHART_TEXT_EN;
        let svg: string;
        if (req.params.chart === 'distribution.svg') {
          const thresholdS = thresholdOf(interval, t);
          svg = distributionChart(seriesOf(records, interval, w), {
            title: w.distributionTitle(interval, t),
            id: `chart-${interval}`,
            text,
            ...(thresholdS === undefined ? {} : { thresholdS }),
          });
        } else if (req.params.chart === 'station-areas.svg') {
          const report = intervalsReport(period, records, t, settings.gridCellM);
          svg = percentilesByAreaChart(report.byStationArea.map((r) => ({ ...r, area: w.station(r.area) })), { title: w.areasTitle, id: 'chart-areas', thresholdS: t.travelS, label: w.areasLabel, text });
        } else {
          const report = intervalsReport(period, records, t, settings.gridCellM);
          svg = lateMapChart(report.grid, { title: w.mapTitle, id: 'chart-map', streets: streets(), travelThresholdS: t.travelS, text });
        }
        return reply.type('image/svg+xml; charset=utf-8').header('cache-control', 'no-store').send(svg);
      },
    );
  };
