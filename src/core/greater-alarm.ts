import type { Recommendation } from './recommend.ts';
import type { ResponsePlan, UnitRequirement } from './response-plan.ts';
import { reject, type Rejection } from './rejection.ts';

/** What a dispatcher asks beyond the nature's first alarm: a greater alarm level, and/or more units of a capability. */
export interface Escalation {
  /** The plan's greater alarm level (2, 3, …): every level up to it is added. Absent or 1: the first alarm only. */
  readonly alarm?: number;
  readonly more: readonly UnitRequirement[];
}

export interface Addition {
  readonly capability: string;
  readonly count: number;
  readonly reason: string;
}

export interface EscalatedPlan {
  readonly ok: true;
  readonly plan: ResponsePlan;
  readonly added: readonly Addition[];
}

/**
 * The plan with the greater alarm's units and the extra units asked for added to it. Each level of
 * `alarms` lists what it adds to the level below; asking for level 3 adds levels 2 and 3.
 */
export function escalate(plan: ResponsePlan, asked: Escalation, knownCapabilities: ReadonlySet<string>): EscalatedPlan | Rejection {
  const added: Addition[] = [];
  const level = asked.alarm ?? 1;
  if (level > 1) {
    const levels = Object.keys(plan.alarms ?? {}).map(Number);
    const highest = Math.max(1, ...levels);
    if (level > highest) {
      return reject('UnknownAlarmLevel', `The ${plan.label} plan has alarm levels up to ${highest}; ${level} was asked`, { nature: plan.nature, alarm: level, highest });
    }
    for (let l = 2; l <= level; l++) {
      for (const u of plan.alarms?.[String(l)] ?? []) added.push({ ...u, reason: `alarm ${l} of the ${plan.label} plan adds ${u.count} ${u.capability}` });
    }
  }
  for (const u of asked.more) {
    if (!knownCapabilities.has(u.capability)) {
      return reject('UnknownCapability', `No unit type has capability ${u.capability}`, { capability: u.capability });
    }
    added.push({ ...u, reason: `${u.count} more ${u.capability} asked for by the dispatcher` });
  }
  const units = new Map(plan.units.map((u) => [u.capability, u.count]));
  for (const a of added) units.set(a.capability, (units.get(a.capability) ?? 0) + a.count);
  return { ok: true, plan: { ...plan, units: [...units].map(([capability, count]) => ({ capability, count })) }, added };
}

/**
 * Says in each pick that fills an added need why it is there: the slowest picks of a capability
 * are the ones beyond the first alarm. Shapes stay as `recommend` made them.
 */
export function explainEscalation(r: Recommendation, base: ResponsePlan, added: readonly Addition[]): Recommendation {
  if (added.length === 0) return r;
  const baseCount = new Map(base.units.map((u) => [u.capability, u.count]));
  const filledByAssigned = new Map<string, number>();
  for (const a of r.assigned) if (a.fills !== undefined) filledByAssigned.set(a.fills, (filledByAssigned.get(a.fills) ?? 0) + 1);
  const why = new Map<string, string[]>();
  for (const a of added) why.set(a.capability, [...(why.get(a.capability) ?? []), a.reason]);
  const seen = new Map<string, number>();
  const candidates = r.candidates.map((c) => {
    const k = (seen.get(c.fills) ?? 0) + 1;
    seen.set(c.fills, k);
    const firstAlarmLeft = Math.max(0, (baseCount.get(c.fills) ?? 0) - (filledByAssigned.get(c.fills) ?? 0));
    const reasons = why.get(c.fills);
    return k > firstAlarmLeft && reasons ? { ...c, reason: `${c.reason}; ${reasons.join('; ')}` } : c;
  });
  return { ...r, candidates };
}
