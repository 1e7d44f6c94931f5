import type { Actor } from '../core/actor.ts';
import type { StoredEvent } from '../core/events.ts';

export interface TimelineEntry {
  readonly seq: number;
  readonly at: string;
  readonly type: string;
  readonly summary: string;
  /** Who did it, and who that is in words (a user's name, a token's name, a volunteer, a part of the system). */
  readonly actor: Actor;
  readonly by: string;
  readonly requestId?: string;
  readonly unitId?: string;
  readonly volunteerId?: string;
  readonly data: unknown;
}

/** The volunteer response's events that belong on an incident's timeline (receipts other than "seen" do not). */
const RESPONSE_TYPES: ReadonlySet<string> = new Set([
  'VolunteerResponseStarted',
  'VolunteerWaveSent',
  'VolunteerAlerted',
  'VolunteerAlertSeen',
  'VolunteerAccepted',
  'VolunteerDeclined',
  'VolunteerRoleAssigned',
  'VolunteerArrived',
  'VolunteerStoodDown',
  'VolunteerAlertExpired',
  'VolunteerResponseStatusChanged',
]);

/** Whether an event that names an incident goes on its timeline: its own and its units' events, and the volunteer response. */
export const onTimeline = (e: StoredEvent): boolean => !/^(response|delivery)-/.test(e.stream) || RESPONSE_TYPES.has(e.type);

const minutes = (s: number) => (s < 90 ? `${Math.round(s)} s` : `${Math.round(s / 60)} min`);

const words = (s: string) => s.replace(/_/g, ' ');

/** One line a dispatcher can read for each event in an incident's history. */
export function summarize(e: StoredEvent): string {
  switch (e.type) {
    case 'IncidentReceived':
      return (
        `Received: ${words(e.data.nature)}, priority ${e.data.priority}${e.data.address ? `, ${e.data.address}` : ''}` +
        (e.data.outsideServiceArea ? ', outside the service area' : '')
      );
    case 'IncidentDetailsUpdated':
      return `Details updated: ${Object.keys(e.data.changes).join(', ')}`;
    case 'UnitsDispatched':
      return `Dispatched ${e.data.unitIds.join(', ')}`;
    case 'IncidentStatusChanged':
      return `Incident ${words(e.data.to)} (${e.data.reason})`;
    case 'IncidentMerged':
      return `Merged into ${e.data.into} as a duplicate`;
    case 'DuplicateMerged':
      return `Duplicate ${e.data.duplicateId} merged in`;
    case 'UnitStatusChanged':
      return `${e.data.unitId} ${words(e.data.to)}${e.data.reason ? ` (${e.data.reason})` : ''}`;
    case 'CallerLocationReceived':
      return `Caller's phone position (${e.data.method}, within ${Math.round(e.data.radiusM)} m)`;
    case 'PublicWarningIssued':
      return `Public warning issued: ${e.data.headline}`;
    case 'PublicWarningAmended':
      return `Public warning amended: ${e.data.headline}`;
    case 'PublicWarningWithdrawn':
      return `Public warning withdrawn (${e.data.reason})`;
    case 'UnitResponseRecorded':
      return `${e.data.unitId} responded (dispatched ${e.data.dispatchedAt ?? '-'}, on scene ${e.data.onSceneAt ?? '-'})`;
    case 'VolunteerResponseStarted':
      return `Volunteer response started: ${e.data.candidates.length} volunteers within reach (${e.data.natureRule})`;
    case 'VolunteerWaveSent':
      return `Wave ${e.data.wave}: ${e.data.volunteerIds.length} volunteers alerted; ${e.data.reason}`;
    case 'VolunteerAlerted':
      return `Volunteer ${e.data.volunteerId} alerted (wave ${e.data.wave}, ${minutes(e.data.etaS)} on foot, rule ${e.data.policyRule})`;
    case 'VolunteerAlertSeen':
      return `Volunteer ${e.data.volunteerId} opened the alert`;
    case 'VolunteerAccepted':
      return `Volunteer ${e.data.volunteerId} accepted`;
    case 'VolunteerDeclined':
      return `Volunteer ${e.data.volunteerId} declined${e.data.reason ? ` (${e.data.reason})` : ''}`;
    case 'VolunteerRoleAssigned':
      return `Volunteer ${e.data.volunteerId}: role ${words(e.data.role)} (${e.data.reason})`;
    case 'VolunteerArrived':
      return `Volunteer ${e.data.volunteerId} arrived`;
    case 'VolunteerStoodDown':
      return `Volunteer ${e.data.volunteerId} stood down: ${e.data.detail}`;
    case 'VolunteerAlertExpired':
      return `Alert to volunteer ${e.data.volunteerId} expired unanswered`;
    case 'VolunteerResponseStatusChanged':
      return `Volunteer response ${words(e.data.to)} (${e.data.detail})`;
    default:
      return e.type;
  }
}

/** `by` says who the actor is in words; without a name for it, the actor's kind and id. */
export function toTimelineEntry(e: StoredEvent, by: string = `${e.actor.kind} ${e.actor.id}`): TimelineEntry {
  const { unitId, volunteerId } = e.data as { unitId?: unknown; volunteerId?: unknown };
  return {
    seq: e.seq,
    at: e.at,
    type: e.type,
    summary: summarize(e),
    actor: e.actor,
    by,
    ...(e.requestId === undefined ? {} : { requestId: e.requestId }),
    ...(typeof unitId === 'string' ? { unitId } : {}),
    ...(typeof volunteerId === 'string' ? { volunteerId } : {}),
    data: e.data,
  };
}
