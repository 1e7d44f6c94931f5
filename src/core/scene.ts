import type { IncidentState } from './incident.ts';

/** What a volunteer needs of the scene: where, and how to get in. Never the caller's name or number. */
export function sceneOf(i: IncidentState): Record<string, unknown> {
  const d = i.details;
  return {
    location: d.location,
    ...(d.address === undefined ? {} : { address: d.address }),
    ...(d.floor === undefined ? {} : { floor: d.floor }),
    ...(d.access === undefined ? {} : { access: d.access }),
  };
}
