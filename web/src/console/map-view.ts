import L from 'leaflet';
import 'leaflet/dist/leaflet.css';

export interface LatLon {
  readonly lat: number;
  readonly lon: number;
}

/** Status colours, shared by the map and the unit board: what a dispatcher reads at a glance. */
export const STATUS_COLOUR: Readonly<Record<string, string>> = {
  available: '#1b7f3b',
  dispatched: '#c25e00',
  en_route: '#d08700',
  on_scene: '#b3261e',
  transporting: '#6a3fb5',
  at_hospital: '#6a3fb5',
  out_of_service: '#5f6368',
};

/**
 * The map, drawn on one canvas (Leaflet's canvas renderer): thousands of markers stay smooth. Layers
 * are keyed by id so live events move a marker rather than draw a second one.
 */
export class MapView {
  readonly map: L.Map;
  private readonly renderer = L.canvas({ padding: 0.5 });
  private readonly layers = new Map<string, L.CircleMarker>();

  constructor(container: HTMLElement, label: string) {
    container.setAttribute('role', 'region');
    container.setAttribute('aria-label', label);
    this.map = L.map(container, { preferCanvas: true, renderer: this.renderer, zoomControl: true, keyboard: true }).setView([37.7749, -122.4194], 13);
  }

  /** A line layer from GeoJSON (the bundled streets), under everything else. */
  addBasemap(geojson: GeoJSON.GeoJsonObject): void {
    L.geoJSON(geojson, { interactive: false, style: { color: '#9aa0a6', weight: 1, opacity: 0.7 } }).addTo(this.map);
  }

  put(id: string, at: LatLon, style: { colour: string; radius: number; title: string; fill?: number }): L.CircleMarker {
    let m = this.layers.get(id);
    if (!m) {
      m = L.circleMarker([at.lat, at.lon], { renderer: this.renderer, radius: style.radius, weight: 2 }).addTo(this.map);
      this.layers.set(id, m);
    } else m.setLatLng([at.lat, at.lon]);
    m.setStyle({ color: style.colour, fillColor: style.colour, fillOpacity: style.fill ?? 0.6, radius: style.radius });
    m.unbindTooltip().bindTooltip(style.title);
    return m;
  }

  remove(id: string): void {
    this.layers.get(id)?.remove();
    this.layers.delete(id);
  }

  focus(at: LatLon, zoom = 15): void {
    this.map.setView([at.lat, at.lon], Math.max(zoom, this.map.getZoom()));
  }
}
