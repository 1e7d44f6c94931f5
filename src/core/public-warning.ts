import type { Command } from './commands.ts';
import { accept, on, type Decision } from './decision.ts';
import type { IncidentId } from './ids.ts';
import type { IncidentState } from './incident.ts';
import { incidentIn, type Loaded } from './loaded.ts';
import { reject } from './rejection.ts';
import { incidentStream } from './streams.ts';
import { PUBLIC_WARNING_LIMITS, type PublicWarningText } from './public-warning-terms.ts';

/** Whether the incident has a warning the public should see now (the feed's rule). */
export const hasActiveWarning = (s: IncidentState): boolean =>
  s.publicWarning !== undefined && s.publicWarning.withdrawnAt === undefined && s.status !== 'cancelled' && s.status !== 'closed';

type Cmd<T extends Command['type']> = Extract<Command, { type: T }>;

function invalidText(w: PublicWarningText): string | undefined {
  const L = PUBLIC_WARNING_LIMITS;
  for (const k of ['headline', 'instruction', 'areaDesc'] as const) {
    const v = w[k].trim();
    if (v === '') return `${k} is empty`;
    if (v.length > L[k]) return `${k} is longer than ${L[k]} characters`;
  }
  if (!Number.isFinite(w.radiusM) || w.radiusM < L.minRadiusM || w.radiusM > L.maxRadiusM) {
    return `radiusM must be between ${L.minRadiusM} and ${L.maxRadiusM}`;
  }
  return undefined;
}

const same = (a: PublicWarningText, b: PublicWarningText) =>
  a.headline === b.headline && a.instruction === b.instruction && a.areaDesc === b.areaDesc && a.radiusM === b.radiusM;

/**
 * Issues a warning for an open or resolved incident, or amends the one in force. Issued again
 * after a withdrawal, it is a new warning whose revision goes on counting.
 */
export function issuePublicWarning(c: Cmd<'IssuePublicWarning'>, l: Loaded): Decision {
  const s = incidentIn(l, c.incidentId);
  if (s === undefined) return reject('UnknownIncident', `No incident has id ${c.incidentId}`, { incidentId: c.incidentId });
  if (s.status === 'cancelled' || s.status === 'closed') {
    return reject('IncidentClosed', `Incident ${s.id} is ${s.status}`, { incidentId: s.id, status: s.status });
  }
  const text: PublicWarningText = {
    headline: c.warning.headline.trim(),
    instruction: c.warning.instruction.trim(),
    areaDesc: c.warning.areaDesc.trim(),
    radiusM: Math.round(c.warning.radiusM),
  };
  const invalid = invalidText(text);
  if (invalid !== undefined) return reject('InvalidPublicWarning', invalid);
  const prior = s.publicWarning;
  const inForce = prior !== undefined && prior.withdrawnAt === undefined;
  if (inForce && same(prior, text)) return reject('NothingToChange', 'The warning already says this');
  const revision = (prior?.revision ?? 0) + 1;
  return accept([
    on(incidentStream(s.id as IncidentId), c.now, {
      type: inForce ? 'PublicWarningAmended' : 'PublicWarningIssued',
      data: { incidentId: s.id, revision, ...text },
    }),
  ]);
}

export function withdrawPublicWarning(c: Cmd<'WithdrawPublicWarning'>, l: Loaded): Decision {
  const s = incidentIn(l, c.incidentId);
  if (s === undefined) return reject('UnknownIncident', `No incident has id ${c.incidentId}`, { incidentId: c.incidentId });
  const w = s.publicWarning;
  if (w === undefined || w.withdrawnAt !== undefined) {
    return reject('NoPublicWarning', `Incident ${s.id} has no public warning in force`, { incidentId: s.id });
  }
  return accept([
    on(incidentStream(s.id as IncidentId), c.now, {
      type: 'PublicWarningWithdrawn',
      data: { incidentId: s.id, revision: w.revision + 1, reason: c.reason },
    }),
  ]);
}
