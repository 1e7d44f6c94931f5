import type { StreamEvent } from '../shared/live-stream.ts';
import type { PublicWarning } from './public-warning-panel.ts';
import type { LatLon } from './map-view.ts';

export interface Station { readonly id: string; readonly name: string; readonly address?: string; readonly location: LatLon }
export interface Unit {
  id: string;
  name: string;
  unitType: string;
  capabilities: string[];
  stationId: string;
  status: string;
  statusChangedAt: string;
  incidentId?: string;
  position?: { location: LatLon; at: string };
  livePosition?: LatLon & { at: string; stale: boolean };
}
export interface Assignment { unitId: string; active?: boolean }
export interface TimelineEntry { seq: number; at: string; type: string; summary: string; by: string; actor?: { kind: string; id: string }; requestId?: string; unitId?: string; volunteerId?: string; data: Record<string, unknown> }
export interface Incident {
  id: string;
  status: string;
  nature: string;
  priority: number;
  location: LatLon;
  address?: string;
  floor?: string;
  access?: string;
  place?: string;
  receivedAt: string;
  statusChangedAt?: string;
  mergedInto?: string;
  assignments?: Assignment[];
  timeline?: TimelineEntry[];
  distanceM?: number;
  /** The caller's phone position (AML), when one matched the callback number. */
  callerLocation?: { location: LatLon; radiusM: number; locatedAt: string; method: string };
  /** A supervisor's warning to the public (OASIS CAP). */
  publicWarning?: PublicWarning;
  /** Hand-overs to partner centres (mutual aid), oldest first. */
  handovers?: HandOver[];
}
export interface HandOver { handoverId: string; partnerId: string; status: 'requested' | 'sent' | 'acknowledged' | 'refused'; partnerIncidentId?: string; refusal?: { reason: string } }
export interface Nature { nature: string; label: string; defaultPriority: number; units: { capability: string; count: number }[]; volunteerRoles: string[] }
export interface Aed { id: string; location: LatLon; placeName?: string; floor?: string; openNow?: boolean }

export const OPEN_STATUSES: readonly string[] = ['received', 'dispatched', 'en_route', 'on_scene'];

type Topic = 'incidents' | 'units' | 'incident' | 'volunteers' | 'callerLocation';

/**
 * What the console knows, kept current by the live stream alone: open incidents and units are
 * changed in place from each event; the panels listen by topic and redraw what they show.
 */
export class ConsoleData {
  readonly open = new Map<string, Incident>();
  readonly units = new Map<string, Unit>();
  readonly stations = new Map<string, Station>();
  natures: Nature[] = [];
  /** Seqs applied, in order: a test reads them to see that no event was applied twice. */
  readonly applied: number[] = [];
  private readonly listeners = new Map<Topic, Set<(id?: string) => void>>();

  on(topic: Topic, fn: (id?: string) => void): void {
    let set = this.listeners.get(topic);
    if (!set) this.listeners.set(topic, (set = new Set()));
    set.add(fn);
  }

  emit(topic: Topic, id?: string): void {
    for (const fn of this.listeners.get(topic) ?? []) fn(id);
  }

  natureLabel(nature: string, lang: string, fr: Readonly<Record<string, string>>): string {
    if (lang === 'fr' && fr[nature]) return fr[nature];
    return this.natures.find((n) => n.nature === nature)?.label ?? nature.replace(/_/g, ' ');
  }

  unitAt(u: Unit): LatLon | undefined {
    if (u.livePosition && !u.livePosition.stale) return u.livePosition;
    if (u.status !== 'available' && u.position) return u.position.location;
    return this.stations.get(u.stationId)?.location ?? u.position?.location;
  }

  /** Applies one streamed event; events of the log not about incidents or units only ping listeners. */
  apply(e: StreamEvent): void {
    this.applied.push(e.seq);
    const d = e.data;
    const incidentId = typeof d['incidentId'] === 'string' ? d['incidentId'] : undefined;
    switch (e.type) {
      case 'IncidentReceived': {
        const { incidentId: id, ...details } = d as unknown as Incident & { incidentId: string };
        this.open.set(id, { ...details, id, status: 'received', receivedAt: e.at, assignments: [] });
        this.emit('incidents', id);
        break;
      }
      case 'IncidentDetailsUpdated': {
        const i = incidentId && this.open.get(incidentId);
        if (i) Object.assign(i, d['changes']);
        this.emit('incidents', incidentId);
        break;
      }
      case 'IncidentStatusChanged': {
        const i = incidentId && this.open.get(incidentId);
        if (i) {
          i.status = String(d['to']);
          i.statusChangedAt = e.at;
          if (!OPEN_STATUSES.includes(i.status)) this.open.delete(i.id);
        }
        this.emit('incidents', incidentId);
        break;
      }
      case 'IncidentMerged':
        if (incidentId) this.open.delete(incidentId);
        this.emit('incidents', incidentId);
        break;
      case 'UnitStatusChanged': {
        const u = this.units.get(String(d['unitId']));
        if (u) {
          u.status = String(d['to']);
          u.statusChangedAt = e.at;
          if (incidentId && u.status !== 'available' && u.status !== 'out_of_service') u.incidentId = incidentId;
          else delete u.incidentId;
        }
        this.emit('units', u?.id);
        break;
      }
      case 'UnitPositionRecorded': {
        const u = this.units.get(String(d['unitId']));
        if (u) {
          u.position = { location: d['location'] as LatLon, at: e.at };
          delete u.livePosition;
        }
        this.emit('units', u?.id);
        break;
      }
      // A caller's phone sent its position (AML) for no incident yet: the new-incident form asks for it by number.
      case 'CallerLocationOffered':
        this.emit('callerLocation');
        break;
      default:
        break;
    }
    if (incidentId) this.emit(e.type.startsWith('Volunteer') ? 'volunteers' : 'incident', incidentId);
  }
}
