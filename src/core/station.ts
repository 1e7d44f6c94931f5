import type { PendingEvent } from './events.ts';
import type { LatLon } from './lat-lon.ts';

export interface StationState {
  readonly id: string;
  readonly name: string;
  readonly address: string;
  readonly location: LatLon;
  /** Where the station's position came from (a data set, or a geocoded public address). */
  readonly source: string;
}

/** Folds one event of a station's stream into its state. */
export function evolveStation(state: StationState | undefined, event: PendingEvent): StationState | undefined {
  if (event.type === 'StationOpened') {
    const { stationId, ...rest } = event.data;
    return { id: stationId, ...rest };
  }
  return state;
}
