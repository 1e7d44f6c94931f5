import { api, ApiFailure, setCsrfToken } from '../shared/api.ts';
import { chooseLang, currentLang, LANGS, translator, type Lang } from '../shared/i18n.ts';
import { LiveStream, sessionTicket } from '../shared/live-stream.ts';
import { ConsoleData, type Aed, type Incident, type Nature, type Station, type Unit } from './console-data.ts';
import { CreateForm } from './create-form.ts';
import { h } from './dom.ts';
import { IncidentDetail } from './incident-detail.ts';
import { IncidentQueue } from './incident-queue.ts';
import { IncidentSearch } from './incident-search.ts';
import { StreamBanner } from './stream-banner.ts';
import { MapView } from './map-view.ts';
import { drawMap } from './map-layers.ts';
import { installShortcuts } from './shortcuts.ts';
import { signIn } from './sign-in.ts';
import { ReportsView } from './reports-view.ts';
import { NATURE_FR, STRINGS } from './strings.ts';
import { UnitBoard } from './unit-board.ts';
import { VolunteerWatch } from './volunteer-watch.ts';
import './console.css';

const t = translator(STRINGS);
const lang = currentLang();

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
  const data = new ConsoleData();
  const natureLabel = (n: string) => data.natureLabel(n, lang, NATURE_FR);
  const banner = new StreamBanner(t);
  const mapEl = h('div', { class: 'map' });
  const langSelect = h('select', { id: 'lang', onchange: () => { chooseLang(langSelect.value as Lang); location.reload(); } },
    ...LANGS.map((l) => h('option', { value: l, selected: l === lang }, l === 'fr' ? 'Français' : 'English')));
  const helpButton = h('button', { type: 'button', class: 'ghost' }, t('helpButton'));
  const reports = new ReportsView(lang);
  const reportsButton = h('button', { type: 'button', class: 'ghost', id: 'open-reports', onclick: () => reports.open() }, t('reports'), h('kbd', {}, 'P'));
  const signOut = h('button', { type: 'button', class: 'ghost', onclick: () => void api('DELETE', '/api/session').then(() => location.reload()) }, t('signOut'));
  const left = h('aside', { class: 'left' });
  const right = h('aside', { class: 'right', 'aria-label': t('incident') });
  root.replaceChildren(
    h('header', { class: 'top' }, h('h1', {}, t('title')), banner.element, reportsButton, helpButton,
      h('label', { for: 'lang', class: 'visually-hidden' }, t('language')), langSelect, signOut),
    left,
    h('main', { class: 'map-pane' }, mapEl),
    right,
  );
  const map = new MapView(mapEl, t('map'));

  // The head first, then the lists: an event between the two is applied again, which changes nothing.
  const { head } = await api<{ head: number }>('GET', '/api/events?after=0&limit=1');
  const [{ stations }, { units }, { incidents }, { natures }] = await Promise.all([
    api<{ stations: Station[] }>('GET', '/api/stations'),
    api<{ units: Unit[] }>('GET', '/api/units'),
    api<{ incidents: Incident[] }>('GET', '/api/incidents?status=open'),
    api<{ natures: Nature[] }>('GET', '/api/natures'),
  ]);
  for (const s of stations) data.stations.set(s.id, s);
  for (const u of units) data.units.set(u.id, u);
  for (const i of incidents) data.open.set(i.id, i);
  data.natures = natures;

  const watch = new VolunteerWatch(data);
  const detail = new IncidentDetail(data, watch, t, lang, natureLabel);
  const hint = h('p', { class: 'hint select-hint' }, t('selectHint'));
  let form: CreateForm | undefined;
  const queue = new IncidentQueue(data, t, natureLabel, (id) => void select(id));
  const search = new IncidentSearch(data, t, natureLabel, (id) => void select(id));
  const board = new UnitBoard(data, t, (u) => {
    const at = data.unitAt(u);
    if (at) map.focus(at);
  });

  const select = async (id: string) => {
    form = undefined;
    right.replaceChildren(detail.element);
    queue.markSelected(id);
    const i = data.open.get(id);
    if (i) map.focus(i.location);
    await detail.select(id);
  };
  const newIncident = () => {
    form = new CreateForm(data, map, t, natureLabel, (id) => {
      form = undefined;
      if (id) void select(id).then(() => detail.element.focus());
      else right.replaceChildren(detail.selected ? detail.element : hint);
    });
    right.replaceChildren(form.element);
    form.open();
  };

  const openTab = h('button', { type: 'button', class: 'tab', 'aria-pressed': 'true' }, t('openTab'), h('kbd', {}, 'Q'));
  const searchTab = h('button', { type: 'button', class: 'tab', 'aria-pressed': 'false' }, t('searchTab'), h('kbd', {}, '/'));
  const queuePane = h('div', { class: 'queue-pane' }, queue.element);
  const showTab = (which: 'open' | 'search') => {
    openTab.setAttribute('aria-pressed', String(which === 'open'));
    searchTab.setAttribute('aria-pressed', String(which === 'search'));
    queuePane.replaceChildren(which === 'open' ? queue.element : search.element);
  };
  openTab.addEventListener('click', () => showTab('open'));
  searchTab.addEventListener('click', () => {
    showTab('search');
    search.text.focus();
  });
  left.append(
    h('section', { class: 'queue', 'aria-labelledby': 'queue-title' },
      h('div', { class: 'panel-head' }, h('h2', { id: 'queue-title' }, t('incidents')),
        h('button', { type: 'button', class: 'primary', id: 'new-incident', onclick: newIncident }, t('newIncident'), h('kbd', {}, 'N'))),
      h('div', { class: 'tabs' }, openTab, searchTab),
      queuePane),
    board.element,
  );
  right.replaceChildren(hint);
  queue.render();
  board.render();

  const { showHelp } = installShortcuts(t, {
    newIncident,
    search: () => searchTab.click(),
    dispatch: () => void (form ? undefined : detail.dispatch()),
    more: () => detail.openMore(),
    queue: () => {
      showTab('open');
      queue.focus();
    },
    units: () => board.focus(),
    resolve: () => void (form ? undefined : detail.confirmResolve()),
    clearUnits: () => void (form ? undefined : detail.clearUnits()),
    reports: () => reports.open(),
  });
  helpButton.addEventListener('click', showHelp);

  const stream = new LiveStream({
    path: '/api/stream',
    ticket: sessionTicket,
    after: head,
    onState: (s) => banner.state(s, stream),
    onEvent: (e) => {
      data.apply(e);
      banner.applied(e.seq);
    },
  });
  stream.start();
  (window as unknown as { samaritan: unknown }).samaritan = { stream, data, map: map.map };
  // The map's extras (AEDs, then the streets) come once the console is live and usable.
  drawMap(map, data, watch, t, natureLabel, await api<{ aeds: Aed[] }>('GET', '/api/aeds').then((r) => r.aeds, () => []), (id) => void select(id));
  watch.watchOpen(20);
}

void boot();
