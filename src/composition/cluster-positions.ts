import type { StreamState } from '../core/loaded.ts';
import { volunteerStream } from '../core/streams.ts';
import type { VolunteerState } from '../core/volunteer.ts';
import type { FleetView } from '../fleet/fleet-view.ts';
import type { PositionIntake } from '../geo/position-intake.ts';
import { PositionRelay } from '../geo/position-relay.ts';
import type { Cluster } from '../store/cluster.ts';
import type { EventStore } from '../store/event-store.ts';
import type { Clock } from '../time/clock.ts';
import { matchable, type VolunteerLiveIndex } from '../volunteers/volunteer-live-index.ts';

/**
 * Joins this node's live index to the other nodes': the fixes taken here go out in batches, and
 * those taken elsewhere come in with the attribute word this node's read model gives them — a
 * unit's status and capabilities from the fleet, a volunteer's duty and qualifications from their
 * snapshot (read once per batch). A unit this node does not know yet, or a volunteer no longer on
 * duty, is left out, as their own fixes would be here.
 */
export function relayPositions(d: {
  readonly cluster: Cluster;
  readonly time: Clock;
  readonly positions: PositionIntake;
  readonly fleet: FleetView;
  readonly store: EventStore<StreamState>;
  readonly live: VolunteerLiveIndex;
  readonly onError: (e: unknown) => void;
}): PositionRelay {
  const { positions } = d;
  const relay = new PositionRelay(
    d.cluster,
    d.time,
    async (batch) => {
      for (const f of batch.units) {
        const u = d.fleet.unit(f.id);
        if (u) positions.takeRelayed(f, positions.attrs.unit(u.status, u.capabilities));
      }
      if (batch.volunteers.length > 0) {
        const loaded = await d.store.load(batch.volunteers.map((f) => volunteerStream(f.id)));
        for (const f of batch.volunteers) {
          const v = loaded.get(volunteerStream(f.id))?.state as VolunteerState | undefined;
          if (v !== undefined && matchable(v)) positions.takeRelayed(f, d.live.attrsOf(v));
        }
      }
    },
    d.onError,
  );
  positions.relayTo(relay);
  relay.start();
  return relay;
}
