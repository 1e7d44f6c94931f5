import { systemActor, type Actor } from '../core/actor.ts';
import type { PendingEvent } from '../core/events.ts';
import type { WriteContext, Writer } from '../log/writer.ts';
import type { RecordWrite } from '../store/record-writes.ts';
import type { Role, Scope } from '../core/roles.ts';
import { generatePassword, PasswordHasher } from './passwords.ts';
import { issueSecret, parseSecret, secretMatches } from './secrets.ts';
import type { AccountStore, TokenRecord, UserRecord } from '../store/account-store.ts';
import { randomBytes, randomUUID } from 'node:crypto';
import { StorageUnavailable } from '../store/storage-unavailable.ts';

/** Who is calling, once a credential has been checked. */
export interface Principal {
  readonly role: Role;
  readonly scopes: readonly Scope[];
  readonly name: string;
  readonly via: 'token' | 'session' | 'device';
  readonly credentialId: string;
  /** The user (session) or volunteer (device) acting. */
  readonly subject?: string;
  /** Sessions only. */
  readonly csrf?: string;
}

/** A console session ends after this long unused (ms): one operations-centre shift. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
/**
 * A session's end is moved on when it is used, but written at most this often (ms), so a busy
 * console does not cost a write per request: it ends 12 h after its last use, give or take this.
 */
const SESSION_SLIDE_MS = 60_000;
/** Integration (api) tokens end after this long unless issued with another lifetime (ms). */
export const API_TOKEN_TTL_MS = 90 * 24 * 60 * 60 * 1000;
/** The kind of credential each token prefix stands for: a token is valid only as its own kind. */
const KIND_OF_PREFIX: Readonly<Record<string, TokenRecord['kind']>> = { sam: 'api', dev: 'device', ses: 'session' };
const PREFIX_OF_KIND: Readonly<Record<TokenRecord['kind'], 'sam' | 'dev' | 'ses'>> = { api: 'sam', device: 'dev', session: 'ses' };

export interface AccountsOptions {
  /** scrypt cost as log2(N), default 17; a stored hash of lower cost is replaced at its next sign-in. */
  readonly scryptLog2N?: number;
  /** Lifetime of a new integration (api) token, ms (default 90 days). */
  readonly apiTokenTtlMs?: number;
  /** Where a session's end that could not be moved on is reported (one line per change); stderr by default. */
  readonly log?: (line: string) => void;
}

/** A checked credential; `extendedForMs` when this check moved a session's end on: the time it has left now. */
export interface Authenticated {
  readonly principal: Principal;
  readonly extendedForMs?: number;
}
/** How long a checked credential is trusted without reading it again (ms), and how many are held. */
const RECENT_MS = 5_000;
const RECENT_LIMIT = 10_000;
/** The events after which every held principal is dropped. */
export const CREDENTIAL_EVENTS: ReadonlySet<string> = new Set(['TokenRevoked', 'UserRoleChanged', 'SignedOut', 'VolunteerDeleted']);

/** Users, tokens and sessions, with every change written to the audit log. */
export class Accounts {
  constructor(
    private readonly store: AccountStore,
    private readonly writer: Writer,
    private readonly clock: () => number,
    options: AccountsOptions = {},
  ) {
    this.hasher = new PasswordHasher(options.scryptLog2N);
    this.apiTokenTtlMs = options.apiTokenTtlMs ?? API_TOKEN_TTL_MS;
    this.log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
  }

  private readonly log: (line: string) => void;
  /** Whether the last attempt to move a session's end on failed: reported once, not per request. */
  private extendFailing = false;

  private readonly hasher: PasswordHasher;
  private readonly apiTokenTtlMs: number;
  /**
   * A real hash to compare against when the user does not exist, so the answer takes as long as for
   * a wrong password and does not reveal which names exist. Made at the first sign-in.
   */
  private decoy: Promise<string> | undefined;

  /** Appends audit events with the table changes they record, in one transaction. */
  private async write(events: readonly PendingEvent[], records: readonly RecordWrite[], ctx: WriteContext): Promise<void> {
    const outcome = await this.writer.record(events, { ...ctx, records });
    if (!outcome.ok) throw new Error(`accounts: ${outcome.message}`);
  }

