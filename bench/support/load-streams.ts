// Load from separate processes: the parent side of support/load-generator.ts. Each stream is one
// `node --import tsx bench/support/load-generator.ts` child that talks to the server over its own
// keep-alive connections and takes orders over IPC:
//
//   parent → child  {type:'config', config}   child → parent  {type:'ready'}
//   parent → child  {type:'start'}            load begins (warm-up: not counted in the window)
//   parent → child  {type:'mark'}             the measured window opens
//   parent → child  {type:'stop'}             no new requests; in-flight ones are awaited
//                                             child → parent  {type:'result', result}, then it exits
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { forkScript } from './children.ts';
import type { MsStats } from './stats.ts';

export interface StreamConfig {
  /** Shown in the report, e.g. "incidents" or "fixes 1". */
  readonly name: string;
  readonly base: string;
  readonly kind: 'incidents' | 'positions';
  /** Bearer tokens; a closed-loop connection uses tokens[i % n], an open-loop stream rotates them per request. */
  readonly tokens: readonly string[];
  /**
   * The route's per-credential rate limit, less a margin: no token sends more than this in any 60 s.
   * A request that would is held back (and counted), never sent to be refused. 0: no limit.
   */
  readonly perTokenPerMinute: number;
  /** Keep-alive connections (the most requests in flight at once). */
  readonly connections: number;
  /** Open loop at this many requests per second; absent: closed loop (each connection sends its next as soon as the previous is answered). */
  readonly ratePerS?: number;
  /** Fixes per POST /api/positions. */
  readonly batch?: number;
  readonly unitIds?: readonly string[];
  /**
   * spread: every fix a fresh random point in the box (each moves its unit more than the log's
   * sampling distance, so each is written to the log); drive: each unit circles within 100 m of a
   * home point (fixes update the live map; the log gets the time-based samples only).
   */
  readonly motion?: 'spread' | 'drive';
  readonly seed: number;
  /** Safety: the child stops by itself after this many seconds. */
  readonly maxS: number;
}

export interface StreamResult {
  readonly name: string;
  readonly kind: StreamConfig['kind'];
  /** Seconds between mark and stop. */
  readonly windowS: number;
  /** Requests due (open loop) or sent (closed loop) in the window. */
  readonly sent: number;
  /** 2xx answers that arrived in the window: the load carried. */
  readonly ok: number;
  /** Of the requests sent in the window: not 2xx, no answer at all (socket error or 30 s timeout). */
  readonly non2xx: number;
  readonly errors: number;
  readonly statusCodes: Readonly<Record<string, number>>;
  /** Fixes in the requests sent in the window. */
  readonly fixesSent: number;
  /** Requests sent but not yet answered when the window closed: the server's backlog. */
  readonly inFlightAtStop: number;
  /** From the 2xx answers of POST /api/positions that arrived in the window. */
  readonly fixesAccepted: number;
  readonly fixesRecorded: number;
  readonly fixesRejected: number;
  /** Request latency in the window, ms: from the scheduled send time (open loop) or the send (closed loop) to the whole answer. */
  readonly latency: MsStats;
  /** The same over the whole run: warm-up, window and the drain after stop. */
  readonly all: {
    readonly sent: number;
    readonly ok: number;
    readonly non2xx: number;
    readonly errors: number;
    readonly fixesRejected: number;
    readonly maxMs: number;
  };
  /** Requests the per-credential budget held back, and for how long in all (ms). */
  readonly budgetHeld: number;
  readonly budgetHeldMs: number;
  /** Open loop: the most the sending fell behind its schedule (ms); the client could not keep up if this is large. */
  readonly maxLagMs: number;
  /** The first non-2xx answer or error, for the report. */
  readonly firstProblem?: string;
}

export type ToChild = { type: 'config'; config: StreamConfig } | { type: 'start' } | { type: 'mark' } | { type: 'stop' };
export type FromChild = { type: 'ready' } | { type: 'result'; result: StreamResult } | { type: 'failed'; message: string };

const SCRIPT = fileURLToPath(new URL('./load-generator.ts', import.meta.url));

/** One load-generator process. */
export class LoadStream {
  private readonly results: Promise<StreamResult>;
  private readonly ready: Promise<void>;

  private constructor(
    readonly config: StreamConfig,
    private readonly child: ChildProcess,
  ) {
    let onReady: () => void = () => undefined;
    let onReadyFail: (e: Error) => void = () => undefined;
    this.ready = new Promise<void>((resolve, reject) => {
      onReady = resolve;
      onReadyFail = reject;
    });
    this.results = new Promise<StreamResult>((resolve, reject) => {
      child.on('message', (raw) => {
        const m = raw as FromChild;
        if (m.type === 'ready') onReady();
        else if (m.type === 'result') resolve(m.result);
        else {
          const e = new Error(`load generator ${config.name} failed: ${m.message}`);
          onReadyFail(e);
          reject(e);
        }
      });
      child.once('exit', (code, signal) => {
        const e = new Error(`load generator ${config.name} exited (${code ?? signal}) before it reported`);
        onReadyFail(e);
        reject(e);
      });
    });
    // Both are awaited later; keep an early failure from being an unhandled rejection meanwhile.
    this.ready.catch(() => undefined);
    this.results.catch(() => undefined);
  }

  /** Spawns the process and waits until it has built its request bodies. */
  static async spawn(config: StreamConfig): Promise<LoadStream> {
    const s = new LoadStream(config, forkScript(SCRIPT));
    s.send({ type: 'config', config });
    await s.ready;
    return s;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  private send(m: ToChild): void {
    if (this.child.connected) this.child.send(m);
  }

  start(): void {
    this.send({ type: 'start' });
  }

  mark(): void {
    this.send({ type: 'mark' });
  }

  /** Stops the load and resolves with the figures once in-flight requests are answered. */
  async stop(): Promise<StreamResult> {
    this.send({ type: 'stop' });
    return this.results;
  }
}

/** Spawns all streams, then starts them together. */
export async function startStreams(configs: readonly StreamConfig[]): Promise<LoadStream[]> {
  const streams = await Promise.all(configs.map((c) => LoadStream.spawn(c)));
  for (const s of streams) s.start();
  return streams;
}
