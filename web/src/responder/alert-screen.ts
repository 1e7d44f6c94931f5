import { isRinging, silence } from './alarm.ts';
import { h, kbd } from './dom.ts';
import { clockTime, minutes, nature, t } from './locale.ts';
import { routeMap } from './route-map.ts';
import type { Alert, LatLon } from './volunteer-api.ts';

export interface AlertActions {
  readonly accept: () => void;
  readonly decline: () => void;
}

/**
 * The alert, full screen, read at a glance: what, how far on foot, where roughly; then two big
 * buttons. Before the accept the volunteer is shown only the area (about 100 m), never the address.
 * Keys: A accepts, D declines, S silences.
 */
export function alertScreen(a: Alert, here: LatLon | undefined, act: AlertActions): { el: HTMLElement; dispose: () => void } {
  const accept = h('button', { type: 'button', class: 'accept', 'data-action': 'accept', 'aria-keyshortcuts': 'A' }, t('accept'), kbd('a', t('shortcut', { key: 'A' })));
  const decline = h('button', { type: 'button', class: 'decline', 'data-action': 'decline', 'aria-keyshortcuts': 'D' }, t('decline'), kbd('d', t('shortcut', { key: 'D' })));
  const quiet = h('button', { type: 'button', class: 'silence', 'aria-keyshortcuts': 'S', hidden: !isRinging() }, t('silence'), kbd('s', t('shortcut', { key: 'S' })));
  let answered = false;
  const once = (f: () => void) => () => {
    if (answered) return;
    answered = true;
    accept.disabled = decline.disabled = true;
    silence();
    f();
  };
  const doAccept = once(act.accept);
  const doDecline = once(act.decline);
  const doSilence = () => {
    silence();
    quiet.hidden = true;
  };
  accept.addEventListener('click', doAccept);
  decline.addEventListener('click', doDecline);
  quiet.addEventListener('click', doSilence);
  const onKey = (e: KeyboardEvent) => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.repeat) return;
    const k = e.key.toLowerCase();
    if (k === 'a') doAccept();
    else if (k === 'd') doDecline();
    else if (k === 's') doSilence();
  };
  document.addEventListener('keydown', onKey);
  const place = a.incident.place;
  // Which way, roughly: the area's circle and the volunteer, nothing more precise before the accept.
  const map = a.incident.area ? routeMap({ you: here, area: a.incident.area }, 'compact') : undefined;
  const el = h(
    'section',
    { class: 'alert-screen', role: 'alertdialog', 'aria-modal': 'true', 'aria-labelledby': 'alert-title', 'aria-describedby': 'alert-what', 'data-alert': a.alertId },
    h('p', { class: 'alert-kicker' }, t('alertTitle')),
    h('h2', { id: 'alert-title', class: 'alert-nature' }, nature(a.incident.nature)),
    h(
      'div',
      { id: 'alert-what', class: 'alert-facts' },
      h('p', { class: 'alert-walk' }, t('walk', { min: minutes(a.etaS) })),
      place ? h('p', {}, t(place === 'public' ? 'place_public' : place === 'home' ? 'place_home' : 'place_unknown')) : undefined,
      a.incident.area ? h('p', {}, t('area', { m: a.incident.area.withinM })) : undefined,
      h('p', { class: 'alert-deadline' }, t('answerBy', { time: clockTime(a.expiresAt) })),
    ),
    map?.el,
    h('div', { class: 'alert-buttons' }, accept, decline),
    quiet,
  );
  queueMicrotask(() => accept.focus());
  return {
    el,
    dispose: () => {
      document.removeEventListener('keydown', onKey);
      map?.map.remove();
    },
  };
}
