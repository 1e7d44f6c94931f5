import type { StoredEvent } from '../core/events.ts';
import type { Role, Scope } from '../core/roles.ts';

/** Who is reading the log: the parts of a principal that decide what it may see. */
export interface EventReader {
  readonly role: Role;
  readonly scopes: readonly Scope[];
  /** The volunteer (device token) or user (session) behind the credential. */
  readonly subject?: string;
}

/**
 * The account audit streams: sign-ins (with IP addresses), failed sign-ins, users and their roles,
 * token issuance and revocation, staff reads of volunteers' personal data, registry imports.
 */
const AUDIT_STREAM = /^(user|token|audit)-/;

export const isAuditStream = (stream: string): boolean => AUDIT_STREAM.test(stream);

/**
 * The one rule for which events of the log a reader receives, in `GET /api/events` and on the live
 * stream alike. Admins and supervisors see everything; dispatchers, call-takers and integrations
 * with `events:read` see the domain events but not the account audit streams; a volunteer sees
 * only events about themselves (never another volunteer's); anyone else sees nothing.
 */
export function canSee(reader: EventReader, event: Pick<StoredEvent, 'stream' | 'data'>): boolean {
  switch (reader.role) {
    case 'admin':
    case 'supervisor':
      return true;
    case 'dispatcher':
    case 'call_taker':
      return !isAuditStream(event.stream);
    case 'integration':
      return reader.scopes.includes('events:read') && !isAuditStream(event.stream);
    case 'volunteer': {
      const me = reader.subject;
      if (me === undefined) return false;
      return event.stream === `volunteer-${me}` || (event.data as { volunteerId?: unknown }).volunteerId === me;
    }
  }
}

/** `canSee` bound to one reader, for filtering a page or a stream. */
export const visibleTo =
  (reader: EventReader) =>
  (event: Pick<StoredEvent, 'stream' | 'data'>): boolean =>
    canSee(reader, event);
