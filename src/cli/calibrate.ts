import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfiguration, PROJECT_ROOT } from '../config/configuration.ts';
import type { LatLon } from '../core/lat-lon.ts';
import { parseDataSfTime } from '../interop/datasf-time.ts';
import { calibrate, summarize, type ErrorSummary } from '../routing/calibration.ts';
import { DRIVEN_CLASSES, loadDriveProfile, type DriveProfile } from '../routing/drive-profile.ts';
import { readGraphFile } from '../routing/graph-file.ts';
import { ownStationRuns } from '../routing/own-station-runs.ts';
import { SF_FILES, buildSfBundle } from '../routing/sf-demo.ts';
import { RoadSnapper } from '../routing/snap.ts';
import { straightLineEstimator } from '../routing/straight-line.ts';
import { parse } from './args.ts';
import { readCallsFile } from './calls-file.ts';
import { UsageError } from './usage-error.ts';

const fmt = (e: ErrorSummary) => `median ${Math.round(e.medianAbsErrorS)} s, p90 ${Math.round(e.p90AbsErrorS)} s (bias ${Math.round(e.medianBiasS)} s, n=${e.n})`;
const r2 = (x: number) => Math.round(x * 100) / 100;

/**
 * `samaritan calibrate <calls.csv> [--out config/drive-profile.json]`: fits the drive profile to
 * the engine and truck runs that start from their own station, writes it, and reports the fit.
 */
export async function calibrateCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { out: { type: 'string' } }, true);
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new UsageError('give exactly one DataSF calls CSV file');
  const out = values.out ?? join(PROJECT_ROOT, SF_FILES.driveProfile);
  const records = readCallsFile(file, 'On Scene DtTm');

  const stations = JSON.parse(readFileSync(join(PROJECT_ROOT, 'data/sf/stations.json'), 'utf8')) as { id: string; location: LatLon }[];
  const fleet = JSON.parse(readFileSync(join(PROJECT_ROOT, 'data/sf/fleet.json'), 'utf8')) as { id: string; unitType: string; stationId: string }[];
  const stationAt = new Map(stations.map((s) => [s.id, s.location]));
  const homes = new Map(fleet.flatMap((u) => (stationAt.has(u.stationId) ? [[u.id, { stationId: u.stationId, location: stationAt.get(u.stationId)! }] as const] : [])));
  const selection = ownStationRuns(records, homes, parseDataSfTime);
  if (selection.runs.length < 20) throw new UsageError(`only ${selection.runs.length} own-station engine/truck runs in ${file}: too few to fit`);

  const start = loadDriveProfile(join(PROJECT_ROOT, SF_FILES.driveProfile));
  const graphFile = join(PROJECT_ROOT, SF_FILES.graph);
  // Calibration needs the graph, not its hierarchies: without the file, build it in memory.
  const bundle = existsSync(graphFile) ? readGraphFile(graphFile) : buildSfBundle(PROJECT_ROOT, start);
  const started = performance.now();
  const c = calibrate(bundle.graph, new RoadSnapper(bundle.graph), selection.runs, start);

  // The stand-in it replaces: straight line × detour factor at one speed per unit type.
  const config = loadConfiguration();
  const straightLine = straightLineEstimator(config.detourFactor, (t) => config.unitTypes.get(t)?.speedMps ?? 6);
  const straight = summarize(
    selection.runs.map((r) => {
      const [t] = straightLine.travelTimes(r.destination, [{ id: 'run', location: r.origin, unitType: r.unitType }]);
      return t?.ok ? t.travelS : Infinity;
    }),
    selection.runs.map((r) => r.travelS),
  );
  const profile: DriveProfile & { $comment: string } = {
    $comment:
      'Written by `samaritan calibrate`. Travel time = unitTypeFactors[type] × Σ metres / speedsMps[class] + fixedS. Speeds and fixedS fitted by least absolute error to SF engine and truck emergency runs from their own station (Response → On Scene); engine and truck factors fitted, other types default to 1 (no own-station runs to fit them on). Rebuild the graph after changing speeds: npx tsx scripts/build-graph.ts',
    speedsMps: Object.fromEntries(DRIVEN_CLASSES.map((k) => [k, r2(c.profile.speedsMps[k])])) as DriveProfile['speedsMps'],
    fixedS: Math.round(c.profile.fixedS),
    unitTypeFactors: Object.fromEntries(Object.entries(c.profile.unitTypeFactors).map(([k, v]) => [k, Math.round(v * 1000) / 1000])),
    defaultUnitTypeFactor: c.profile.defaultUnitTypeFactor,
    fit: {
      source: file.split('/').pop(),
      runs: c.fit.n,
      runsByUnitType: c.runsByUnitType,
      medianAbsErrorS: Math.round(c.fit.medianAbsErrorS),
      p90AbsErrorS: Math.round(c.fit.p90AbsErrorS),
      heldOut: { medianAbsErrorS: Math.round(c.heldOut.medianAbsErrorS), p90AbsErrorS: Math.round(c.heldOut.p90AbsErrorS), n: c.heldOut.n },
      straightLine: { medianAbsErrorS: Math.round(straight.medianAbsErrorS), p90AbsErrorS: Math.round(straight.p90AbsErrorS) },
      classShare: Object.fromEntries(Object.entries(c.classShare).map(([k, v]) => [k, r2(v)])),
    },
  };
  writeFileSync(out, JSON.stringify(profile, null, 2) + '\n');

  const lines = [
    `Read ${records.length} unit rows; ${selection.runs.length} engine/truck emergency runs start from their own station (${c.unrouted} off the road graph).`,
    `  left out: ${Object.entries(selection.skipped).map(([k, v]) => `${v} ${k}`).join('; ')}`,
    `Fitted in ${((performance.now() - started) / 1000).toFixed(1)} s: ${DRIVEN_CLASSES.map((k) => `${k} ${r2(c.profile.speedsMps[k])} m/s`).join(', ')}, fixed ${Math.round(c.profile.fixedS)} s;` +
      ` factors ${Object.entries(profile.unitTypeFactors).map(([k, v]) => `${k} ${v}`).join(', ')}.`,
    `  road metres by class: ${Object.entries(c.classShare).map(([k, v]) => `${k} ${Math.round(v * 100)} %`).join(', ')}`,
    `Absolute error of predicted travel time:`,
    `  calibrated profile:         ${fmt(c.fit)}`,
    `  held out (two-fold):        ${fmt(c.heldOut)}`,
    `  profile before calibration: ${fmt(c.before)}`,
    `  straight line × ${config.detourFactor}:        ${fmt(straight)}`,
    ...(c.keptStart ? ['The fit did not beat the starting profile, so the starting profile was written unchanged.'] : []),
    `Wrote ${out}. Rebuild the graph with its speeds: npx tsx scripts/build-graph.ts`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}
