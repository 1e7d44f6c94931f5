import type { AccountStore } from './account-store.ts';
import type { AedStore } from './aed-store.ts';
import type { EventStore } from './event-store.ts';
import type { OutboxStore } from './outbox-store.ts';
import type { ShortLivedStore } from './short-lived-store.ts';
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
  /** Throttle counts and one-time secrets, shared by every node on the database. */
  readonly shortLived: ShortLivedStore;
  /**
   * Whether a write can be committed now. After a write failed for a storage reason
   * (`StorageUnavailable`), the answer comes from a small write of its own, so it turns true again
   * by itself once the disk recovers.
   */
  writable(): Promise<boolean>;
  close(): Promise<void>;
}
