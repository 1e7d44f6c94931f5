import type { DomainEvent, PendingEvent } from './events.ts';
import type { EpochMs } from './ids.ts';
import { isoAt } from './ids.ts';
import type { Rejection } from './rejection.ts';

export type Decision = { readonly ok: true; readonly events: readonly PendingEvent[] } | Rejection;

export const accept = (events: readonly PendingEvent[]): Decision => ({ ok: true, events });

/** Stamps a domain event with its stream and the command's time. */
export const on = (stream: string, now: EpochMs, e: DomainEvent): PendingEvent => ({ ...e, stream, at: isoAt(now) });