  private at(): string {
    return new Date(this.clock()).toISOString();
  }

  private event(stream: string, e: Omit<PendingEvent, 'stream' | 'at'>): PendingEvent {
    return { ...e, stream, at: this.at() } as PendingEvent;
  }

  async addUser(name: string, role: Role, password: string, by: string, ctx: WriteContext = { actor: systemActor(by) }): Promise<UserRecord> {
    const user: UserRecord = { id: randomUUID(), name, role, passwordHash: await this.hasher.hash(password), createdAt: this.at() };
    await this.write([this.event(`user-${user.id}`, { type: 'UserAdded', data: { userId: user.id, name, role, by } })], [{ type: 'user.add', user }], ctx);
    return user;
  }

  userByName(name: string): Promise<UserRecord | undefined> {
    return this.store.userByName(name);
  }

  users(): Promise<readonly UserRecord[]> {
    return this.store.users();
  }

  async changeRole(user: UserRecord, role: Role, by: string, ctx: WriteContext = { actor: systemActor(by) }): Promise<void> {
    await this.write(
      [this.event(`user-${user.id}`, { type: 'UserRoleChanged', data: { userId: user.id, from: user.role, to: role, by } })],
      [{ type: 'user.setRole', userId: user.id, role }],
      ctx,
    );
  }

  userById(id: string): Promise<UserRecord | undefined> {
    return this.store.userById(id);
  }

  /** Issues a bearer token; the returned text is shown once and never stored. */
  async createToken(options: {
    name: string;
    role: Role;
    scopes?: readonly Scope[];
    kind?: 'api' | 'device';
    subject?: string;
    /** Api tokens only: their lifetime (ms), default the configured one. Device tokens do not expire. */
    ttlMs?: number;
    by: string;
    ctx?: WriteContext;
  }): Promise<{ token: string; record: TokenRecord }> {
    const kind = options.kind ?? 'api';
    const secret = issueSecret(PREFIX_OF_KIND[kind]);
    const now = this.clock();
    const expiresAt = kind === 'api' ? new Date(now + (options.ttlMs ?? this.apiTokenTtlMs)).toISOString() : undefined;
    const record: TokenRecord = {
      id: secret.id,
      kind,
      name: options.name,
      role: options.role,
      scopes: options.scopes ?? [],
      ...(options.subject === undefined ? {} : { subject: options.subject }),
      hash: secret.hash,
      createdAt: new Date(now).toISOString(),
      ...(expiresAt === undefined ? {} : { expiresAt }),
    };
    const issued = this.event(`token-${record.id}`, {
      type: 'TokenIssued',
      data: { tokenId: record.id, kind, name: record.name, role: record.role, scopes: [...record.scopes], by: options.by },
    });
    await this.write([issued], [{ type: 'credential.add', token: record }], options.ctx ?? { actor: systemActor(options.by) });
    return { token: secret.token, record };
  }

  tokens(kind: TokenRecord['kind'] = 'api'): Promise<readonly TokenRecord[]> {
    return this.store.tokens(kind);
  }

  async revokeToken(id: string, by: string, ctx: WriteContext = { actor: systemActor(by) }): Promise<boolean> {
    const t = await this.store.token(id);
    if (!t || t.revokedAt !== undefined) return false;
    const [events, records] = this.revocation([id], by);
    await this.write(events, records, ctx);
    return true;
  }

  /** The audit events and table changes that revoke these tokens (to commit with something else, or alone). */
  revocation(ids: readonly string[], by: string): [PendingEvent[], RecordWrite[]] {
    const at = this.at();
    return [
      ids.map((id) => this.event(`token-${id}`, { type: 'TokenRevoked', data: { tokenId: id, by } })),
      ids.map((id): RecordWrite => ({ type: 'credential.revoke', id, at })),
    ];
  }

  /** A volunteer's device tokens that still work, by id. */
  async activeDevices(volunteerId: string): Promise<ReadonlySet<string>> {
    return this.store.activeDevices(volunteerId, this.at());
  }

