import { api } from '../shared/api.ts';
import type { ConsoleData } from './console-data.ts';
import type { VolunteerResponse } from './volunteer-panel.ts';

/**
 * The volunteer response of each open incident, read again when the stream says it changed (one
 * read per burst of events, never on a timer). Positions come with it only while the incident is active.
 */
export class VolunteerWatch {
  readonly views = new Map<string, VolunteerResponse | null>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly listeners = new Set<(incidentId: string) => void>();

  constructor(private readonly data: ConsoleData) {
    data.on('volunteers', (id) => id && this.refresh(id));
    data.on('incidents', (id) => {
      if (id && !data.open.has(id) && this.views.delete(id)) this.tell(id);
    });
  }

  onChange(fn: (incidentId: string) => void): void {
    this.listeners.add(fn);
  }

  /** The open incidents whose nature calls for volunteers, most recent first, at most `limit`. */
  watchOpen(limit: number): void {
    const wanting = new Set(this.data.natures.filter((n) => n.volunteerRoles.length).map((n) => n.nature));
    const recent = [...this.data.open.values()].filter((i) => wanting.has(i.nature)).sort((a, b) => b.receivedAt.localeCompare(a.receivedAt)).slice(0, limit);
    for (const i of recent) this.refresh(i.id, 0);
  }

  refresh(incidentId: string, delayMs = 250): void {
    clearTimeout(this.timers.get(incidentId));
    this.timers.set(incidentId, setTimeout(() => void this.load(incidentId), delayMs));
  }

  private async load(incidentId: string): Promise<void> {
    this.timers.delete(incidentId);
    try {
      const r = await api<{ response: VolunteerResponse | null }>('GET', `/api/incidents/${encodeURIComponent(incidentId)}/volunteers`);
      this.views.set(incidentId, r.response);
    } catch {
      this.views.set(incidentId, null);
    }
    this.tell(incidentId);
  }

  private tell(id: string): void {
    for (const fn of this.listeners) fn(id);
  }
}
