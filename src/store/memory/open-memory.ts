/**
 * The store in memory, for fast tests and the simulator. Nothing is durable: whatever it holds is
 * gone when it is closed or the process ends, and it cannot be reopened.
 *
 * Otherwise it keeps the SQLite store's semantics and passes the same contract suite
 * (src/store/contract.ts): appends take effect one at a time in call order, each resolving after the
 * caller's turn of the event loop; a request is applied whole or not at all (its events, snapshots,
 * idempotency record and record writes, rolled back together by an undo log); seq is gap-free;
 * snapshots are folded by the projector, `alsoAffects` included; and everything is kept as JSON
 * text, so what a caller reads is a copy it may change without changing the store.
 */
import type { Projector } from '../event-store.ts';
import type { Store } from '../store.ts';
import { Gate } from './gate.ts';
import { MemoryAccounts } from './memory-accounts.ts';
import { MemoryAeds } from './memory-aeds.ts';
import { MemoryOutbox } from './memory-outbox.ts';
import { MemoryShortLived } from './memory-short-lived.ts';
import { MemoryStore, type MemoryRetention } from './memory-store.ts';

export type { MemoryRetention } from './memory-store.ts';
import { MemoryVolunteerProfiles } from './memory-volunteer-profiles.ts';

export function openMemoryStore<S>(projector: Projector<S>, clock: () => number = () => Date.now(), retention?: MemoryRetention<S>): Store<S> {
  const gate = new Gate();
  const accounts = new MemoryAccounts(gate);
  const profiles = new MemoryVolunteerProfiles(gate);
  const aeds = new MemoryAeds(gate);
  const outbox = new MemoryOutbox(gate);
  const tables = [accounts, profiles, aeds, outbox];
  const events = new MemoryStore<S>(
    projector,
    (w, undo) => {
      if (!tables.some((t) => t.apply(w, undo))) throw new Error(`no table takes record write ${w.type}`);
    },
    gate,
    clock,
    retention,
  );
  const shortLived = new MemoryShortLived(gate);
  return { events, accounts, profiles, aeds, outbox, shortLived, writable: () => Promise.resolve(true), close: () => events.close() };
}
