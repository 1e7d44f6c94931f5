import type Database from 'better-sqlite3';
import type { PendingEvent } from '../../core/events.ts';
import type { Role, Scope } from '../../core/roles.ts';
import type { AccountStore, TokenRecord, UserRecord } from '../account-store.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS users (
  id            TEXT PRIMARY KEY,
  name          TEXT NOT NULL UNIQUE,
  role          TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  disabled_at   TEXT
);
CREATE TABLE IF NOT EXISTS credentials (
  id          TEXT PRIMARY KEY,
  kind        TEXT NOT NULL,
  name        TEXT NOT NULL,
  role        TEXT NOT NULL,
  scopes      TEXT NOT NULL,
  subject     TEXT,
  hash        TEXT NOT NULL,
  csrf        TEXT,
  created_at  TEXT NOT NULL,
  expires_at  TEXT,
  revoked_at  TEXT
);
CREATE INDEX IF NOT EXISTS credentials_by_kind ON credentials (kind);
`;

interface UserRow {
  id: string;
  name: string;
  role: string;
  password_hash: string;
  created_at: string;
  disabled_at: string | null;
}
interface CredentialRow {
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

const toUser = (r: UserRow): UserRecord => ({
  id: r.id,
  name: r.name,
  role: r.role as Role,
  passwordHash: r.password_hash,
  createdAt: r.created_at,
  ...(r.disabled_at === null ? {} : { disabledAt: r.disabled_at }),
});

const toToken = (r: CredentialRow): TokenRecord => ({
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

/** The part of the SQLite event store that account writes go through, for one shared transaction. */
export interface TransactionalLog {
  readonly database: Database.Database;
  writeWith(events: readonly PendingEvent[], change: (db: Database.Database) => void): unknown;
}

/** Users and credentials in the same SQLite file as the log; each change and its audit event commit together. */
export class SqliteAccounts implements AccountStore {
  private readonly db: Database.Database;
  private readonly q;

  constructor(private readonly log: TransactionalLog) {
    this.db = log.database;
    this.db.exec(SCHEMA);
    // Prepared once: token and user look-ups run on every authenticated request.
    this.q = {
      userByName: this.db.prepare<[string], UserRow>('SELECT * FROM users WHERE name = ?'),
      userById: this.db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?'),
      token: this.db.prepare<[string], CredentialRow>('SELECT * FROM credentials WHERE id = ?'),
    };
  }

  addUser(u: UserRecord, audit: readonly PendingEvent[]): Promise<void> {
    this.log.writeWith(audit, (db) =>
      db
        .prepare('INSERT INTO users (id, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(u.id, u.name, u.role, u.passwordHash, u.createdAt),
    );
    return Promise.resolve();
  }

  userByName(name: string): Promise<UserRecord | undefined> {
    const r = this.q.userByName.get(name);
    return Promise.resolve(r && toUser(r));
  }

  userById(id: string): Promise<UserRecord | undefined> {
    const r = this.q.userById.get(id);
    return Promise.resolve(r && toUser(r));
  }

  users(): Promise<readonly UserRecord[]> {
    return Promise.resolve(this.db.prepare<[], UserRow>('SELECT * FROM users ORDER BY created_at').all().map(toUser));
  }

  setRole(userId: string, role: Role, audit: readonly PendingEvent[]): Promise<void> {
    this.log.writeWith(audit, (db) => db.prepare('UPDATE users SET role = ? WHERE id = ?').run(role, userId));
    return Promise.resolve();
  }

  addToken(t: TokenRecord, audit: readonly PendingEvent[]): Promise<void> {
    this.log.writeWith(audit, (db) =>
      db
        .prepare(
          `INSERT INTO credentials (id, kind, name, role, scopes, subject, hash, csrf, created_at, expires_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(t.id, t.kind, t.name, t.role, JSON.stringify(t.scopes), t.subject ?? null, t.hash, t.csrf ?? null, t.createdAt, t.expiresAt ?? null),
    );
    return Promise.resolve();
  }

  token(id: string): Promise<TokenRecord | undefined> {
    const r = this.q.token.get(id);
    return Promise.resolve(r && toToken(r));
  }

  tokens(kind: TokenRecord['kind']): Promise<readonly TokenRecord[]> {
    return Promise.resolve(
      this.db.prepare<[string], CredentialRow>('SELECT * FROM credentials WHERE kind = ? ORDER BY created_at').all(kind).map(toToken),
    );
  }

  revokeToken(id: string, at: string, audit: readonly PendingEvent[]): Promise<void> {
    this.log.writeWith(audit, (db) => db.prepare('UPDATE credentials SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(at, id));
    return Promise.resolve();
  }

  audit(events: readonly PendingEvent[]): Promise<void> {
    this.log.writeWith(events, () => {});
    return Promise.resolve();
  }
}
