import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { h } from './dom.ts';

export interface LatLon {
  readonly lat: number;
  readonly lon: number;
}

/** Status colours, shared by the map, the legend and the unit board: what a dispatcher reads at a glance. */
export const STATUS_COLOUR: Readonly<Record<string, string>> = {
  available: '#1b7f3b',
  dispatched: '#b04f00',
  en_route: '#8f5b00',
  on_scene: '#b3261e',
  transporting: '#3949ab',
  at_hospital: '#3949ab',
  returning: '#0b6e8a',
  out_of_service: '#5f6368',
};
export const KIND_COLOUR = { station: '#1a56c4', incident: '#d93025', aed: '#c2185b', volunteer: '#7b1fa2', caller: '#00695c' } as const;

/**
 * The map, drawn on one canvas (Leaflet's canvas renderer): thousands of markers stay smooth. Layers
 * are keyed by id so live events move a marker rather than draw a second one.
 */
export class MapView {
  readonly map: L.Map;
  private readonly renderer = L.canvas({ padding: 0.5 });
  private readonly layers = new Map<string, L.CircleMarker>();
  private readonly clicks = new Map<string, () => void>();
  private pin: L.Marker | undefined;
  private callerFix: L.Circle | undefined;

  constructor(container: HTMLElement, label: string) {
    container.setAttribute('role', 'region');
    container.setAttribute('aria-label', label);
    this.map = L.map(container, { preferCanvas: true, renderer: this.renderer, zoomControl: true, keyboard: true }).setView([37.7749, -122.4194], 13);
  }

  /** The bundled streets, drawn under everything else: the map needs no tile server. */
  addBasemap(geojson: GeoJSON.GeoJsonObject): void {
    L.geoJSON(geojson, {
      interactive: false,
      renderer: this.renderer,
      style: (f) => ({ color: '#8a9099', weight: roadWeight(f?.properties), opacity: 0.8 }),
    } as L.GeoJSONOptions).addTo(this.map);
    for (const m of this.layers.values()) m.bringToFront();
  }

  /** Online deployments may set a tile server; the street lines stay on top of it. */
  addTiles(url: string, attribution: string): void {
    L.tileLayer(url, { attribution, maxZoom: 19 }).addTo(this.map);
  }

  addLegend(title: string, rows: readonly { colour: string; label: string }[]): void {
    const Legend = L.Control.extend({
      onAdd: () =>
        h('section', { class: 'legend', 'aria-label': title },
          ...rows.map((r) => {
            const swatch = h('span', { class: 'swatch', 'aria-hidden': 'true' });
            swatch.style.background = r.colour;
            return h('div', {}, swatch, r.label);
          })),
    });
    new Legend({ position: 'bottomright' }).addTo(this.map);
  }

  /** `onClick`: what a click on the marker does (the latest one given counts). */
  put(id: string, at: LatLon, style: { colour: string; radius: number; title: string; fill?: number; weight?: number; onClick?: () => void }): L.CircleMarker {
    let m = this.layers.get(id);
    if (!m) {
      m = L.circleMarker([at.lat, at.lon], { renderer: this.renderer, radius: style.radius, weight: style.weight ?? 2 }).addTo(this.map);
      m.on('click', () => this.clicks.get(id)?.());
      this.layers.set(id, m);
    } else m.setLatLng([at.lat, at.lon]);
    if (style.onClick) this.clicks.set(id, style.onClick);
    m.setStyle({ color: style.colour, fillColor: style.colour, fillOpacity: style.fill ?? 0.6, radius: style.radius });
    m.unbindTooltip().bindTooltip(style.title);
    return m;
  }

  remove(id: string): void {
    this.layers.get(id)?.remove();
    this.layers.delete(id);
    this.clicks.delete(id);
  }

  /** Removes every layer whose key starts with `prefix` and is not in `keep`. */
  prune(prefix: string, keep: ReadonlySet<string>): void {
    for (const id of [...this.layers.keys()]) if (id.startsWith(prefix) && !keep.has(id)) this.remove(id);
  }

  focus(at: LatLon, zoom = 15): void {
    this.map.setView([at.lat, at.lon], Math.max(zoom, this.map.getZoom()), { animate: false });
  }

  center(): LatLon {
    const c = this.map.getCenter();
    return { lat: c.lat, lon: c.lng };
  }

  /** The new incident's pin: it can be dragged, and says where it was dropped. */
  setPin(at: LatLon, label: string, onMove: (at: LatLon) => void): void {
    if (!this.pin) {
      this.pin = L.marker([at.lat, at.lon], {
        draggable: true,
        autoPan: true,
        keyboard: true,
        title: label,
        alt: label,
        icon: L.divIcon({ className: 'pin', iconSize: [22, 22], iconAnchor: [11, 22] }),
      }).addTo(this.map);
      this.pin.on('dragend', () => {
        const p = this.pin!.getLatLng();
        onMove({ lat: p.lat, lon: p.lng });
      });
    } else this.pin.setLatLng([at.lat, at.lon]);
    this.focus(at, 16);
  }

  clearPin(): void {
    this.pin?.remove();
    this.pin = undefined;
  }

  /** Where the caller's phone says it is: a circle of its accuracy radius (metres), drawn under the pin. */
  showCallerFix(at: LatLon, radiusM: number, label: string): void {
    this.callerFix?.remove();
    this.callerFix = L.circle([at.lat, at.lon], {
      renderer: this.renderer,
      radius: Math.max(radiusM, 5),
      color: KIND_COLOUR.caller,
      fillColor: KIND_COLOUR.caller,
      fillOpacity: 0.15,
      weight: 2,
      dashArray: '6 4',
      interactive: false,
    }).addTo(this.map);
    this.callerFix.bindTooltip(label);
    if (!this.pin) this.focus(at, 16);
  }

  clearCallerFix(): void {
    this.callerFix?.remove();
    this.callerFix = undefined;
  }
}

function roadWeight(p: unknown): number {
  const cls = String((p as Record<string, unknown> | null)?.['class'] ?? (p as Record<string, unknown> | null)?.['MTFCC'] ?? '');
  return /primary|motorway|trunk|S11/i.test(cls) ? 2.5 : /secondary|S12/i.test(cls) ? 1.8 : 1;
}
