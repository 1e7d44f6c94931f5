import { compliance, distribution, INTERVALS, meanAbsoluteError, valuesOf, type IncidentIntervals, type IntervalName } from '../reports/intervals.ts';
import { utilisationSummary } from './report-figures.ts';
import type { PolicyResult, PolicySummary, SimResult } from './sim-result.ts';

/** What `--json` holds; the names of its fields are a stable contract (docs in the CLI usage). */
export function simJson(result: SimResult): unknown {
  const t = result.thresholds;
  const real = result.real;
  const f = result.fidelity;
  return {
    incidents: result.count ?? real.length,
    fidelity: {
      simFirstUnitTravelMedianS: f?.simFirstUnitTravelMedianS ?? null,
      realFirstUnitTravelMedianS: f?.realFirstUnitTravelMedianS ?? null,
      firstUnitTravelMedianAbsErrorS: f?.firstUnitTravelMedianAbsErrorS ?? null,
      firstUnitTravelMeanAbsErrorS: f?.firstUnitTravelMeanAbsErrorS ?? null,
      n: f?.n ?? 0,
      policy: 'routed',
      ...(f?.firstUnit === undefined ? {} : { firstUnit: f.firstUnit }),
      ...(f?.byPriority === undefined ? {} : { byPriority: f.byPriority }),
    },
    policies: result.policies.map((p) => policyJson(p, real, t)),
    seed: result.seed,
    scenario: result.scenarioName,
    callsFile: result.callsFile,
    span: { from: new Date(result.span.from).toISOString(), to: new Date(result.span.to).toISOString() },
    thresholds: t,
    ...(result.model === undefined ? {} : { model: result.model }),
    ...(result.travelFactorByPriority === undefined ? {} : { travelFactorByPriority: result.travelFactorByPriority }),
    real: result.realSummary
      ? { intervals: result.realSummary.intervals, compliance: result.realSummary.compliance }
      : { intervals: intervals(real), compliance: compliance(real, t) },
    recruitment: result.recruitment,
    ...(result.recruitmentSkipped === undefined ? {} : { recruitmentSkipped: result.recruitmentSkipped }),
    rejections: result.policies.reduce((n, p) => n + Object.values(p.rejections ?? {}).reduce((m, r) => m + r.count, 0), 0),
  };
}

function intervals(records: readonly IncidentIntervals[], real?: readonly IncidentIntervals[]): PolicySummary['intervals'] {
  const out = {} as Record<IntervalName, PolicySummary['intervals'][IntervalName]>;
  for (const name of INTERVALS) {
    const d = distribution(valuesOf(records, name));
    out[name] = real === undefined || real.length === 0 ? d : { ...d, meanAbsErrorS: meanAbsoluteError(records, real, name).meanAbsErrorS };
  }
  return out;
}

/** A policy's figures: from its records, or as tallied during a replay that kept none (the same numbers). */
function figuresOf(p: PolicyResult, real: readonly IncidentIntervals[], t: SimResult['thresholds']): PolicySummary {
  if (p.summary) return p.summary;
  const calls = p.incidents.filter((r) => r.volunteerCall);
  return {
    incidents: p.incidents.length,
    volunteerCalls: calls.length,
    volunteerFirst: calls.filter((r) => r.firstVolunteerS !== undefined && (r.firstUnitS === undefined || r.firstVolunteerS < r.firstUnitS)).length,
    firstHelpVolunteerCalls: distribution(valuesOf(calls, 'firstHelpS')),
    intervals: intervals(p.incidents, real),
    compliance: compliance(p.incidents, t),
  };
}

function policyJson(p: PolicyResult, real: readonly IncidentIntervals[], t: SimResult['thresholds']): unknown {
  const f = figuresOf(p, real, t);
  const help = f.firstHelpVolunteerCalls;
  const volunteerFirst = f.volunteerFirst;
  const c = f.compliance;
  const use = utilisationSummary(p);
  return {
    name: p.name,
    firstHelpMedianS: help.medianS,
    firstHelpP90S: help.p90S,
    volunteerFirstShare: f.volunteerCalls === 0 ? 0 : Math.round((volunteerFirst / f.volunteerCalls) * 10_000) / 10_000,
    nfpaTravel240Share: c.travel,
    incidents: f.incidents,
    volunteerCalls: f.volunteerCalls,
    intervals: f.intervals,
    compliance: c,
    utilisation: {
      units: use.units,
      medianShare: use.median,
      maxShare: use.max,
      busiestUnit: use.busiest ?? null,
    },
    volunteers: { ...p.volunteers, firstOnScene: volunteerFirst },
    shortfalls: p.shortfalls ?? 0,
    rejections: p.rejections ?? {},
  };
}
