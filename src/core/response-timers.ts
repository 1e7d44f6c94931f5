import type { Command } from './commands.ts';
import { epochMs, type EpochMs } from './ids.ts';
import { openAlerts, type ResponseState } from './volunteer-response.ts';

/**
 * Timers are persisted deadlines, not in-memory callbacks: a response's snapshot holds its next
 * wave's `dueAt` and each open alert's `expiresAt`. After a restart the app reads the snapshots
 * of alerting responses and fires what is due; each command is accepted once, and a timer that
 * fires twice is rejected (WaveNotScheduled, AlertNotOpen), so a due wave or expiry happens once.
 */
export interface Deadline {
  readonly at: string;
  readonly command: Command;
}

/** Every deadline of a response, earliest first, as the command to issue at that instant. */
export function deadlinesOf(s: ResponseState): Deadline[] {
  if (s.status !== 'alerting') return [];
  const wave: Deadline[] =
    s.nextWave === undefined
      ? []
      : [
          {
            at: s.nextWave.dueAt,
            command: {
              type: 'SendNextWave',
              now: epochMs(Date.parse(s.nextWave.dueAt)),
              incidentId: s.incidentId,
              wave: s.nextWave.wave,
            },
          },
        ];
  const expiries: Deadline[] = openAlerts(s).map((a) => ({
    at: a.expiresAt,
    command: { type: 'ExpireAlert', now: epochMs(Date.parse(a.expiresAt)), incidentId: s.incidentId, alertId: a.alertId },
  }));
  return [...wave, ...expiries].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

/** The commands due at `now` (each stamped `now`), in deadline order. */
export function dueTimers(s: ResponseState, now: EpochMs): Command[] {
  return deadlinesOf(s)
    .filter((d) => Date.parse(d.at) <= now)
    .map((d) => ({ ...d.command, now }));
}
