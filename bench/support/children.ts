import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The repository root: children run from here so `bin/…` and `--import tsx` resolve. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A server the benchmark started as a child process, on a loopback port. */
export interface ChildServer {
  readonly name: string;
  readonly base: string;
  readonly pid: number;
  /** SIGTERM, then SIGKILL after 5 s; resolves once it has exited. */
  stop(): Promise<void>;
  /** SIGKILL at once, as a crash would; resolves once it has exited. */
  kill(): Promise<void>;
}

const running = new Set<ChildProcess>();
let cleanupInstalled = false;

/** Kills the children this process started (by their pid) if the benchmark is interrupted. */
function installCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  const killAll = () => {
    for (const c of running) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  };
  process.once('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killAll();
      process.exit(130);
    });
  }
}

/** A TCP port that was free a moment ago (the child binds it right after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      s.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts `node ARGS…` from the repository root and waits until GET healthPath answers 200.
 * The child's stderr is kept (last 8 kB) and shown if it fails to start or dies.
 */
export async function startChild(options: {
  name: string;
  port: number;
  args: readonly string[];
  env?: Readonly<Record<string, string>>;
  healthPath: string;
  startTimeoutMs?: number;
}): Promise<ChildServer> {
  installCleanup();
  const base = `http://127.0.0.1:${options.port}`;
  const child = spawn(process.execPath, [...options.args], {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  running.add(child);
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (d: string) => {
    stderr = (stderr + d).slice(-8000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      running.delete(child);
      throw new Error(`${options.name} exited during start-up (${child.exitCode ?? child.signalCode}):\n${stderr}`);
    }
    try {
      const res = await fetch(base + options.healthPath);
      await res.arrayBuffer();
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      running.delete(child);
      throw new Error(`${options.name} did not answer ${options.healthPath} within the start-up timeout:\n${stderr}`);
    }
    await sleep(100);
  }
  return {
    name: options.name,
    base,
    pid: child.pid ?? -1,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      running.delete(child);
    },
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
      running.delete(child);
    },
  };
}

/**
 * Starts `node --import tsx SCRIPT` from the repository root with an IPC channel (for helpers that
 * take orders and report results as messages, e.g. support/load-generator.ts). It is killed with
 * the benchmark if the benchmark is interrupted; its stderr goes to the benchmark's.
 */
export function forkScript(script: string): ChildProcess {
  installCleanup();
  const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/** Runs `node ARGS…` from the repository root to completion; resolves with its exit code and output. */
export function runNode(args: readonly string[], env?: Readonly<Record<string, string>>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...args], { cwd: ROOT, env: { ...process.env, ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}
