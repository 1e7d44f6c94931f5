import { api } from '../shared/api.ts';
import type { Aed, ConsoleData } from './console-data.ts';
import type { Translate } from './context.ts';
import { KIND_COLOUR, STATUS_COLOUR, type MapView } from './map-view.ts';
import type { ConsoleKey } from './strings.ts';
import type { VolunteerWatch } from './volunteer-watch.ts';

/**
 * What the map shows, kept current from the console's data: the streets, stations, AEDs, units by
 * status, open incidents (a click opens one, as the queue does), and the volunteers near active incidents (only while they are active).
 */
export function drawMap(
  map: MapView, data: ConsoleData, watch: VolunteerWatch, t: Translate, natureLabel: (n: string) => string, aeds: readonly Aed[], openIncident: (id: string) => void,
): void {
  // A tile server on another host also needs its origin in the page's CSP img-src (src/server/app.ts
  // allows only 'self' and data:), or the browser refuses the tiles.
  void api<{ tileUrl?: string; attribution?: string }>('GET', '/api/map/config').then(
    (c) => c.tileUrl && map.addTiles(c.tileUrl, c.attribution ?? ''),
    () => undefined,
  );
  // The streets are large: they come after the console is usable, and the map draws them under the rest.
  void api<GeoJSON.GeoJsonObject>('GET', '/api/map/streets').then((g) => map.addBasemap(g), () => undefined);

  map.addLegend(t('legend'), [
    { colour: STATUS_COLOUR['available']!, label: t('legendAvailable') },
    { colour: STATUS_COLOUR['dispatched']!, label: t('unitStatus_dispatched') },
    { colour: STATUS_COLOUR['en_route']!, label: t('unitStatus_en_route') },
    { colour: STATUS_COLOUR['on_scene']!, label: t('unitStatus_on_scene') },
    { colour: STATUS_COLOUR['transporting']!, label: t('unitStatus_transporting') },
    { colour: STATUS_COLOUR['returning']!, label: t('unitStatus_returning') },
    { colour: STATUS_COLOUR['out_of_service']!, label: t('legendOut') },
    { colour: KIND_COLOUR.station, label: t('legendStation') },
    { colour: KIND_COLOUR.incident, label: t('legendIncident') },
    { colour: KIND_COLOUR.aed, label: t('legendAed') },
    { colour: KIND_COLOUR.volunteer, label: t('legendVolunteer') },
  ]);

  for (const s of data.stations.values()) map.put(`station:${s.id}`, s.location, { colour: KIND_COLOUR.station, radius: 9, title: s.name, fill: 0.08 });
  for (const a of aeds) map.put(`aed:${a.id}`, a.location, { colour: KIND_COLOUR.aed, radius: 3, title: `${t('aed')}${t('colon')}${a.placeName ?? a.id}`, fill: 0.9, weight: 1 });

  const drawUnit = (id: string) => {
    const u = data.units.get(id);
    const at = u && data.unitAt(u);
    if (u && at) map.put(`unit:${u.id}`, at, { colour: STATUS_COLOUR[u.status] ?? '#000', radius: 4, title: `${u.name}${t('colon')}${t(`unitStatus_${u.status}` as ConsoleKey)}` });
  };
  for (const id of data.units.keys()) drawUnit(id);
  data.on('units', (id) => (id ? drawUnit(id) : [...data.units.keys()].forEach(drawUnit)));

  const drawIncidents = () => {
    const keep = new Set<string>();
    for (const i of data.open.values()) {
      keep.add(`incident:${i.id}`);
      map.put(`incident:${i.id}`, i.location, { colour: KIND_COLOUR.incident, radius: 9, title: `${i.id} ${natureLabel(i.nature)} ${i.address ?? ''}`, fill: 0.3, onClick: () => openIncident(i.id) });
    }
    map.prune('incident:', keep);
  };
  drawIncidents();
  data.on('incidents', drawIncidents);

  watch.onChange((incidentId) => {
    const prefix = `volunteer:${incidentId}:`;
    const keep = new Set<string>();
    const active = data.open.has(incidentId);
    for (const a of (active && watch.views.get(incidentId)?.alerts) || []) {
      if (!a.position) continue;
      keep.add(prefix + a.volunteerId);
      map.put(prefix + a.volunteerId, a.position, { colour: KIND_COLOUR.volunteer, radius: 4, title: `${t('volunteerShort', { id: a.volunteerId })}${t('colon')}${t(`alert_${a.status}` as ConsoleKey)}`, fill: 0.9 });
    }
    map.prune(prefix, keep);
  });
}
