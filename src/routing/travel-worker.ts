// The worker thread behind TravelWorker (travel-worker-pool.ts): it loads the demo city's road graph
// once and answers many-to-one travel-time questions, so that no search runs on the event loop
// that serves HTTP. Messages: { id, profile, destination, origins } → { id, results } | { id, error }.
import { parentPort, workerData } from 'node:worker_threads';
import type { LatLon } from '../core/lat-lon.ts';
import type { TravelOrigin } from '../core/travel-time.ts';
import type { ProfileName } from './travel-mode.ts';
import { loadSfRouter } from './sf-demo.ts';

interface Question {
  readonly id: number;
  readonly profile: ProfileName;
  readonly destination: LatLon;
  readonly origins: readonly TravelOrigin[];
}

const router = loadSfRouter((workerData as { root: string }).root);
const estimators = new Map<ProfileName, ReturnType<typeof router.estimator>>();
const estimator = (p: ProfileName) => {
  let e = estimators.get(p);
  if (e === undefined) estimators.set(p, (e = router.estimator(p)));
  return e;
};

parentPort?.on('message', (q: Question) => {
  try {
    parentPort?.postMessage({ id: q.id, results: estimator(q.profile).travelTimes(q.destination, q.origins) });
  } catch (e) {
    parentPort?.postMessage({ id: q.id, error: e instanceof Error ? e.message : String(e) });
  }
});
parentPort?.postMessage({ ready: true });
