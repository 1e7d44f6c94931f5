import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { openSamaritan, type Samaritan } from '../../src/composition/samaritan.ts';
import type { Partner } from '../../src/config/partners-config.ts';
import { buildServer } from '../../src/server/app.ts';
import { openMemoryStore } from '../../src/store/memory/open-memory.ts';

/** A port that was free a moment ago on 127.0.0.1 (two centres must know each other's address before either starts). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

export interface Centre {
  readonly base: string;
  readonly app: Samaritan;
  readonly server: FastifyInstance;
  /** Lines the hand-over sender wrote. */
  readonly log: string[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any; text: string }>;
  close(): Promise<void>;
}

/**
 * One Samaritan centre on a given loopback port, with its partners and short hand-over retries
 * (about 50 ms, doubling up to 400 ms, no jitter). Its data lives in a data dir of its own.
 */
export async function startCentre(port: number, partners: readonly Partner[], dataDir?: string): Promise<Centre> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'samaritan-centre-'));
  const log: string[] = [];
  const app = await openSamaritan({
    dataDir: dir,
    store: (projector, clock) => openMemoryStore(projector, clock),
    partners,
    handovers: { backoffMs: 50, maxBackoffMs: 400, random: () => 1, log: (line) => log.push(line) },
  });
  const server = await buildServer(app, { logger: false });
  const base = await server.listen({ port, host: '127.0.0.1' });
  const supervisor = (await app.accounts.createToken({ name: 'test-supervisor', role: 'supervisor', scopes: [], by: 'test' })).token;
  const request = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const h: Record<string, string> = { authorization: `Bearer ${supervisor}`, ...headers };
    if (h['authorization'] === '') delete h['authorization'];
    const init: RequestInit = { method, headers: h };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      h['content-type'] ??= 'application/json';
    }
    const res = await fetch(base + path, init);
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, body: parsed, text };
  };
  return {
    base,
    app,
    server,
    log,
    request,
    close: async () => {
      await server.close();
      await app.close();
      if (dataDir === undefined) rmSync(dir, { recursive: true, force: true });
    },
  };
}
