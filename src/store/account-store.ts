import type { Role, Scope } from '../core/roles.ts';

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
 * Users and credentials live in mutable tables (a password hash must be replaceable and erasable).
 * Reads come from here; every change is a record write (record-writes.ts) that commits with its
 * audit event through the one writer.
 */
export interface AccountStore {
  userByName(name: string): Promise<UserRecord | undefined>;
  userById(id: string): Promise<UserRecord | undefined>;
  users(): Promise<readonly UserRecord[]>;
  token(id: string): Promise<TokenRecord | undefined>;
  tokens(kind: TokenRecord['kind']): Promise<readonly TokenRecord[]>;
  /** Ids of a volunteer's device tokens neither revoked nor expired at `nowIso`: their signed-in devices. */
  activeDevices(subject: string, nowIso: string): Promise<ReadonlySet<string>>;
}
