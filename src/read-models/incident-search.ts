import type { StoredEvent } from '../core/events.ts';
import type { IncidentState } from '../core/incident.ts';
import { haversine, type LatLon } from '../core/lat-lon.ts';
import type { StreamState } from '../core/loaded.ts';
import { OPEN_INCIDENT_STATUSES, type IncidentStatus } from '../core/statuses.ts';
import type { EventStore } from '../store/event-store.ts';
import { incidentView, type IncidentView } from './queries.ts';

/** What a search reads of each incident, held in memory, newest first. The full view is loaded only for the page. */
interface Entry {
  readonly id: string;
  readonly receivedAt: string;
  readonly status: IncidentStatus;
  readonly nature: string;
  readonly location: LatLon;
  readonly merged: boolean;
  /** id, address, nature and notes, lower case, for `q`. */
  readonly text: string;
}

export interface IncidentFilter {
  /** Every word must appear in the id, address, nature or notes (case-insensitive). */
  readonly q?: string;
  readonly natures?: ReadonlySet<string>;
  /** undefined: every status. */
  readonly statuses?: readonly IncidentStatus[];
  /** receivedAt ≥ from and < to (ISO). */
  readonly from?: string;
  readonly to?: string;
  readonly limit: number;
  /** From a previous page's `next`. */
  readonly cursor?: string;
}

export interface IncidentPage {
  readonly incidents: IncidentView[];
  readonly next?: string;
}

export interface NearbyIncident extends IncidentView {
  readonly distanceM: number;
}

/** Entries looked at per request at most: a search that finds little answers with a cursor rather than scanning on. */
export const MAX_SCAN = 20_000;
/** Events read per round when catching up with the log. */
const CATCH_UP_PAGE = 2_000;
/** Further behind than this, reading every snapshot again is cheaper than following the events. */
const REBUILD_BEYOND = 50_000;

const newerFirst = (a: { receivedAt: string; id: string }, b: { receivedAt: string; id: string }) =>
  b.receivedAt < a.receivedAt ? -1 : b.receivedAt > a.receivedAt ? 1 : b.id < a.id ? -1 : b.id > a.id ? 1 : 0;

function entryOf(s: IncidentState): Entry {
  const d = s.details;
  return {
    id: s.id,
    receivedAt: s.receivedAt,
    status: s.status,
    nature: d.nature,
    location: d.location,
    merged: s.mergedInto !== undefined,
    text: [s.id, d.address, d.nature, d.notes].filter(Boolean).join('\n').toLowerCase(),
  };
}

/** An opaque position in the newest-first order: after the incident with this receivedAt and id. */
export function encodeCursor(e: { receivedAt: string; id: string }): string {
  return Buffer.from(JSON.stringify([e.receivedAt, e.id])).toString('base64url');
}

export function decodeCursor(cursor: string): { receivedAt: string; id: string } | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string' ? { receivedAt: v[0], id: v[1] } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Search over incidents, past and present: by words, nature, status and time, newest first, a page
 * at a time. It keeps one small entry per incident in memory, read from the snapshots on first use
 * and brought up to date from the log (by seq) before each answer, so a search sees every write
 * acknowledged before it. Each request looks at no more than MAX_SCAN entries.
 */
export class IncidentSearch {
  private entries: Entry[] = [];
  private byId = new Map<string, Entry>();
  private seenSeq = -1;

  constructor(private readonly store: EventStore<StreamState>) {}

  async search(f: IncidentFilter): Promise<IncidentPage> {
    await this.catchUp();
    const after = f.cursor === undefined ? undefined : decodeCursor(f.cursor);
    // Newest first: skip to the cursor, or to the end of the time window, by bisection.
    let i = after ? this.firstAfter(after) : f.to ? this.firstAfter({ receivedAt: f.to, id: '' }) : 0;
    const words = (f.q ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    const statuses = f.statuses && new Set(f.statuses);
    const hits: Entry[] = [];
    let scanned = 0;
    for (; i < this.entries.length && hits.length < f.limit && scanned < MAX_SCAN; i++, scanned++) {
      const e = this.entries[i]!;
      if (f.from && e.receivedAt < f.from) {
        i = this.entries.length;
        break;
      }
      if (f.to && e.receivedAt >= f.to) continue;
      if (statuses && !statuses.has(e.status)) continue;
      if (f.natures && !f.natures.has(e.nature)) continue;
      if (words.some((w) => !e.text.includes(w))) continue;
      hits.push(e);
    }
    const last = hits.length === f.limit ? hits[hits.length - 1] : i < this.entries.length ? this.entries[i - 1] : undefined;
    const incidents = await this.views(hits.map((h) => h.id));
    return { incidents, ...(last && i < this.entries.length ? { next: encodeCursor(last) } : {}) };
  }

  /** Open incidents anywhere in time, and any received since `sinceIso`, within `radiusM` of a point, nearest first; merged reports left out. */
  async nearby(at: LatLon, radiusM: number, sinceIso: string, limit: number): Promise<NearbyIncident[]> {
    await this.catchUp();
    const open = new Set<IncidentStatus>(OPEN_INCIDENT_STATUSES);
    const found: { e: Entry; d: number }[] = [];
    for (const e of this.entries) {
      if (e.merged || (e.receivedAt < sinceIso && !open.has(e.status))) continue;
      const d = haversine(at, e.location);
      if (d <= radiusM) found.push({ e, d });
    }
    found.sort((a, b) => a.d - b.d);
    const top = found.slice(0, limit);
    const views = await this.views(top.map((x) => x.e.id));
    return views.map((v, k) => ({ ...v, distanceM: Math.round(top[k]!.d) }));
  }

  private async views(ids: readonly string[]): Promise<IncidentView[]> {
    const snaps = await this.store.load(ids.map((id) => `incident-${id}`));
    return ids.flatMap((id) => {
      const s = snaps.get(`incident-${id}`)?.state as IncidentState | undefined;
      return s ? [incidentView(s)] : [];
    });
  }

  /** Index of the first entry that sorts after `key` in newest-first order. */
  private firstAfter(key: { receivedAt: string; id: string }): number {
    let lo = 0, hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (newerFirst(this.entries[mid]!, key) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private async catchUp(): Promise<void> {
    const head = await this.store.headSeq();
    if (this.seenSeq < 0 || head - this.seenSeq > REBUILD_BEYOND) {
      const all = (await this.store.list('incident', undefined, Number.MAX_SAFE_INTEGER)) as IncidentState[];
      this.entries = all.map(entryOf).sort(newerFirst);
      this.byId = new Map(this.entries.map((e) => [e.id, e]));
      this.seenSeq = head;
      return;
    }
    const changed = new Set<string>();
    while (this.seenSeq < head) {
      const page: readonly StoredEvent[] = await this.store.readAfter(this.seenSeq, CATCH_UP_PAGE);
      if (page.length === 0) break;
      for (const e of page) if (e.stream.startsWith('incident-')) changed.add(e.stream);
      this.seenSeq = page[page.length - 1]!.seq;
    }
    if (changed.size === 0) return;
    const snaps = await this.store.load([...changed]);
    for (const stream of changed) {
      const s = snaps.get(stream)?.state as IncidentState | undefined;
      if (s) this.put(entryOf(s));
    }
  }

  private put(e: Entry): void {
    const old = this.byId.get(e.id);
    if (old) this.entries.splice(this.firstAfter(old) - 1, 1);
    this.entries.splice(this.firstAfter(e), 0, e);
    this.byId.set(e.id, e);
  }
}
