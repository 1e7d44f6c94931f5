import type { DeliveryMessageKind } from '../core/events.ts';

/**
 * The alert delivery queue's tables (see src/reactors/alert-materializer.ts for why the queue is
 * derived from the log). States: `pending` (due at `dueAt`), then one of `sent` (a channel took it),
 * `suppressed` (the last check refused it), `skipped` (nothing to tell) or `undelivered` (retries
 * ran out). A finished message keeps no payload.
 */
export type OutboxState = 'pending' | 'sent' | 'suppressed' | 'skipped' | 'undelivered';

/** A message as the queue holds it. */
export interface OutboxMessage {
  /** The queue's id for it: the message id devices acknowledge. */
  readonly id: number;
  /** The seq of the log event it was derived from. */
  readonly seq: number;
  readonly kind: DeliveryMessageKind;
  readonly incidentId: string;
  readonly volunteerId: string;
  readonly alertId: string;
  /** The frame's content; empty once the message is done. */
  readonly body: Readonly<Record<string, unknown>>;
  readonly attempts: number;
  readonly createdAt: number;
}

export interface NewMessage {
  readonly seq: number;
  readonly kind: DeliveryMessageKind;
  readonly incidentId: string;
  readonly volunteerId: string;
  readonly alertId: string;
  readonly body: Readonly<Record<string, unknown>>;
}

/** What the receipts say of one message of an alert. */
export interface ReceiptRow {
  readonly alertId: string;
  readonly message: DeliveryMessageKind;
  readonly sentAt?: string;
  readonly sentVia?: readonly string[];
  readonly deliveredAt?: string;
  readonly deliveredVia?: string;
  readonly seenAt?: string;
  readonly suppressed?: string;
}

/**
 * Where an alerted volunteer was when alerted: kept for the audit's retention only (see
 * src/alerting/alert-audit.ts for the privacy rules), written with the alert's message.
 */
export interface AlertPosition {
  readonly alertId: string;
  readonly incidentId: string;
  readonly volunteerId: string;
  /** Undefined when the volunteer had no fresh fix at alert time. */
  readonly position?: { readonly lat: number; readonly lon: number; readonly fixAt: string };
  readonly distanceM?: number;
  readonly alertedAt: string;
  /** Epoch ms after which the row is purged. */
  readonly purgeAfter: number;
}

export type QueuedMessage = OutboxMessage & { readonly state: OutboxState; readonly channels?: string };

/**
 * How long a message `due()` handed out is held for its caller: longer than a message's gate check,
 * sends (each channel times out within seconds) and receipts take, so that no other worker takes it
 * while it is being sent.
 */
export const OUTBOX_LEASE_MS = 60_000;

/**
 * The delivery queue, its receipts and the alert-position audit.
 *
 * Leases: where several nodes share the queue (PostgreSQL), `due(now)` claims what it returns until
 * `now + OUTBOX_LEASE_MS`: another `due()` before then does not return it, even on another node (a
 * new leader whose predecessor still has sends in flight), unless it was retried; `finish` and
 * `retry` end the lease, and one that ends with the message still pending (its worker stopped or
 * died) makes it due again. A single-node store (memory, SQLite), whose one worker never asks
 * again before its sends are done, may keep no leases: its `due()` returns a pending message each
 * time it is due.
 */
export interface OutboxStore {
  /** The seq of the last log event turned into messages; undefined for a new queue. */
  cursor(): Promise<number | undefined>;
  /**
   * The seq up to which another follower of the log (an integration webhook, by its name) has done
   * its work; undefined before its first move.
   */
  followerCursor(name: string): Promise<number | undefined>;
  /** Moves that follower's cursor: derived state, kept like the queue's own cursor. */
  moveFollowerCursor(name: string, seq: number): Promise<void>;
  /**
   * Adds messages (a message already made from the same seq for the same volunteer is not added
   * twice), records the alert positions, and moves the cursor, in one transaction. Returns how
   * many messages were added.
   */
  enqueue(messages: readonly NewMessage[], cursor: number, now: number, positions?: readonly AlertPosition[]): Promise<number>;
  /** Pending messages due at `now` and not leased to another caller, oldest first; leases them. */
  due(now: number, limit: number): Promise<OutboxMessage[]>;
  /** When the next pending message falls due: for a leased one, when its lease ends. */
  nextDueAt(): Promise<number | undefined>;
  get(id: number): Promise<QueuedMessage | undefined>;
  /** Every message to one volunteer, in queue order. */
  ofVolunteer(volunteerId: string): Promise<QueuedMessage[]>;
  /** Closes a pending message with no receipt to record (e.g. `skipped`). */
  finish(id: number, state: Exclude<OutboxState, 'pending'>, attempts: number, now: number, error?: string): Promise<void>;
  /** Puts a pending message back, due at `dueAt`, its lease ended. */
  retry(id: number, attempts: number, dueAt: number, error: string): Promise<void>;
  /**
   * Makes a volunteer's pending messages due now (their app just connected); returns how many. A
   * leased message is being sent: it is left to its lease.
   */
  hurry(volunteerId: string, now: number): Promise<number>;
  receipt(alertId: string, message: DeliveryMessageKind): Promise<ReceiptRow | undefined>;
  receiptsOfIncident(incidentId: string): Promise<ReceiptRow[]>;
  /** The volunteer's position when alert `alertId` went out, while it is kept. */
  alertPosition(alertId: string): Promise<{ lat: number; lon: number; fixAt: string } | undefined>;
  /** Deletes alert positions past their retention; returns how many. */
  purgeAlertPositions(nowMs: number): Promise<number>;
  /** Erases the position and ids of a deleted volunteer's audit rows, keeping distance and incident. */
  anonymiseAlertPositions(volunteerId: string): Promise<number>;
  alertPositionCount(): Promise<number>;
}
