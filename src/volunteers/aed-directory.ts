import type { Aed } from '../core/aed.ts';
import { haversine, type LatLon } from '../core/lat-lon.ts';
import type { AedRegistry } from './aeds.ts';

/**
 * Where the response engine finds defibrillators near a scene: the AED registry (src/app/aeds.ts)
 * in the product, a fixed list in tests. Each AED comes with its opening hours in the UTC offset
 * of its place at instant `atMs`, so daylight saving stays out of the core.
 */
export interface AedDirectory {
  /** AEDs of any status (the core says why an unusable one is passed over) within `radiusM`, nearest first. */
  near(location: LatLon, radiusM: number, limit: number, atMs: number): readonly Aed[];
}

export const registryDirectory = (registry: AedRegistry): AedDirectory => ({
  near: (location, radiusM, limit, atMs) => registry.aedsNear(location, radiusM, atMs).slice(0, limit),
});

/** A fixed list of AEDs, searched by distance (their opening hours carry a fixed offset). */
export class InMemoryAedDirectory implements AedDirectory {
  constructor(private readonly aeds: readonly Aed[] = []) {}

  near(location: LatLon, radiusM: number, limit: number): readonly Aed[] {
    return this.aeds
      .map((aed) => ({ aed, d: haversine(location, aed.location) }))
      .filter((x) => x.d <= radiusM)
      .sort((a, b) => a.d - b.d || a.aed.id.localeCompare(b.aed.id))
      .slice(0, limit)
      .map((x) => x.aed);
  }
}
