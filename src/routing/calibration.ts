import { DRIVEN_CLASSES, type DriveProfile, type DrivenClass } from './drive-profile.ts';
import { leastAbsolute } from './least-absolute.ts';
import type { Run } from './own-station-runs.ts';
import { roadClassCode } from './road-class.ts';
import type { RoadGraph } from './road-graph.ts';
import { runPaths, type RunPath } from './run-paths.ts';
import type { RoadSnapper } from './snap.ts';
import { driveMode } from './travel-mode.ts';

export interface ErrorSummary {
  readonly n: number;
  /** Absolute error |predicted − actual| of travel time, seconds. */
  readonly medianAbsErrorS: number;
  readonly p90AbsErrorS: number;
  /** Median of predicted − actual: > 0 means the model is pessimistic. */
  readonly medianBiasS: number;
}

export interface Calibration {
  readonly profile: DriveProfile;
  /** In-sample: the profile written, on every run it was fitted to. */
  readonly fit: ErrorSummary;
  /** Two-fold: each half predicted by a profile fitted on the other half. */
  readonly heldOut: ErrorSummary;
  /** The starting profile on the same runs. */
  readonly before: ErrorSummary;
  /** Runs with no route (an end off the network), left out. */
  readonly unrouted: number;
  /** Share of fitted road metres per class. */
  readonly classShare: Readonly<Record<DrivenClass, number>>;
  /** Runs per unit type behind each fitted factor. */
  readonly runsByUnitType: Readonly<Record<string, number>>;
  /** True when the fit did not beat the starting profile, which is then returned unchanged. */
  readonly keptStart: boolean;
}

/** A class with less than this share of the runs' metres keeps its speed's ratio to `arterial` from the start profile. */
const MIN_CLASS_SHARE = 0.03;
const ROUNDS = 5;
const SPEED_RANGE = [2, 35] as const;
const FIXED_RANGE = [0, 240] as const;

