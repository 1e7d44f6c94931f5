// One policy's replay on a thread of its own (see runPolicyOnThread): it loads the demo city's road
// graph, replays the calls it is given under its policies, and posts their results back.
import { parentPort, workerData } from 'node:worker_threads';
import { PROJECT_ROOT } from '../config/configuration.ts';
import { loadSfRouter } from '../routing/sf-demo.ts';
import { runSimulation } from './replay.ts';
import type { ThreadJob } from './policy-thread.ts';

const job = workerData as ThreadJob;
try {
  const result = await runSimulation({ ...job, count: job.calls.length, router: loadSfRouter(PROJECT_ROOT), callsFile: '' });
  parentPort?.postMessage({ policies: result.policies });
} catch (e) {
  parentPort?.postMessage({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
}
