import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { RespondersOptions } from '../../src/composition/responders.ts';
import { openSamaritan, type SamaritanOptions } from '../../src/composition/samaritan.ts';
import { openMemoryStore } from '../../src/store/memory/open-memory.ts';
import { systemActor } from '../../src/core/actor.ts';
import type { StoredEvent } from '../../src/core/events.ts';
import type { LatLon } from '../../src/core/lat-lon.ts';
import type { QualificationKind } from '../../src/core/volunteer-policy.ts';
import { buildServer } from '../../src/server/app.ts';
import type { Role } from '../../src/core/roles.ts';
import type { Clock } from '../../src/time/clock.ts';
import type { TestResponse, TestServer } from './server.ts';

/** San Francisco City Hall, and places a few hundred metres from it (walkable streets). */
export const CITY_HALL: LatLon = { lat: 37.7793, lon: -122.4193 };
/** Moves a point by metres north and east. */
export const offset = (p: LatLon, northM: number, eastM: number): LatLon => ({
  lat: Math.round((p.lat + northM / 111_320) * 1e6) / 1e6,
  lon: Math.round((p.lon + eastM / (111_320 * Math.cos((p.lat * Math.PI) / 180))) * 1e6) / 1e6,
});

export interface ResponderServer extends TestServer {
  /** Waits until the response engine, the queue and the worker have nothing in flight. */
  settle(): Promise<void>;
  /** Every event of the log after `seq` (read from the store). */
  eventsAfter(seq: number): Promise<StoredEvent[]>;
  head(): Promise<number>;
}

/**
 * The real product with options for the volunteer response and delivery, on the in-memory store
 * unless the test asks for SQLite, reopens a data dir, or brings a store of its own.
 */
export async function startResponderServer(
  options: { clock?: Clock; dataDir?: string; responders?: RespondersOptions; store?: 'memory' | 'sqlite' | NonNullable<SamaritanOptions['store']> } = {},
): Promise<ResponderServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'samaritan-responders-'));
  const own = typeof options.store === 'function' ? options.store : undefined;
  const inMemory = own === undefined && (options.store ?? (options.dataDir === undefined ? 'memory' : 'sqlite')) === 'memory';
  const app = await openSamaritan({
    dataDir,
    ...(own ? { store: own } : inMemory ? { store: (projector, clock) => openMemoryStore(projector, clock) } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.responders ? { responders: options.responders } : {}),
  });
  const server = await buildServer(app, { logger: false });
  const address = await server.listen({ port: 0, host: '127.0.0.1' });
  const token = async (role: Role) => (await app.accounts.createToken({ name: `test-${role}`, role, by: 'test' })).token;
  const dispatcherToken = await token('dispatcher');
  const request = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<TestResponse> => {
    const withAuth: Record<string, string> = { authorization: `Bearer ${dispatcherToken}`, ...headers };
    if (withAuth['authorization'] === '') delete withAuth['authorization'];
    const init: RequestInit = { method, headers: withAuth };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
    const res = await fetch(address + path, init);
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, headers: res.headers, body: parsed, text };
  };
  const readAll = async (after: number) => {
    const out: StoredEvent[] = [];
    for (;;) {
      const page = await app.store.readAfter(out.at(-1)?.seq ?? after, 1000);
      if (page.length === 0) return out;
      out.push(...page);
    }
  };
  return {
    base: address,
    app,
    server,
    dataDir,
    request,
    token: (role) => token(role),
    dispatcherToken,
    settle: () => app.responders.settle(),
    eventsAfter: readAll,
    head: () => app.store.headSeq(),
    close: async () => {
      await server.close();
      await app.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface TestVolunteer {
  readonly id: string;
  /** The device token sign-up issued. */
  readonly token: string;
  readonly at: LatLon;
}

/**
 * Signs a volunteer up through the registry (personal data, device token), declares and verifies
 * qualifications, puts them on duty and their phone's position into the live index.
 */
export async function addVolunteer(
  t: TestServer,
  o: { at: LatLon; quals?: readonly (readonly [QualificationKind, 'verified' | 'declared'])[]; available?: boolean; name?: string },
): Promise<TestVolunteer> {
  const v = t.app.volunteers;
  const meta = { actor: systemActor('test') };
  const signed = await v.signUp({ name: o.name ?? 'Test Volunteer', phone: '+1 415 555 0100', languages: ['en'], locationConsent: true });
  if (!signed.ok) throw new Error(`sign-up: ${signed.message}`);
  const id = signed.value.volunteerId;
  for (const [kind, state] of o.quals ?? [['cpr', 'verified']]) {
    const declared = await v.declare(id, kind, t.app.clock() + 365 * 86_400_000, meta);
    if (!declared.ok) throw new Error(`declare: ${declared.message}`);
    if (state === 'verified') {
      const verified = await v.verify(id, kind, 'test-supervisor', meta);
      if (!verified.ok) throw new Error(`verify: ${verified.message}`);
    }
  }
  if (o.available !== false) {
    const on = await v.update(id, { available: true }, meta);
    if (!on.ok) throw new Error(`on duty: ${on.message}`);
    const fix = await v.takePosition(id, { ...o.at, atMs: t.app.clock() });
    if (!fix.ok || !fix.value.kept) throw new Error(`position not kept: ${JSON.stringify(fix)}`);
  }
  return { id, token: signed.value.token, at: o.at };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Creates an incident over HTTP and returns its id. */
export async function postIncident(t: TestServer, body: Record<string, unknown>): Promise<string> {
  const res = await t.request('POST', '/api/incidents', body);
  expect(res.status, res.text).toBe(201);
  return res.body.id as string;
}

export const ofType = <T extends StoredEvent['type']>(events: readonly StoredEvent[], type: T) =>
  events.filter((e): e is Extract<StoredEvent, { type: T }> => e.type === type);

/** Polls `check` until it returns a value (not undefined) or `timeoutMs` passes. */
export async function eventually<T>(check: () => T | undefined | Promise<T | undefined>, timeoutMs = 5000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