const quantile = (xs: readonly number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const clamp = (x: number, [lo, hi]: readonly [number, number]) => Math.min(hi, Math.max(lo, x));

export function summarize(predicted: readonly number[], actual: readonly number[]): ErrorSummary {
  const abs = predicted.map((p, i) => Math.abs(p - actual[i]!));
  return {
    n: abs.length,
    medianAbsErrorS: quantile(abs, 0.5),
    p90AbsErrorS: quantile(abs, 0.9),
    medianBiasS: quantile(predicted.map((p, i) => p - actual[i]!), 0.5),
  };
}

const factorOf = (p: DriveProfile, unitType: string) => p.unitTypeFactors[unitType] ?? p.defaultUnitTypeFactor;
const predict = (p: DriveProfile, run: Run, path: RunPath) => factorOf(p, run.unitType) * roadSeconds(p, path) + p.fixedS;
const roadSeconds = (p: DriveProfile, path: RunPath) => DRIVEN_CLASSES.reduce((s, c) => s + path.metresByClass[roadClassCode(c)]! / p.speedsMps[c], 0);

/**
 * Fits speeds per road class and a fixed time per trip to real runs by least absolute error,
 * re-routing the runs with the new speeds each round (faster arterials change which way is
 * quickest); then a travel-time factor per unit type (the median of actual over predicted).
 */
export function calibrate(g: RoadGraph, snapper: RoadSnapper, runs: readonly Run[], start: DriveProfile): Calibration {
  const startPaths = runPaths(g, snapper, driveMode(start), runs);
  const routed = runs.filter((_, i) => startPaths[i] !== undefined);
  const routedStart = startPaths.filter((p): p is RunPath => p !== undefined);
  const before = summarize(routed.map((r, i) => predict(start, r, routedStart[i]!)), routed.map((r) => r.travelS));

  const fitted0 = fit(g, snapper, routed, start);
  const fitted0Summary = summarize(routed.map((r, i) => predict(fitted0.profile, r, fitted0.paths[i]!)), routed.map((r) => r.travelS));
  // The fit is a local search from `start`: run again from a fitted profile it can land on a
  // worse one. Never trade a profile for a worse fit (least absolute error: compare medians).
  const keptStart = fitted0Summary.medianAbsErrorS > before.medianAbsErrorS;
  const { profile, paths } = keptStart ? { profile: start, paths: routedStart } : fitted0;
  const fitted = keptStart ? before : fitted0Summary;

  const halves = [routed.filter((_, i) => i % 2 === 0), routed.filter((_, i) => i % 2 === 1)];
  const heldPredicted: number[] = [];
  const heldActual: number[] = [];
  halves.forEach((train, k) => {
    const test = halves[1 - k]!;
    const other = fit(g, snapper, train, start).profile;
    const testPaths = runPaths(g, snapper, driveMode(other), test);
    test.forEach((r, i) => {
      const p = testPaths[i];
      if (p === undefined) return;
      heldPredicted.push(predict(other, r, p));
      heldActual.push(r.travelS);
    });
  });

  const totals = Object.fromEntries(DRIVEN_CLASSES.map((c) => [c, paths.reduce((s, p) => s + p!.metresByClass[roadClassCode(c)]!, 0)])) as Record<DrivenClass, number>;
  const sum = DRIVEN_CLASSES.reduce((s, c) => s + totals[c], 0) || 1;
  const runsByUnitType: Record<string, number> = {};
  for (const r of routed) runsByUnitType[r.unitType] = (runsByUnitType[r.unitType] ?? 0) + 1;
  return {
    profile,
    fit: fitted,
    heldOut: summarize(heldPredicted, heldActual),
    before,
    unrouted: runs.length - routed.length,
    classShare: Object.fromEntries(DRIVEN_CLASSES.map((c) => [c, totals[c] / sum])) as Record<DrivenClass, number>,
    runsByUnitType,
    keptStart,
  };
}

function fit(g: RoadGraph, snapper: RoadSnapper, runs: readonly Run[], start: DriveProfile): { profile: DriveProfile; paths: (RunPath | undefined)[] } {
  let profile = start;
  let paths = runPaths(g, snapper, driveMode(profile), runs);
  for (let round = 0; round < ROUNDS; round++) {
    const ok = runs.map((_, i) => i).filter((i) => paths[i] !== undefined);
    const metres = (i: number, c: DrivenClass) => paths[i]!.metresByClass[roadClassCode(c)]!;
    const total = DRIVEN_CLASSES.reduce((s, c) => s + ok.reduce((t, i) => t + metres(i, c), 0), 0) || 1;
    const free = DRIVEN_CLASSES.filter((c) => c === 'arterial' || c === 'street' || ok.reduce((t, i) => t + metres(i, c), 0) / total >= MIN_CLASS_SHARE);
    // A class with too little data rides along with arterials at its starting ratio.
    const tied = DRIVEN_CLASSES.filter((c) => !free.includes(c));
    const ratio = (c: DrivenClass) => start.speedsMps.arterial / start.speedsMps[c];
    const x = ok.map((i) => [
      ...free.map((c) => (metres(i, c) + (c === 'arterial' ? tied.reduce((s, t) => s + metres(i, t) * ratio(t), 0) : 0)) * factorOf(profile, runs[i]!.unitType)),
      1,
    ]);
    const beta = leastAbsolute(x, ok.map((i) => runs[i]!.travelS));
    const speeds = { ...profile.speedsMps };
    free.forEach((c, j) => (speeds[c] = clamp(1 / Math.max(beta[j]!, 1e-6), SPEED_RANGE)));
    for (const t of tied) speeds[t] = clamp(speeds.arterial / ratio(t), SPEED_RANGE);
    const fixedS = clamp(beta[free.length]!, FIXED_RANGE);
    const next: DriveProfile = { ...profile, speedsMps: speeds, fixedS };
    const change = Math.max(...DRIVEN_CLASSES.map((c) => Math.abs(speeds[c] / profile.speedsMps[c] - 1)));
    profile = next;
    paths = runPaths(g, snapper, driveMode(profile), runs);
    if (change < 0.005) break;
  }
  // Unit-type factors relative to the fitted speeds: the median of (actual − fixed) / road time.
  const factors: Record<string, number> = { ...profile.unitTypeFactors };
  const types = [...new Set(runs.map((r) => r.unitType))];
  for (const t of types) {
    const ratios = runs.flatMap((r, i) => (r.unitType === t && paths[i] !== undefined ? [(r.travelS - profile.fixedS) / Math.max(roadSeconds(profile, paths[i]!), 1)] : []));
    if (ratios.length > 0) factors[t] = quantile(ratios, 0.5) * factorOf(profile, t);
  }
  // Engines are the base: scale every speed so that the engine factor is 1 (same predictions, same paths).
  const base = factors.engine ?? 1;
  const speedsMps = Object.fromEntries(DRIVEN_CLASSES.map((c) => [c, profile.speedsMps[c] / base])) as Record<DrivenClass, number>;
  for (const t of Object.keys(factors)) factors[t] = factors[t]! / base;
  return { profile: { ...profile, speedsMps, unitTypeFactors: factors }, paths };
}
