import { api, ApiFailure, setCsrfToken } from '../shared/api.ts';
import { chooseLang, currentLang, LANGS, translator, type Lang } from '../shared/i18n.ts';
import { LiveStream, sessionTicket, type StreamEvent } from '../shared/live-stream.ts';
import { h } from './dom.ts';
import { MapView, STATUS_COLOUR, type LatLon } from './map-view.ts';
import { signIn } from './sign-in.ts';
import { STRINGS } from './strings.ts';
import './console.css';

const t = translator(STRINGS);

interface Station { id: string; name: string; location: LatLon }
interface Unit { id: string; name: string; status: string; stationId?: string; position?: LatLon; livePosition?: LatLon }
interface Incident { id: string; status: string; nature: string; priority?: number; address?: string; location: LatLon; receivedAt: string }

async function boot(): Promise<void> {
  const root = document.getElementById('app')!;
  document.title = t('title');
  for (;;) {
    try {
      const session = await api<{ csrfToken?: string }>('GET', '/api/session');
      setCsrfToken(session.csrfToken);
      break;
    } catch (e) {
      if (!(e instanceof ApiFailure) || e.error.status !== 401) throw e;
      await signIn(root, t);
    }
  }
  await consoleView(root);
}

async function consoleView(root: HTMLElement): Promise<void> {
  const banner = h('div', { class: 'banner', role: 'status', 'aria-live': 'polite' }, t('connecting'));
  const list = h('ol', { class: 'incident-list', 'aria-label': t('incidents') });
  const mapEl = h('div', { class: 'map' });
  const lang = h('select', { 'aria-label': t('language'), onchange: () => { chooseLang(lang.value as Lang); location.reload(); } },
    ...LANGS.map((l) => h('option', { value: l, selected: l === currentLang() }, l.toUpperCase())));
  const signOut = h('button', { type: 'button', onclick: () => void api('DELETE', '/api/session').then(() => location.reload()) }, t('signOut'));
  root.replaceChildren(
    h('header', { class: 'top' }, h('h1', {}, t('title')), banner, lang, signOut),
    h('section', { class: 'queue', 'aria-labelledby': 'queue-title' }, h('h2', { id: 'queue-title' }, t('incidents')), list),
    h('main', { class: 'map-pane' }, mapEl),
  );
  const map = new MapView(mapEl, t('map'));

  const [{ stations }, { units }, { incidents }] = await Promise.all([
    api<{ stations: Station[] }>('GET', '/api/stations'),
    api<{ units: Unit[] }>('GET', '/api/units'),
    api<{ incidents: Incident[] }>('GET', '/api/incidents?status=open'),
  ]);
  const stationAt = new Map(stations.map((s) => [s.id, s.location]));
  for (const s of stations) map.put(`station:${s.id}`, s.location, { colour: '#1a73e8', radius: 4, title: s.name, fill: 0.9 });
  const unitsById = new Map(units.map((u) => [u.id, u]));
  const drawUnit = (u: Unit) => {
    const at = u.livePosition ?? u.position ?? (u.stationId ? stationAt.get(u.stationId) : undefined);
    if (at) map.put(`unit:${u.id}`, at, { colour: STATUS_COLOUR[u.status] ?? '#000', radius: 6, title: `${u.name}: ${u.status}` });
  };
  units.forEach(drawUnit);

  const open = new Map(incidents.map((i) => [i.id, i]));
  const render = () => {
    const sorted = [...open.values()].sort((a, b) => (a.priority ?? 9) - (b.priority ?? 9) || a.receivedAt.localeCompare(b.receivedAt));
    list.replaceChildren(...(sorted.length ? sorted.map((i) => h('li', { 'data-incident': i.id },
      h('strong', {}, t('priority', { p: i.priority ?? '?' })), ' ', i.nature.replace(/_/g, ' '), ' — ', i.address ?? `${i.location.lat.toFixed(5)}, ${i.location.lon.toFixed(5)}`)) : [h('li', { class: 'empty' }, t('noIncidents'))]));
    for (const i of open.values()) map.put(`incident:${i.id}`, i.location, { colour: '#d93025', radius: 9, title: `${i.id} ${i.nature}`, fill: 0.3 });
  };
  render();

  const head = await api<{ head: number }>('GET', '/api/events?after=0&limit=1');
  const stream = new LiveStream({
    path: '/api/stream',
    ticket: sessionTicket,
    after: head.head,
    onState: (s) => {
      banner.textContent = t(s === 'live' ? 'live' : s === 'offline' ? 'offline' : 'connecting');
      banner.dataset['state'] = s;
    },
    onEvent: (e: StreamEvent) => {
      const d = e.data;
      if (e.type === 'IncidentReceived') {
        open.set(String(d['incidentId']), { id: String(d['incidentId']), status: 'received', nature: String(d['nature']), priority: d['priority'] as number, address: d['address'] as string, location: d['location'] as LatLon, receivedAt: e.at });
        render();
      } else if (e.type === 'UnitStatusChanged') {
        const u = unitsById.get(String(d['unitId']));
        if (u) { u.status = String(d['to'] ?? d['status']); drawUnit(u); }
      }
    },
  });
  stream.start();
  (window as unknown as { samaritan: unknown }).samaritan = { stream };
}

void boot();
