import type { AccountStore, TokenRecord, UserRecord } from '../account-store.ts';
import type { RecordWrite } from '../record-writes.ts';
import type { Gate } from './gate.ts';
import { json, parse } from './json.ts';
import { ConstraintFailed, type UndoLog } from './undo-log.ts';

const byCreatedAt = (a: { createdAt: string }, b: { createdAt: string }) =>
  a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0;

/** The columns the SQLite table keeps of a new user (a user is added enabled). */
const userRow = (u: UserRecord): UserRecord => ({
  id: u.id,
  name: u.name,
  role: u.role,
  passwordHash: u.passwordHash,
  createdAt: u.createdAt,
});

/** The columns the SQLite table keeps of a new credential (a credential is added unrevoked). */
const tokenRow = (t: TokenRecord): TokenRecord => ({
  id: t.id,
  kind: t.kind,
  name: t.name,
  role: t.role,
  scopes: t.scopes,
  hash: t.hash,
  createdAt: t.createdAt,
  ...(t.subject === undefined ? {} : { subject: t.subject }),
  ...(t.csrf === undefined ? {} : { csrf: t.csrf }),
  ...(t.expiresAt === undefined ? {} : { expiresAt: t.expiresAt }),
});

/** Users and credentials in memory (as JSON text, so reads are copies); written only by record writes. */
export class MemoryAccounts implements AccountStore {
  private readonly userRows = new Map<string, string>();
  private readonly idByName = new Map<string, string>();
  private readonly credentials = new Map<string, string>();
  /** Device credential ids by volunteer: asked before every alert is sent. */
  private readonly devicesOf = new Map<string, Set<string>>();

  constructor(private readonly gate: Gate) {}

  /** Applies a user or credential write inside an append; false for other writes. */
  apply(w: RecordWrite, undo: UndoLog): boolean {
    switch (w.type) {
      case 'user.add': {
        const u = userRow(w.user);
        if (this.userRows.has(u.id)) throw new ConstraintFailed(`A user with id ${u.id} already exists`);
        if (this.idByName.has(u.name)) throw new ConstraintFailed(`A user named ${u.name} already exists`);
        undo.set(this.userRows, u.id, json(u));
        undo.set(this.idByName, u.name, u.id);
        return true;
      }
      case 'user.setRole': {
        const text = this.userRows.get(w.userId);
        if (text !== undefined) undo.set(this.userRows, w.userId, json({ ...parse<UserRecord>(text), role: w.role }));
        return true;
      }
      case 'user.setPasswordHash': {
        const text = this.userRows.get(w.userId);
        if (text !== undefined) undo.set(this.userRows, w.userId, json({ ...parse<UserRecord>(text), passwordHash: w.passwordHash }));
        return true;
      }
      case 'credential.extend': {
        const text = this.credentials.get(w.id);
        const t = text === undefined ? undefined : parse<TokenRecord>(text);
        if (t && t.revokedAt === undefined && (t.expiresAt === undefined || t.expiresAt < w.expiresAt)) {
          undo.set(this.credentials, w.id, json({ ...t, expiresAt: w.expiresAt }));
        }
        return true;
      }
      case 'credential.add': {
        const t = tokenRow(w.token);
        if (this.credentials.has(t.id)) throw new ConstraintFailed(`A credential with id ${t.id} already exists`);
        undo.set(this.credentials, t.id, json(t));
        if (t.kind === 'device' && t.subject !== undefined) {
          let ids = this.devicesOf.get(t.subject);
          if (!ids) undo.set(this.devicesOf, t.subject, (ids = new Set()));
          const s = ids;
          s.add(t.id);
          undo.onRollback(() => s.delete(t.id));
        }
        return true;
      }
      case 'credential.revoke': {
        const text = this.credentials.get(w.id);
        const t = text === undefined ? undefined : parse<TokenRecord>(text);
        if (t && t.revokedAt === undefined) undo.set(this.credentials, w.id, json({ ...t, revokedAt: w.at }));
        return true;
      }
      default:
        return false;
    }
  }

  async userByName(name: string): Promise<UserRecord | undefined> {
    this.gate.check();
    const id = this.idByName.get(name);
    return id === undefined ? undefined : this.user(id);
  }

  async userById(id: string): Promise<UserRecord | undefined> {
    this.gate.check();
    return this.user(id);
  }

  async users(): Promise<readonly UserRecord[]> {
    this.gate.check();
    return [...this.userRows.values()].map((t) => parse<UserRecord>(t)).sort(byCreatedAt);
  }

  async token(id: string): Promise<TokenRecord | undefined> {
    this.gate.check();
    const text = this.credentials.get(id);
    return text === undefined ? undefined : parse<TokenRecord>(text);
  }

  async tokens(kind: TokenRecord['kind']): Promise<readonly TokenRecord[]> {
    this.gate.check();
    return [...this.credentials.values()]
      .map((t) => parse<TokenRecord>(t))
      .filter((t) => t.kind === kind)
      .sort(byCreatedAt);
  }

  async activeDevices(subject: string, nowIso: string): Promise<ReadonlySet<string>> {
    this.gate.check();
    const out = new Set<string>();
    for (const id of this.devicesOf.get(subject) ?? []) {
      const t = parse<TokenRecord>(this.credentials.get(id)!);
      if (t.revokedAt === undefined && (t.expiresAt === undefined || t.expiresAt > nowIso)) out.add(id);
    }
    return out;
  }

  private user(id: string): UserRecord | undefined {
    const text = this.userRows.get(id);
    return text === undefined ? undefined : parse<UserRecord>(text);
  }
}
