import type { Role, Scope } from '../core/roles.ts';
import type { TokenRecord, UserRecord } from './account-store.ts';

/**
 * The rows of the `users` and `credentials` tables, the same columns in every SQL store, and the
 * records they make.
 */
export interface UserRow {
  id: string;
  name: string;
  role: string;
  password_hash: string;
  created_at: string;
  disabled_at: string | null;
}
export interface CredentialRow {
  id: string;
  kind: string;
  name: string;
  role: string;
  scopes: string;
  subject: string | null;
  hash: string;
  csrf: string | null;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
}

export const toUser = (r: UserRow): UserRecord => ({
  id: r.id,
  name: r.name,
  role: r.role as Role,
  passwordHash: r.password_hash,
  createdAt: r.created_at,
  ...(r.disabled_at === null ? {} : { disabledAt: r.disabled_at }),
});

export const toToken = (r: CredentialRow): TokenRecord => ({
  id: r.id,
  kind: r.kind as TokenRecord['kind'],
  name: r.name,
  role: r.role as Role,
  scopes: JSON.parse(r.scopes) as Scope[],
  hash: r.hash,
  createdAt: r.created_at,
  ...(r.subject === null ? {} : { subject: r.subject }),
  ...(r.csrf === null ? {} : { csrf: r.csrf }),
  ...(r.expires_at === null ? {} : { expiresAt: r.expires_at }),
  ...(r.revoked_at === null ? {} : { revokedAt: r.revoked_at }),
});
