import type { AedRecord } from '../core/aed.ts';

/** The AED registry's table; entries are written with their `AedsImported` event (record write `aed.put`). */
export interface AedStore {
  all(): readonly AedRecord[];
}
