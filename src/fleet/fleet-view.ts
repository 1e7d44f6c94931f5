import { evolve } from '../core/evolve.ts';
import type { StationState } from '../core/station.ts';
import { parseStream } from '../core/streams.ts';
import type { UnitState } from '../core/unit.ts';
import type { StreamState } from '../core/loaded.ts';
import type { EventStore } from '../store/event-store.ts';
import type { LogTail } from '../log/log-tail.ts';

/**
 * Units and stations held in memory, kept current by following the log, because every
 * recommendation reads the whole fleet.
 */
export class FleetView {
  private readonly unitById = new Map<string, UnitState>();
  private readonly stationById = new Map<string, StationState>();

  static async load(store: EventStore<StreamState>, tail: LogTail): Promise<FleetView> {
    const view = new FleetView();
    for (const u of (await store.list('unit')) as UnitState[]) view.unitById.set(u.id, u);
    for (const s of (await store.list('station')) as StationState[]) view.stationById.set(s.id, s);
    tail.follow((events) => {
      for (const e of events) {
        const target = parseStream(e.stream);
        if (target?.kind === 'unit') {
          const next = evolve(view.unitById.get(target.id), e) as UnitState | undefined;
          if (next) view.unitById.set(target.id, next);
        } else if (target?.kind === 'station') {
          const next = evolve(view.stationById.get(target.id), e) as StationState | undefined;
          if (next) view.stationById.set(target.id, next);
        }
      }
    });
    return view;
  }

  units(): UnitState[] {
    return [...this.unitById.values()];
  }

  unit(id: string): UnitState | undefined {
    return this.unitById.get(id);
  }

  stations(): StationState[] {
    return [...this.stationById.values()];
  }

  station(id: string): StationState | undefined {
    return this.stationById.get(id);
  }
}
