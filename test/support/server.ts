import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { openSamaritan, type Samaritan, type SamaritanOptions } from '../../src/composition/samaritan.ts';
import type { RespondersOptions } from '../../src/composition/responders.ts';
import type { Cluster } from '../../src/store/cluster.ts';
import { openMemoryStore } from '../../src/store/memory/open-memory.ts';
import { buildServer } from '../../src/server/app.ts';
import type { Role, Scope } from '../../src/core/roles.ts';
import type { Clock } from '../../src/time/clock.ts';
import type { AccountsOptions } from '../../src/accounts/accounts.ts';
import type { Partner } from '../../src/config/partners-config.ts';
import type { WebhookSubscriber } from '../../src/config/webhooks-config.ts';
import type { WebhookOptions } from '../../src/composition/webhooks.ts';

export interface TestServer {
  readonly base: string;
  readonly app: Samaritan;
  readonly server: FastifyInstance;
  readonly dataDir: string;
  /**
   * A real HTTP request over a socket. JSON bodies are sent as application/json. It carries the
   * server's dispatcher token unless `headers` set their own authorization (or `authorization: ''`
   * for none).
   */
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<TestResponse>;
  /** Issues a bearer token for a role (and scopes, for integrations). */
  token(role: Role, scopes?: Scope[]): Promise<string>;
  /** The dispatcher token `request` uses by default. */
  readonly dispatcherToken: string;
  close(): Promise<void>;
}

export interface TestResponse {
  readonly status: number;
  readonly headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  readonly body: any;
  readonly text: string;
}

/**
 * Starts the real product with the demo city on a random loopback port. The log is the in-memory
 * store (it passes the same contract suite as SQLite) unless the test asks for SQLite, or reopens
 * an existing data dir, which is always SQLite.
 */
export async function startTestServer(
  options: {
    clock?: Clock;
    dataDir?: string;
    demoVolunteers?: boolean | number;
    /** A store of the test's own (several nodes on one store, with `cluster`). */
    store?: 'memory' | 'sqlite' | NonNullable<SamaritanOptions['store']>;
    /** A PostgreSQL URL: the node is one of those on that database. */
    database?: string;
    /** This node's place among several in one process (LocalHub.join()). */
    cluster?: Cluster;
    responders?: RespondersOptions;
    accounts?: AccountsOptions;
    partners?: readonly Partner[];
    webhooks?: readonly WebhookSubscriber[];
    webhookOptions?: WebhookOptions;
  } = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'samaritan-test-'));
  const own = typeof options.store === 'function' ? options.store : undefined;
  const inMemory = own === undefined && options.database === undefined && (options.store ?? (options.dataDir === undefined ? 'memory' : 'sqlite')) === 'memory';
  const app = await openSamaritan({
    dataDir,
    ...(own ? { store: own } : inMemory ? { store: (projector, clock) => openMemoryStore(projector, clock) } : {}),
    ...(options.database === undefined ? {} : { database: options.database }),
    ...(options.cluster ? { cluster: options.cluster } : {}),
    ...(options.responders ? { responders: options.responders } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.demoVolunteers === undefined ? {} : { demoVolunteers: options.demoVolunteers }),
    ...(options.accounts ? { accounts: options.accounts } : {}),
    ...(options.partners ? { partners: options.partners } : {}),
    ...(options.webhooks ? { webhooks: options.webhooks } : {}),
    ...(options.webhookOptions ? { webhookOptions: options.webhookOptions } : {}),
  });
  const server = await buildServer(app, { logger: false });
  const address = await server.listen({ port: 0, host: '127.0.0.1' });
  const token = async (role: Role, scopes: Scope[] = []) =>
    (await app.accounts.createToken({ name: `test-${role}`, role, scopes, by: 'test' })).token;
  const dispatcherToken = await token('dispatcher');
  const request = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const withAuth: Record<string, string> = { authorization: `Bearer ${dispatcherToken}`, ...headers };
    if (withAuth['authorization'] === '') delete withAuth['authorization'];
    const init: RequestInit = { method, headers: withAuth };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
    }
    const res = await fetch(address + path, init);
    const text = await res.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, headers: res.headers, body: parsed, text };
  };
  return {
    base: address,
    app,
    server,
    dataDir,
    request,
    token,
    dispatcherToken,
    close: async () => {
      await server.close();
      await app.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const CITY_HALL_CARDIAC_ARREST = {
  location: { lat: 37.7793, lon: -122.4193 },
  nature: 'cardiac_arrest',
  priority: 1,
  address: '1 Dr Carlton B Goodlett Pl',
  floor: '4',
  access: 'door code 1234',
} as const;
