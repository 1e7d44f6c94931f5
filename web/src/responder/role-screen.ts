import { h, kbd, notice } from './dom.ts';
import { clockTime, nature, t } from './locale.ts';
import { roleWords } from './role-words.ts';
import { routeMap } from './route-map.ts';
import { reason } from './sign-up-screen.ts';
import type { Alert, LatLon } from './volunteer-api.ts';

export interface RoleActions {
  readonly arrived: () => Promise<Alert | undefined>;
  readonly done: () => void;
}

const ROLE_TITLE = { cpr: 'role_cpr', fetch_aed: 'role_fetch_aed', meet_crew: 'role_meet_crew' } as const;

/**
 * After the accept: the role in plain words, the walk on a map (via the AED when fetching one), then
 * "I have arrived" and "Done". Keys: R reports the arrival, F (finished) closes the role.
 */
export function roleScreen(a: Alert, here: LatLon | undefined, act: RoleActions): { el: HTMLElement; dispose: () => void } {
  const role = a.role as keyof typeof ROLE_TITLE | undefined;
  const title = role && role in ROLE_TITLE ? t(ROLE_TITLE[role]) : t('roleWaiting');
  const said = notice();
  // The confirmation goes on top, where the volunteer looks: the buttons are at the bottom, under the thumb.
  const arrivedBanner = h('p', { class: 'arrived-banner', role: 'status', tabindex: '-1', hidden: true });
  const arrived = h('button', { type: 'button', class: 'primary big', 'data-action': 'arrived', 'aria-keyshortcuts': 'R' }, t('arrived'), kbd('r', t('shortcut', { key: 'R' })));
  const done = h('button', { type: 'button', class: 'big', 'data-action': 'done', 'aria-keyshortcuts': 'F' }, t('done'), kbd('f', t('shortcut', { key: 'F' })));
  const showArrived = (at: string) => {
    arrived.disabled = true;
    arrivedBanner.textContent = `${t('arrivedAt', { time: clockTime(at) })} ${t(role === 'meet_crew' ? 'arrivedStayMeet' : 'arrivedStay')}`;
    arrivedBanner.hidden = false;
  };
  if (a.arrivedAt) showArrived(a.arrivedAt);
  const doArrived = () => {
    if (arrived.disabled) return;
    arrived.disabled = true;
    act
      .arrived()
      .then((r) => {
        showArrived(r?.arrivedAt ?? new Date().toISOString());
        said.say('');
        arrivedBanner.focus();
      })
      .catch((e: unknown) => {
        arrived.disabled = false;
        said.say(reason(e), 'error');
      });
  };
  arrived.addEventListener('click', doArrived);
  done.addEventListener('click', act.done);
  const onKey = (e: KeyboardEvent) => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.repeat || (e.target instanceof HTMLElement && e.target.closest('.leaflet-container'))) return;
    const k = e.key.toLowerCase();
    if (k === 'r') doArrived();
    else if (k === 'f') act.done();
  };
  document.addEventListener('keydown', onKey);
  const bar = h('div', { class: 'role-buttons' }, arrived, done);
  const map = routeMap({ you: here, aed: a.aed?.location, scene: a.incident.location ?? undefined, area: a.incident.location ? undefined : a.incident.area, route: a.route });
  const el = h(
    'div',
    { class: 'screen role', 'data-role': a.role ?? 'pending', 'data-alert': a.alertId },
    arrivedBanner,
    h('p', { class: 'kicker' }, `${t('yourRole')} · ${nature(a.incident.nature)}`),
    h('h2', { class: 'role-title', tabindex: '-1' }, title),
    roleWords(a),
    h('section', { class: 'way', 'aria-labelledby': 'way-title' }, h('h3', { id: 'way-title' }, t('wayThere')), a.route?.length ? undefined : h('p', { class: 'help' }, t('noRoute')), map.el),
    said,
    bar,
  );
  // The bar is fixed over the page: the page ends, and scrolls things into view, a bar's height above it.
  const pad = new ResizeObserver(() => {
    const px = `${Math.ceil(bar.getBoundingClientRect().height)}px`;
    el.style.paddingBottom = px;
    document.documentElement.style.scrollPaddingBottom = px;
  });
  pad.observe(bar);
  return {
    el,
    dispose: () => {
      pad.disconnect();
      document.documentElement.style.scrollPaddingBottom = '';
      document.removeEventListener('keydown', onKey);
      map.map.remove();
    },
  };
}
