import { decide } from '../core/decide.ts';
import type { PendingEvent } from '../core/events.ts';
import { epochMs } from '../core/ids.ts';
import type { AppendRequest } from '../store/event-store.ts';
import { unitStream } from '../core/streams.ts';
import type { UnitId } from '../core/ids.ts';
import type { Samaritan } from '../composition/samaritan.ts';

export interface UnitFix {
  readonly unitId: string;
  readonly lat: number;
  readonly lon: number;
  /** When the fix was taken (epoch ms). */
  readonly atMs: number;
}

export type FixResult = { readonly unitId: string; readonly outcome: 'record' | 'live' | 'out_of_order' } | { readonly unitId: string; readonly error: 'UnknownUnit' };

/** A fix stamped further ahead than this is a clock fault on the device, not a position (ms). */
export const FUTURE_TOLERANCE_MS = 60_000;

/**
 * Takes unit position fixes (AVL): each updates the live index at once; the sampled ones are
 * written to the log together, in one transaction, before the answer.
 */
export async function takeUnitFixes(app: Samaritan, fixes: readonly UnitFix[], meta: Record<string, unknown>): Promise<FixResult[]> {
  const results: FixResult[] = [];
  const due: UnitFix[] = [];
  for (const f of fixes) {
    const unit = app.fleet.unit(f.unitId);
    if (!unit) {
      results.push({ unitId: f.unitId, error: 'UnknownUnit' });
      continue;
    }
    const outcome = app.positions.take({ id: unit.id, lat: f.lat, lon: f.lon, atMs: f.atMs }, app.positions.attrs.unit(unit.status, unit.capabilities));
    if (outcome === 'record') due.push(f);
    results.push({ unitId: unit.id, outcome });
  }
  if (due.length === 0) return results;
  const streams = [...new Set(due.map((f) => unitStream(f.unitId as UnitId)))];
  const snaps = await app.store.load(streams);
  const versions = new Map(streams.map((s) => [s, snaps.get(s)?.version ?? 0]));
  const rules = { natures: new Set(app.config.plans.keys()) };
  const events: PendingEvent[] = [];
  for (const f of due) {
    const stream = unitStream(f.unitId as UnitId);
    const d = decide(
      { type: 'RecordUnitPosition', now: epochMs(f.atMs), unitId: f.unitId, location: { lat: f.lat, lon: f.lon } },
      new Map([[stream, snaps.get(stream)?.state]]),
      rules,
    );
    if (d.ok) events.push(...d.events);
  }
  const request: AppendRequest = { expected: versions, events, meta };
  const outcome = await app.store.append(request);
  if (outcome.ok) app.bus.publish(outcome.events);
  else {
    // Another writer moved a unit meanwhile: write these samples one by one instead.
    for (const e of events) {
      if (e.type !== 'UnitPositionRecorded') continue;
      await app.commands.execute({ type: 'RecordUnitPosition', now: epochMs(Date.parse(e.at)), unitId: e.data.unitId, location: e.data.location }, { meta });
    }
  }
  return results;
}
