import type { AccountStore } from './account-store.ts';
import type { AedStore } from './aed-store.ts';
import type { EventStore } from './event-store.ts';
import type { OutboxStore } from './outbox-store.ts';
import type { VolunteerProfileStore } from './volunteer-profile-store.ts';

/**
 * Everything the product keeps: the event log with its snapshots, and the tables beside it. One
 * implementation per database (sqlite/, memory/), each passing the same contract suites.
 */
export interface Store<S> {
  readonly events: EventStore<S>;
  readonly accounts: AccountStore;
  readonly profiles: VolunteerProfileStore;
  readonly aeds: AedStore;
  readonly outbox: OutboxStore;
  close(): Promise<void>;
}