  /**
   * Checks a name and password. On success opens a new session (a new id every time, so a
   * session id planted before sign-in is never promoted) with its own CSRF token.
   */
  async signIn(name: string, password: string, ip: string, ctx: { readonly requestId?: string } = {}): Promise<{ token: string; csrf: string; user: UserRecord } | undefined> {
    const user = await this.store.userByName(name);
    this.decoy ??= this.hasher.hash(generatePassword());
    const ok = await this.hasher.verify(password, user?.passwordHash ?? (await this.decoy));
    if (!user || !ok || user.disabledAt !== undefined) {
      await this.write([this.event('audit-sign-in', { type: 'SignInFailed', data: { name, ip } })], [], { actor: systemActor('sign-in'), ...ctx });
      return undefined;
    }
    const secret = issueSecret('ses');
    const csrf = randomBytes(24).toString('base64url');
    const now = this.clock();
    const session: TokenRecord = {
        id: secret.id,
        kind: 'session',
        name: user.name,
        role: user.role,
        scopes: [],
        subject: user.id,
        hash: secret.hash,
        csrf,
        createdAt: new Date(now).toISOString(),
        expiresAt: new Date(now + SESSION_TTL_MS).toISOString(),
    };
    // A hash made at a lower cost than today's is replaced now, while the password is at hand.
    const rehash: RecordWrite[] = this.hasher.weaker(user.passwordHash)
      ? [{ type: 'user.setPasswordHash', userId: user.id, passwordHash: await this.hasher.hash(password) }]
      : [];
    await this.write(
      [this.event(`user-${user.id}`, { type: 'SignedIn', data: { userId: user.id, sessionId: secret.id, ip } })],
      [{ type: 'credential.add', token: session }, ...rehash],
      { actor: { kind: 'user', id: user.id }, ...ctx },
    );
    return { token: secret.token, csrf, user };
  }

  async signOut(p: Principal, ctx: { readonly requestId?: string } = {}): Promise<void> {
    await this.write(
      [this.event(`user-${p.subject ?? 'unknown'}`, { type: 'SignedOut', data: { userId: p.subject ?? '', sessionId: p.credentialId } })],
      [{ type: 'credential.revoke', id: p.credentialId, at: this.at() }],
      { actor: actorOf(p), ...ctx },
    );
  }

  /**
   * Principals of credentials checked in the last few seconds, by the presented secret: every
   * request of a busy client would otherwise read and hash the same token again. Any change to
   * credentials or roles drops them all (see `forgetCredentials`, called as the log moves on).
   */
  private readonly recent = new Map<string, { principal: Principal; until: number }>();

  private readonly names = new Map<string, string>();

  /** Who an actor is, in words: a user's name, a token's name, a volunteer's device, or the system part. */
  async actorName(actor: Actor): Promise<string> {
    const key = `${actor.kind} ${actor.id}`;
    const known = this.names.get(key);
    if (known !== undefined) return known;
    let name = actor.id;
    if (actor.kind === 'user') name = (await this.store.userById(actor.id))?.name ?? `user ${actor.id}`;
    else if (actor.kind === 'token') name = `token "${(await this.store.token(actor.id))?.name ?? actor.id}"`;
    else if (actor.kind === 'device') name = `volunteer ${(await this.store.token(actor.id))?.subject ?? '?'} (device)`;
    if (this.names.size > 10_000) this.names.clear();
    this.names.set(key, name);
    return name;
  }

  /** Drops the principals held: a credential was revoked, a role changed. */
  forgetCredentials(): void {
    this.recent.clear();
  }

  /** Resolves a presented bearer token or session id to a principal; undefined if not valid now. */
  async authenticate(presented: string, expect: 'bearer' | 'session'): Promise<Principal | undefined> {
    return (await this.authenticated(presented, expect))?.principal;
  }

