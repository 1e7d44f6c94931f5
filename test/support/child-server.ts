import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** The real entry point, as an operator runs it. */
const BIN = fileURLToPath(new URL('../../bin/samaritan.js', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A loopback port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Issues a bearer token with the CLI, as an operator does (`samaritan token create`), with the server stopped. */
export async function createToken(dataDir: string, role = 'supervisor', env: Record<string, string> = {}): Promise<string> {
  const args = [BIN, 'token', 'create', '--role', role, '--name', `test-${role}`, '--data-dir', dataDir];
  const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env } });
  return stdout.trim();
}

export interface ChildResponse {
  readonly status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  readonly body: any;
  readonly headers: Headers;
}

export interface ChildServer {
  readonly base: string;
  readonly port: number;
  readonly dataDir: string;
  readonly process: ChildProcess;
  /** The last lines the server wrote, for failure messages. */
  output(): string;
  /** A real HTTP request; rejects when the connection fails (e.g. the server was killed). */
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ChildResponse>;
  /** Sends `signal` (SIGKILL by default: no shutdown code runs) and resolves once the process is gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

const live = new Set<ChildServer>();
// Should the test runner itself go away, take the servers along rather than leave them listening.
process.once('exit', () => {
  for (const s of live) s.process.kill('SIGKILL');
});

export interface SpawnOptions {
  /** Sent as `Authorization: Bearer <token>` on every request. */
  readonly token?: string;
  readonly timeoutMs?: number;
  /** Added to the server's environment (DATABASE_URL, a policy file…). */
  readonly env?: Record<string, string>;
}

/** Starts `samaritan serve` in a child process and resolves once GET /healthz answers 200. */
export async function spawnServer(dataDir: string, options: SpawnOptions = {}): Promise<ChildServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(dataDir, await freePort(), options);
    } catch (e) {
      // Someone else took the free port between the probe and the listen: try another one.
      if (attempt >= 3 || !String(e).includes('EADDRINUSE')) throw e;
    }
  }
}

async function startOnce(dataDir: string, port: number, options: SpawnOptions): Promise<ChildServer> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', String(port), '--data-dir', dataDir], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const base = `http://127.0.0.1:${port}`;

  const server: ChildServer = {
    base,
    port,
    dataDir,
    process: child,
    output: () => tail,
    async request(method, path, body, headers = {}) {
      const auth = options.token === undefined ? {} : { authorization: `Bearer ${options.token}` };
      const init: RequestInit = { method, headers: { ...auth, ...headers } };
      if (body !== undefined) {
        init.body = JSON.stringify(body);
        (init.headers as Record<string, string>)['content-type'] = 'application/json';
      }
      const res = await fetch(base + path, init);
      const text = await res.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = text;
      }
      return { status: res.status, body: parsed, headers: res.headers };
    },
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
      live.delete(server);
    },
  };
  live.add(server);

  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      live.delete(server);
      throw new Error(`samaritan serve exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${tail}`);
    }
    try {
      if ((await fetch(`${base}/healthz`)).status === 200) return server;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await server.kill();
      throw new Error(`samaritan serve was not ready within ${options.timeoutMs ?? 30_000} ms:\n${tail}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Kills every server this module started that is still running (for afterAll, pass or fail). */
export async function killAllServers(): Promise<void> {
  await Promise.all([...live].map((s) => s.kill()));
}

export { seededRandom } from '../../src/core/seeded-random.ts';
