import type { AedRecord } from '../core/aed.ts';
import type { Role } from '../core/roles.ts';
import type { TokenRecord, UserRecord } from './account-store.ts';
import type { OutboxState } from './outbox-store.ts';
import type { DemoPopulationRecord, VolunteerProfile } from './volunteer-profile-store.ts';

/** One of the receipt columns of a message: set once. */
export type ReceiptField = 'sent' | 'delivered' | 'seen' | 'suppressed';

/**
 * The changes to the store's own tables that travel with an append and commit in its transaction
 * (see AppendRequest.records). This is the store's whole write vocabulary outside the log: nothing
 * else writes these tables. `receipt.mark` is also a guard: when the column is already set, the
 * whole append is refused with `RecordConflict`, so a receipt is recorded once.
 */
export type RecordWrite =
  | { readonly type: 'user.add'; readonly user: UserRecord }
  | { readonly type: 'user.setRole'; readonly userId: string; readonly role: Role }
  /** A password hash made again (at a higher cost): the password itself is unchanged. */
  | { readonly type: 'user.setPasswordHash'; readonly userId: string; readonly passwordHash: string }
  | { readonly type: 'credential.add'; readonly token: TokenRecord }
  /** Moves the end of a credential neither revoked nor already ended at `expiresAt` (a session in use). */
  | { readonly type: 'credential.extend'; readonly id: string; readonly expiresAt: string }
  | { readonly type: 'credential.revoke'; readonly id: string; readonly at: string }
  | { readonly type: 'profile.add'; readonly profiles: readonly VolunteerProfile[]; readonly demo?: DemoPopulationRecord }
  /** Deletes the personal data (overwritten on disk, not left in free pages). */
  | { readonly type: 'profile.erase'; readonly volunteerId: string }
  | { readonly type: 'aed.put'; readonly records: readonly AedRecord[]; readonly at: string }
  | {
      readonly type: 'outbox.finish';
      readonly id: number;
      readonly state: Exclude<OutboxState, 'pending'>;
      readonly attempts: number;
      readonly now: number;
      readonly channels?: readonly string[];
      readonly error?: string;
    }
  | {
      readonly type: 'receipt.mark';
      readonly alertId: string;
      readonly message: string;
      readonly incidentId: string;
      readonly volunteerId: string;
      readonly field: ReceiptField;
      readonly at: string;
      /** The channel(s) for sent/delivered, the reason for suppressed. */
      readonly via?: string;
    };
