import type Database from 'better-sqlite3';
import type { AccountStore, TokenRecord, UserRecord } from '../account-store.ts';
import { toToken, toUser, type CredentialRow, type UserRow } from '../account-rows.ts';
import type { RecordWrite } from '../record-writes.ts';

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


/** Users and credentials in the same SQLite file as the log; their writes commit with their audit events. */
export class SqliteAccounts implements AccountStore {
  private readonly q;

  constructor(private readonly db: Database.Database) {
    db.exec(SCHEMA);
    // Asked before every alert is sent: an index on the volunteer, so it does not scan every device token.
    db.exec(`CREATE INDEX IF NOT EXISTS credentials_device_subject ON credentials (subject) WHERE kind = 'device'`);
    // Prepared once: token and user look-ups run on every authenticated request.
    this.q = {
      userByName: db.prepare<[string], UserRow>('SELECT * FROM users WHERE name = ?'),
      userById: db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?'),
      users: db.prepare<[], UserRow>('SELECT * FROM users ORDER BY created_at'),
      token: db.prepare<[string], CredentialRow>('SELECT * FROM credentials WHERE id = ?'),
      tokens: db.prepare<[string], CredentialRow>('SELECT * FROM credentials WHERE kind = ? ORDER BY created_at'),
      devices: db.prepare<[string, string], { id: string }>(
        `SELECT id FROM credentials WHERE kind = 'device' AND subject = ? AND revoked_at IS NULL
         AND (expires_at IS NULL OR expires_at > ?)`,
      ),
      addUser: db.prepare('INSERT INTO users (id, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)'),
      setRole: db.prepare('UPDATE users SET role = ? WHERE id = ?'),
      setPasswordHash: db.prepare('UPDATE users SET password_hash = ? WHERE id = ?'),
      extend: db.prepare('UPDATE credentials SET expires_at = ? WHERE id = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at < ?)'),
      addToken: db.prepare(
        `INSERT INTO credentials (id, kind, name, role, scopes, subject, hash, csrf, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      revoke: db.prepare('UPDATE credentials SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
    };
  }

  /** Applies a user or credential write inside the append's transaction; false for other writes. */
  apply(w: RecordWrite): boolean {
    switch (w.type) {
      case 'user.add':
        this.q.addUser.run(w.user.id, w.user.name, w.user.role, w.user.passwordHash, w.user.createdAt);
        return true;
      case 'user.setRole':
        this.q.setRole.run(w.role, w.userId);
        return true;
      case 'user.setPasswordHash':
        this.q.setPasswordHash.run(w.passwordHash, w.userId);
        return true;
      case 'credential.extend':
        this.q.extend.run(w.expiresAt, w.id, w.expiresAt);
        return true;
      case 'credential.add': {
        const t = w.token;
        this.q.addToken.run(t.id, t.kind, t.name, t.role, JSON.stringify(t.scopes), t.subject ?? null, t.hash, t.csrf ?? null, t.createdAt, t.expiresAt ?? null);
        return true;
      }
      case 'credential.revoke':
        this.q.revoke.run(w.at, w.id);
        return true;
      default:
        return false;
    }
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
    return Promise.resolve(this.q.users.all().map(toUser));
  }

  token(id: string): Promise<TokenRecord | undefined> {
    const r = this.q.token.get(id);
    return Promise.resolve(r && toToken(r));
  }

  tokens(kind: TokenRecord['kind']): Promise<readonly TokenRecord[]> {
    return Promise.resolve(this.q.tokens.all(kind).map(toToken));
  }

  activeDevices(subject: string, nowIso: string): Promise<ReadonlySet<string>> {
    return Promise.resolve(new Set(this.q.devices.all(subject, nowIso).map((r) => r.id)));
  }
}
