import { Worker } from 'node:worker_threads';
import type { Scenario } from './scenario.ts';
import type { SimCall } from './sim-calls.ts';
import type { PolicyResult } from './sim-result.ts';
import type { TravelFactors } from './travel-factors.ts';

/** What a policy thread replays: the calls, the scenario with its policies (no recruitment), the seed and the travel factors. */
export interface ThreadJob {
  readonly calls: readonly SimCall[];
  readonly scenario: Scenario;
  readonly seed: number;
  readonly travelFactors: TravelFactors;
}

/**
 * Replays some policies on another thread, on the demo city's road graph. Each policy's world is
 * its own and draws its randomness per incident, so a policy replayed apart gives what it gives in
 * lockstep with the others, byte for byte; the two cores of a small machine then share the work.
 */
export function runPoliciesOnThread(job: ThreadJob): Promise<readonly PolicyResult[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./policy-worker-boot.js', import.meta.url), { workerData: job });
    worker.once('message', (m: { policies?: PolicyResult[]; error?: string }) => {
      if (m.policies) resolve(m.policies);
      else reject(new Error(`policy thread: ${m.error ?? 'no result'}`));
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}
