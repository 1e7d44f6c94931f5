import type { Command } from '../core/commands.ts';
import { epochMs } from '../core/ids.ts';
import type { RejectionCode } from '../core/rejection.ts';
import type { PositionIntake } from '../geo/position-intake.ts';
import type { WriteContext, Writer } from '../log/writer.ts';
import type { UnitState } from '../core/unit.ts';
import type { FleetView } from './fleet-view.ts';

export interface UnitFix {
  readonly unitId: string;
  readonly lat: number;
  readonly lon: number;
  /** When the fix was taken (epoch ms). */
  readonly atMs: number;
}

/**
 * What became of one fix: taken into the live map (`live`), and also written to the log
 * (`record`), dropped as older than the fix held (`out_of_order`), or refused with the reason.
 */
export type FixResult =
  | { readonly unitId: string; readonly outcome: 'record' | 'live' | 'out_of_order' }
  | { readonly unitId: string; readonly error: RejectionCode; readonly reason: string };

/** A fix stamped further ahead than this is a clock fault on the device, not a position (ms). */
export const FUTURE_TOLERANCE_MS = 60_000;

/**
 * Fixes taken in one go before the event loop gets a turn (about 1 ms): a 10,000-fix batch never
 * holds it for long. The next slice waits for the timers phase, so the alert path's own steps
 * (setImmediate) go first.
 */
const SLICE = 1_000;

/** A unit's attribute word for the live index, worked out once per unit state (states are immutable). */
const wordOf = new WeakMap<UnitState, number>();

export interface UnitPositionDeps {
  readonly fleet: FleetView;
  readonly positions: PositionIntake;
  readonly writer: Writer;
}

/**
 * Takes unit position fixes (AVL): each updates the live index at once; the sampled ones go
 * through the writer's batch form, one transaction for the request, before the answer. A fix the
 * domain refuses comes back refused, with its code and reason, never dropped in silence.
 */
export async function takeUnitFixes(d: UnitPositionDeps, fixes: readonly UnitFix[], ctx: WriteContext): Promise<FixResult[]> {
  const results: FixResult[] = [];
  const due: { index: number; command: Command }[] = [];
  for (const [i, f] of fixes.entries()) {
    if (i > 0 && i % SLICE === 0) await new Promise<void>((resolve) => setTimeout(resolve, 0));
    const unit = d.fleet.unit(f.unitId);
    if (!unit) {
      results.push({ unitId: f.unitId, error: 'UnknownUnit', reason: `No unit has id ${f.unitId}` });
      continue;
    }
    let word = wordOf.get(unit);
    if (word === undefined) wordOf.set(unit, (word = d.positions.attrs.unit(unit.status, unit.capabilities)));
    const outcome = d.positions.take({ id: unit.id, lat: f.lat, lon: f.lon, atMs: f.atMs }, word);
    if (outcome === 'record') {
      due.push({ index: results.length, command: { type: 'RecordUnitPosition', now: epochMs(f.atMs), unitId: unit.id, location: { lat: f.lat, lon: f.lon } } });
    }
    results.push({ unitId: unit.id, outcome });
  }
  if (due.length === 0) return results;
  const written = await d.writer.executeAll(
    due.map((x) => x.command),
    ctx,
  );
  written.forEach((w, i) => {
    if (w.ok) return;
    const { index } = due[i]!;
    results[index] = { unitId: results[index]!.unitId, error: w.code, reason: w.message };
  });
  return results;
}
