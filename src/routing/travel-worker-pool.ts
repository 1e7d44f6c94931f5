import { Worker } from 'node:worker_threads';
import type { LatLon } from '../core/lat-lon.ts';
import type { TravelOrigin, TravelResult } from '../core/travel-time.ts';
import type { Router } from './router.ts';
import type { ProfileName } from './travel-mode.ts';

/** Travel times from many origins to one destination, answered later: the port the reactors use. */
export type TravelTimes = (profile: ProfileName, destination: LatLon, origins: readonly TravelOrigin[]) => Promise<TravelResult[]>;

/** How long the worker may take to answer before the question is answered on this thread (ms). */
const ANSWER_WITHIN_MS = 2_000;

const answerHere = (w: Waiting) => {
  try {
    w.resolve(w.ask());
  } catch (err) {
    w.reject(err instanceof Error ? err : new Error(String(err)));
  }
};

interface Waiting {
  readonly resolve: (r: TravelResult[]) => void;
  readonly reject: (e: Error) => void;
  readonly ask: () => TravelResult[];
}

/**
 * A worker thread with its own copy of the road graph, for the searches that follow an incident
 * (volunteers' walking times, the first unit's driving time): the event loop that serves HTTP only
 * posts the question and takes the answer. Until the thread is ready, or if it fails, the same
 * question is answered on this thread by `fallback`, so an answer never waits on a broken worker.
 */
export class TravelWorker {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, Waiting>();
  private asked = 0;
  private ready = false;
  private failed: string | undefined;
  readonly started: Promise<void>;

  constructor(
    root: string,
    private readonly fallback: Router,
    private readonly onError: (e: unknown) => void = () => {},
  ) {
    // The thread runs the TypeScript sources as the main thread does, through tsx (travel-worker-boot.js).
    this.worker = new Worker(new URL('./travel-worker-boot.js', import.meta.url), { workerData: { root } });
    this.worker.unref();
    this.started = new Promise<void>((resolve) => {
      this.worker.on('message', (m: { ready?: boolean; id?: number; results?: TravelResult[]; error?: string }) => {
        if (m.ready === true) {
          this.ready = true;
          resolve();
          return;
        }
        const w = m.id === undefined ? undefined : this.waiting.get(m.id);
        if (w === undefined) return;
        this.waiting.delete(m.id!);
        if (m.results) w.resolve(m.results);
        else answerHere(w);
      });
      this.worker.on('error', (e) => {
        this.fail(e);
        resolve();
      });
      this.worker.on('exit', (code) => {
        this.fail(new Error(`travel worker exited with code ${code}`));
        resolve();
      });
    });
  }

  /** Answers on the worker thread when it is up, else here. */
  readonly times: TravelTimes = (profile, destination, origins) => {
    if (origins.length === 0) return Promise.resolve([]);
    if (!this.ready || this.failed !== undefined) return Promise.resolve(this.fallback.estimator(profile).travelTimes(destination, origins));
    const id = ++this.asked;
    const ask = () => this.fallback.estimator(profile).travelTimes(destination, origins);
    return new Promise<TravelResult[]>((resolve, reject) => {
      // A question the worker has not answered in time is answered here, so a stuck thread never
      // stops the reactors' queue.
      const timer = setTimeout(() => {
        const w = this.waiting.get(id);
        if (w === undefined) return;
        this.waiting.delete(id);
        answerHere(w);
      }, ANSWER_WITHIN_MS);
      timer.unref();
      const settle = <T>(f: (x: T) => void) => (x: T) => {
        clearTimeout(timer);
        f(x);
      };
      this.waiting.set(id, { resolve: settle(resolve), reject: settle(reject), ask });
      this.worker.postMessage({ id, profile, destination, origins: origins.map((o) => ({ id: o.id, location: o.location, unitType: o.unitType })) });
    });
  };

  private fail(e: Error): void {
    if (this.failed === undefined) this.onError(e);
    this.failed ??= e.message;
    // Questions in flight are answered here instead.
    for (const [, w] of this.waiting) answerHere(w);
    this.waiting.clear();
  }

  async close(): Promise<void> {
    this.failed ??= 'closed';
    await this.worker.terminate();
    this.fail(new Error('travel worker closed'));
  }
}
