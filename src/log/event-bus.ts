import type { StoredEvent } from '../core/events.ts';

type Listener = (events: readonly StoredEvent[]) => void;

/** Publishes appended events to in-process subscribers (the WebSocket hub, the alert queue). */
export class EventBus {
  private readonly listeners = new Set<Listener>();

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(events: readonly StoredEvent[]): void {
    for (const l of this.listeners) l(events);
  }
}
