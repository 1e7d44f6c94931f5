import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { api } from '../shared/api.ts';
import { h } from './dom.ts';
import { t } from './locale.ts';
import type { LatLon, RouteLeg } from './volunteer-api.ts';

/** One colour per thing, the same on the map and in its legend. */
export const COLOUR = { you: '#1a56c4', aed: '#00695c', scene: '#b3261e' } as const;

export interface MapContent {
  readonly you?: LatLon | undefined;
  readonly aed?: LatLon | undefined;
  readonly scene?: LatLon | undefined;
  /** Before the accept: the area of about 100 m, not the place. */
  readonly area?: (LatLon & { readonly withinM: number }) | undefined;
  readonly route?: readonly RouteLeg[] | undefined;
}

/** The bundled streets, fetched once per page: the map needs no tile server and works offline. */
let streets: Promise<GeoJSON.GeoJsonObject | undefined> | undefined;
const loadStreets = () => (streets ??= api<GeoJSON.GeoJsonObject>('GET', '/api/map/streets').catch(() => undefined));

/** A legend entry: a filled square for a point, a short line (dashed like the map's) for a walking leg. */
const swatch = (colour: string, label: string, kind: 'point' | 'line' | 'dashed' = 'point') => {
  const s = h('span', { class: `swatch ${kind}`, 'aria-hidden': 'true' });
  if (kind === 'point') s.style.background = colour;
  else s.style.borderTopColor = colour;
  return h('li', {}, s, label);
};

/**
 * The way there on a Leaflet map drawn on one canvas: the walking legs (to the AED, then to the
 * patient) from the alert's route geometry, and the points they join. A legend below names the
 * colours in words, so that the map is not the only way to read them.
 */
export function routeMap(content: MapContent, size: 'full' | 'compact' = 'full'): { el: HTMLElement; map: L.Map } {
  const box = h('div', { class: `route-map ${size}`, role: 'region', 'aria-label': t(size === 'full' ? 'mapLabel' : 'areaMapLabel') });
  const renderer = L.canvas({ padding: 0.5 });
  const map = L.map(box, { preferCanvas: true, renderer, zoomControl: true, keyboard: true, attributionControl: false }).setView([37.7749, -122.4194], 15);
  L.control.scale({ imperial: false }).addTo(map);
  void loadStreets().then((geojson) => {
    if (geojson) L.geoJSON(geojson, { interactive: false, style: { color: '#9aa0a6', weight: 1, opacity: 0.8 } }).addTo(map).bringToBack();
  });
  const bounds = L.latLngBounds([]);
  for (const leg of content.route ?? []) {
    const line = leg.geometry.coordinates.map(([lon, lat]) => L.latLng(lat, lon));
    L.polyline(line, { renderer, color: leg.to === 'aed' ? COLOUR.aed : COLOUR.scene, weight: 6, opacity: 0.85, ...(leg.to === 'aed' ? { dashArray: '10 8' } : {}) }).addTo(map);
    for (const p of line) bounds.extend(p);
  }
  const point = (at: LatLon | undefined, colour: string, label: string, radius = 9) => {
    if (!at) return;
    L.circleMarker([at.lat, at.lon], { renderer, radius, color: '#fff', weight: 3, fillColor: colour, fillOpacity: 1 }).bindTooltip(label).addTo(map);
    bounds.extend([at.lat, at.lon]);
  };
  if (content.area) {
    const c = L.circle([content.area.lat, content.area.lon], { renderer, radius: content.area.withinM, color: COLOUR.scene, weight: 2, fillOpacity: 0.15 }).addTo(map);
    bounds.extend(c.getLatLng().toBounds(content.area.withinM * 2));
  }
  const start = content.route?.[0]?.geometry.coordinates[0];
  const end = content.route?.at(-1)?.geometry.coordinates.at(-1);
  // The route runs on the street network: thin dotted links join it to the points off the street.
  const link = (a: LatLon | undefined, b: readonly [number, number] | undefined) => {
    if (a && b) L.polyline([[a.lat, a.lon], [b[1], b[0]]], { renderer, color: '#5f6368', weight: 2, dashArray: '2 5' }).addTo(map);
  };
  link(content.you, start);
  link(content.scene, end);
  point(content.you ?? (start ? { lat: start[1], lon: start[0] } : undefined), COLOUR.you, t('legendYou'), 8);
  point(content.aed, COLOUR.aed, t('legendAed'));
  point(content.scene, COLOUR.scene, t('legendScene'), 10);
  const legend = h(
    'ul',
    { class: 'legend' },
    swatch(COLOUR.you, t('legendYou')),
    content.aed ? swatch(COLOUR.aed, t('legendAed')) : undefined,
    swatch(COLOUR.scene, t('legendScene')),
    content.route?.some((l) => l.to === 'aed') ? swatch(COLOUR.aed, t('legendWalkAed'), 'dashed') : undefined,
    content.route?.some((l) => l.to === 'scene') ? swatch(COLOUR.scene, t('legendWalkScene'), 'line') : undefined,
  );
  const el = h('div', { class: `map-block ${size}` }, box, legend);
  // Leaflet measures its box: fit once it is in the page and laid out.
  requestAnimationFrame(() => {
    map.invalidateSize();
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [28, 28], maxZoom: 17 });
  });
  return { el, map };
}
