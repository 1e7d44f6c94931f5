import { buildArcGraph } from './arc-graph.ts';
import { HierarchyEngine } from './ch-query.ts';
import { contract } from './contraction.ts';
import { DijkstraEngine } from './dijkstra.ts';
import { speedsKey, type DriveProfile } from './drive-profile.ts';
import type { GraphBundle } from './graph-file.ts';
import { Router } from './router.ts';
import { RoadSnapper } from './snap.ts';
import { WALK_MODE, driveMode } from './travel-mode.ts';

/**
 * A router over a built bundle, on its contraction hierarchies. When the bundle's drive
 * hierarchy was built with other speeds than `drive` (the profile was recalibrated since), the
 * drive hierarchy is rebuilt in memory and `notice` says so.
 */
export function routerFromBundle(b: GraphBundle, drive: DriveProfile, notice: (message: string) => void = () => {}): Router {
  const mode = driveMode(drive);
  let driveH = b.hierarchies.drive;
  if (driveH === undefined || b.meta.driveSpeeds !== speedsKey(drive)) {
    notice('the road graph was built with other drive speeds than the drive profile: rebuilding its drive hierarchy in memory (run scripts/build-graph.ts to save it)');
    driveH = contract(buildArcGraph(b.graph, mode));
  }
  const walkH = b.hierarchies.walk ?? contract(buildArcGraph(b.graph, WALK_MODE));
  return new Router('road', b.graph, new RoadSnapper(b.graph), { drive: { mode, engine: new HierarchyEngine(driveH) }, walk: { mode: WALK_MODE, engine: new HierarchyEngine(walkH) } }, drive);
}

/** The same router on plain Dijkstra: the reference that hierarchy results are checked against. */
export function referenceRouter(b: GraphBundle, drive: DriveProfile): Router {
  const mode = driveMode(drive);
  return new Router('road-dijkstra', b.graph, new RoadSnapper(b.graph), {
    drive: { mode, engine: new DijkstraEngine(buildArcGraph(b.graph, mode)) },
    walk: { mode: WALK_MODE, engine: new DijkstraEngine(buildArcGraph(b.graph, WALK_MODE)) },
  }, drive);
}
