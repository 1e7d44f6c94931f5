import type { Role, Scope } from '../core/roles.ts';
import type { PendingEvent } from '../core/events.ts';

export interface UserRecord {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly passwordHash: string;
  readonly createdAt: string;
  readonly disabledAt?: string;
}

export interface TokenRecord {
  readonly id: string;
  readonly kind: 'api' | 'device' | 'session';
  readonly name: string;
  readonly role: Role;
  readonly scopes: readonly Scope[];
  /** The user (session), volunteer (device) or nobody (api) the token acts for. */
  readonly subject?: string;
  readonly hash: string;
  /** Sessions only: the synchronizer token that unsafe requests must echo. */
  readonly csrf?: string;
  readonly createdAt: string;
  readonly expiresAt?: string;
  readonly revokedAt?: string;
}

/**
 * Credentials live in mutable tables (a password hash must be replaceable and erasable), while
 * every change to them is also written as an audit event to the log, in the same transaction.
 */
export interface AccountStore {
  addUser(user: UserRecord, audit: readonly PendingEvent[]): Promise<void>;
  userByName(name: string): Promise<UserRecord | undefined>;
  userById(id: string): Promise<UserRecord | undefined>;
  users(): Promise<readonly UserRecord[]>;
  setRole(userId: string, role: Role, audit: readonly PendingEvent[]): Promise<void>;
  addToken(token: TokenRecord, audit: readonly PendingEvent[]): Promise<void>;
  token(id: string): Promise<TokenRecord | undefined>;
  tokens(kind: TokenRecord['kind']): Promise<readonly TokenRecord[]>;
  revokeToken(id: string, at: string, audit: readonly PendingEvent[]): Promise<void>;
  /** Appends audit events that change no table (sign-in, failed sign-in, personal data read). */
  audit(events: readonly PendingEvent[]): Promise<void>;
}