  /**
   * As `authenticate`, and says when the check moved a session's end on, so that the edge can
   * give the browser's cookie the same new end.
   */
  async authenticated(presented: string, expect: 'bearer' | 'session'): Promise<Authenticated | undefined> {
    const now = this.clock();
    const key = `${expect} ${presented}`;
    const held = this.recent.get(key);
    if (held !== undefined && held.until > now) return { principal: held.principal };
    const checked = await this.check(presented, expect);
    if (checked === undefined) return undefined;
    if (this.recent.size >= RECENT_LIMIT) this.recent.clear();
    this.recent.set(key, { principal: checked.principal, until: Math.min(now + RECENT_MS, checked.expiresAt) });
    return { principal: checked.principal, ...(checked.extended ? { extendedForMs: checked.expiresAt - now } : {}) };
  }

  /**
   * Moves a session's end to 12 h from now: it ends when unused, not 12 h after sign-in. Not an
   * audited change (the requests themselves are the use), so the write carries no event. Best
   * effort: it is a write inside a read, so a disk that refuses it (or a write that lost a race)
   * leaves the session its old end and the request goes on; undefined then.
   */
  private async extend(t: TokenRecord, userId: string, now: number): Promise<number | undefined> {
    const expiresAt = now + SESSION_TTL_MS;
    let failure: string | undefined;
    try {
      const outcome = await this.writer.record([], {
        actor: { kind: 'user', id: userId },
        records: [{ type: 'credential.extend', id: t.id, expiresAt: new Date(expiresAt).toISOString() }],
      });
      if (!outcome.ok) failure = `${outcome.code}: ${outcome.message}`;
    } catch (e) {
      if (!(e instanceof StorageUnavailable)) throw e;
      failure = e.message;
    }
    if (failure !== undefined) {
      if (!this.extendFailing) this.log(`sessions: cannot move a session's end on, it keeps its old end (${failure})`);
      this.extendFailing = true;
      return undefined;
    }
    if (this.extendFailing) this.log("sessions: moving a session's end on works again");
    this.extendFailing = false;
    return expiresAt;
  }

  private async check(presented: string, expect: 'bearer' | 'session'): Promise<{ principal: Principal; expiresAt: number; extended?: boolean } | undefined> {
    const parsed = parseSecret(presented);
    if (!parsed || (expect === 'session') !== (parsed.prefix === 'ses')) return undefined;
    const t = await this.store.token(parsed.id);
    if (!t || t.revokedAt !== undefined || !secretMatches(parsed.secret, t.hash)) return undefined;
    // The prefix says what the token is: one shown as another kind than it was issued as is not valid.
    if (t.kind !== KIND_OF_PREFIX[parsed.prefix]) return undefined;
    const now = this.clock();
    // A token issued before tokens had an end ends as a new one would: the lifetime after its issue.
    const issuedEnd = t.kind === 'api' ? Date.parse(t.createdAt) + this.apiTokenTtlMs : Infinity;
    const expiresAt = t.expiresAt === undefined ? issuedEnd : Date.parse(t.expiresAt);
    if (expiresAt <= now) return undefined;
    if (t.kind === 'session' && t.subject !== undefined) {
      const user = await this.store.userById(t.subject);
      if (!user || user.disabledAt !== undefined) return undefined;
      const extendedUntil = expiresAt - now < SESSION_TTL_MS - SESSION_SLIDE_MS ? await this.extend(t, user.id, now) : undefined;
      // The role is read from the user, so a role change takes effect on the next request.
      const principal: Principal = { role: user.role, scopes: [], name: user.name, via: 'session', credentialId: t.id, subject: user.id, ...(t.csrf ? { csrf: t.csrf } : {}) };
      return extendedUntil === undefined ? { principal, expiresAt } : { principal, expiresAt: extendedUntil, extended: true };
    }
    const principal: Principal = {
      role: t.role,
      scopes: t.scopes,
      name: t.name,
      via: t.kind === 'device' ? 'device' : 'token',
      credentialId: t.id,
      ...(t.subject === undefined ? {} : { subject: t.subject }),
    };
    return { principal, expiresAt };
  }
}

/** The actor a principal writes as: the user behind a console session, else the credential itself. */
export function actorOf(p: Principal): Actor {
  if (p.via === 'session') return { kind: 'user', id: p.subject ?? p.credentialId };
  return { kind: p.via === 'device' ? 'device' : 'token', id: p.credentialId };
}
