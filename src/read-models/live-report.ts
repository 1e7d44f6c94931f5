import type { IncidentState } from '../core/incident.ts';
import type { StreamState } from '../core/loaded.ts';
import { responseStream } from '../core/streams.ts';
import type { VolunteerPolicy } from '../core/volunteer-policy.ts';
import { volunteersWanted } from '../core/volunteer-policy.ts';
import type { ResponseState } from '../core/volunteer-response.ts';
import type { FleetView } from '../fleet/fleet-view.ts';
import { byStationArea } from '../reports/charts.ts';
import { compliance, distribution, INTERVALS, valuesOf, type Compliance, type Distribution, type IncidentIntervals, type IntervalName, type NfpaThresholds } from '../reports/intervals.ts';
import { lateGrid, type LateCell } from '../reports/late-grid.ts';
import { liveIntervals, nearestStationArea, type LiveIncident } from '../reports/live-intervals.ts';
import type { EventStore } from '../store/event-store.ts';
import { IncidentSearch } from './incident-search.ts';
import type { IncidentView } from './queries.ts';
import type { ReportPeriod } from './report-period.ts';

/** What the Reports page shows for a period: the figures of src/reports over the live incidents. */
export interface IntervalsReport {
  readonly period: ReportPeriod;
  readonly thresholds: NfpaThresholds;
  readonly incidents: number;
  readonly distributions: Readonly<Record<IntervalName, Distribution>>;
  readonly compliance: Compliance;
  /** The first unit's travel per station area, worst first (the NFPA 1710 travel objective is per area). */
  readonly byStationArea: readonly { area: string; n: number; medianS: number | null; p90S: number | null }[];
  readonly grid: readonly LateCell[];
}

/** Incidents read per page of the search; the period bounds the whole (LONGEST_REPORT_DAYS). */
const PAGE = 500;

/** The API's view of an incident keyed again by unit, the shape the interval reader takes. */
const asLive = (v: IncidentView): LiveIncident => ({
  id: v.id,
  receivedAt: v.receivedAt,
  details: { location: v.location, nature: v.nature, priority: v.priority as IncidentState['details']['priority'] },
  assignments: Object.fromEntries(v.assignments.map((a) => [a.unitId, a])),
});

/**
 * The live incidents of a period as interval records: found through the incident search's index
 * (received in the period; merged duplicates left out, their report is the incident they repeat),
 * each read from its snapshot, with its volunteer response when volunteers are alerted for it.
 */
export class LiveReports {
  private readonly search: IncidentSearch;

  constructor(
    private readonly store: EventStore<StreamState>,
    private readonly fleet: FleetView,
    private readonly policy: VolunteerPolicy,
  ) {
    this.search = new IncidentSearch(store);
  }

  async records(period: ReportPeriod): Promise<IncidentIntervals[]> {
    const views: IncidentView[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.search.search({ from: period.from, to: period.to, limit: PAGE, ...(cursor === undefined ? {} : { cursor }) });
      views.push(...page.incidents.filter((v) => v.mergedInto === undefined));
      cursor = page.next;
    } while (cursor !== undefined);

    const volunteerNatures = new Set(views.map((v) => v.nature).filter((n) => volunteersWanted(this.policy, n)));
    const wanted = views.filter((v) => volunteerNatures.has(v.nature)).map((v) => responseStream(v.id));
    const responses = wanted.length === 0 ? new Map() : await this.store.load(wanted);
    const ctx = {
      stationAreaOf: nearestStationArea(this.fleet.stations()),
      volunteerNatures,
      unitTypeOf: (id: string) => this.fleet.unit(id)?.unitType,
    };
    // Oldest first, as a report reads.
    return views
      .reverse()
      .map((v) => liveIntervals(asLive(v), ctx, responses.get(responseStream(v.id))?.state as ResponseState | undefined));
  }
}

/** The figures of a set of records against the thresholds: what GET /api/reports/intervals answers. */
export function intervalsReport(period: ReportPeriod, records: readonly IncidentIntervals[], thresholds: NfpaThresholds, gridCellM: number): IntervalsReport {
  const distributions = Object.fromEntries(INTERVALS.map((name) => [name, distribution(valuesOf(records, name))])) as Record<IntervalName, Distribution>;
  return {
    period,
    thresholds,
    incidents: records.length,
    distributions,
    compliance: compliance(records, thresholds),
    byStationArea: byStationArea(records, 'travelS'),
    grid: lateGrid(records, gridCellM, thresholds.travelS),
  };
}
