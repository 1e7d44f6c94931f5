/**
 * Who made a change: a console user (session), an API token, a volunteer's device, or the system
 * itself (the response engine, timers, the delivery queue, the demo city, an import). Every stored
 * event carries one, with the id of the request that caused it when there was one.
 */
export type ActorKind = 'user' | 'token' | 'device' | 'system';

export interface Actor {
  readonly kind: ActorKind;
  /** A user id, a credential id (token or device), or the name of the system part. */
  readonly id: string;
}

export const systemActor = (id: string): Actor => ({ kind: 'system', id });
