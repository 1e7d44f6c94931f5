import type pg from 'pg';
import type { AccountStore, TokenRecord, UserRecord } from '../account-store.ts';
import { toToken, toUser, type CredentialRow, type UserRow } from '../account-rows.ts';
import type { RecordWrite } from '../record-writes.ts';

const USER_COLUMNS = 'id, name, role, password_hash, created_at, disabled_at';
const CREDENTIAL_COLUMNS = 'id, kind, name, role, scopes, subject, hash, csrf, created_at, expires_at, revoked_at';

/**
 * Users and credentials in PostgreSQL, read by every node straight from the tables (a revocation on
 * one node holds on the next request to any other); their writes commit with their audit events.
 */
export class PostgresAccounts implements AccountStore {
  constructor(private readonly pool: pg.Pool) {}

  /** Applies a user or credential write inside the append's transaction; false for other writes. */
  async apply(client: pg.PoolClient, w: RecordWrite): Promise<boolean> {
    switch (w.type) {
      case 'user.add': {
        const u = w.user;
        await client.query('INSERT INTO users (id, name, role, password_hash, created_at) VALUES ($1, $2, $3, $4, $5)', [
          u.id,
          u.name,
          u.role,
          u.passwordHash,
          u.createdAt,
        ]);
        return true;
      }
      case 'user.setRole':
        await client.query('UPDATE users SET role = $1 WHERE id = $2', [w.role, w.userId]);
        return true;
      case 'user.setPasswordHash':
        await client.query('UPDATE users SET password_hash = $1 WHERE id = $2', [w.passwordHash, w.userId]);
        return true;
      case 'credential.add': {
        const t = w.token;
        await client.query(
          `INSERT INTO credentials (id, kind, name, role, scopes, subject, hash, csrf, created_at, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
          [t.id, t.kind, t.name, t.role, JSON.stringify(t.scopes), t.subject ?? null, t.hash, t.csrf ?? null, t.createdAt, t.expiresAt ?? null],
        );
        return true;
      }
      case 'credential.extend':
        // Later only, and never for a revoked credential: two nodes extending one session cannot shorten it.
        await client.query(
          'UPDATE credentials SET expires_at = $1 WHERE id = $2 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at < $1)',
          [w.expiresAt, w.id],
        );
        return true;
      case 'credential.revoke':
        await client.query('UPDATE credentials SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [w.at, w.id]);
        return true;
      default:
        return false;
    }
  }

  async userByName(name: string): Promise<UserRecord | undefined> {
    const r = await this.pool.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE name = $1`, [name]);
    return r.rows[0] && toUser(r.rows[0]);
  }

  async userById(id: string): Promise<UserRecord | undefined> {
    const r = await this.pool.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id]);
    return r.rows[0] && toUser(r.rows[0]);
  }

  async users(): Promise<readonly UserRecord[]> {
    const r = await this.pool.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users ORDER BY created_at, n`);
    return r.rows.map(toUser);
  }

  async token(id: string): Promise<TokenRecord | undefined> {
    const r = await this.pool.query<CredentialRow>(`SELECT ${CREDENTIAL_COLUMNS} FROM credentials WHERE id = $1`, [id]);
    return r.rows[0] && toToken(r.rows[0]);
  }

  async tokens(kind: TokenRecord['kind']): Promise<readonly TokenRecord[]> {
    const r = await this.pool.query<CredentialRow>(`SELECT ${CREDENTIAL_COLUMNS} FROM credentials WHERE kind = $1 ORDER BY created_at, n`, [kind]);
    return r.rows.map(toToken);
  }

  async activeDevices(subject: string, nowIso: string): Promise<ReadonlySet<string>> {
    const r = await this.pool.query<{ id: string }>(
      `SELECT id FROM credentials WHERE kind = 'device' AND subject = $1 AND revoked_at IS NULL
       AND (expires_at IS NULL OR expires_at > $2)`,
      [subject, nowIso],
    );
    return new Set(r.rows.map((row) => row.id));
  }
}
