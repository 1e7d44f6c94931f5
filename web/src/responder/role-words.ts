import { h } from './dom.ts';
import { minutes, t } from './locale.ts';
import { roleReason } from './role-reason.ts';
import type { Alert } from './volunteer-api.ts';

/** A role in plain words: what to do, and where, for a volunteer reading it on the move. */
export function roleWords(a: Alert): HTMLElement {
  const i = a.incident;
  const role = a.role ?? '';
  const steps: (HTMLElement | undefined)[] = [];
  if (role === 'cpr') steps.push(h('p', { class: 'do' }, t('cprDo')));
  else if (role === 'fetch_aed') {
    steps.push(h('p', { class: 'do' }, t('aedDo')));
    if (a.aed) {
      steps.push(
        h(
          'ul',
          { class: 'facts aed-facts', 'aria-label': t('legendAed') },
          h('li', { class: 'aed-place' }, t('aedAt', { place: a.aed.placeName })),
          a.aed.floor ? h('li', {}, t('aedFloor', { floor: a.aed.floor })) : undefined,
          a.aed.access ? h('li', {}, t('aedAccess', { access: a.aed.access })) : undefined,
          h('li', {}, a.aed.hoursText ? t('aedHoursText', { hours: a.aed.hoursText }) : t('aedHours')),
          h('li', {}, t('aedWalk', { toAed: minutes(a.aed.toAedS), toScene: minutes(a.aed.toSceneS) })),
        ),
      );
    }
  } else if (role === 'meet_crew') steps.push(h('p', { class: 'do' }, t(i.access ? 'meetDoCode' : 'meetDo')));
  const scene =
    i.location === undefined
      ? h('p', { class: 'help' }, t('sceneNotYet'))
      : h(
          'ul',
          { class: 'facts scene-facts', 'aria-label': t('scene') },
          i.address ? h('li', { class: 'scene-address' }, t('sceneAddress', { address: i.address })) : undefined,
          i.floor ? h('li', {}, t('sceneFloor', { floor: i.floor })) : undefined,
          i.access ? h('li', {}, t('sceneAccess', { access: i.access })) : undefined,
        );
  const why = a.roleReason ? h('details', { class: 'why' }, h('summary', {}, t('why')), roleReason(a.roleReason)) : undefined;
  return h('div', { class: 'role-words' }, ...steps, h('h3', {}, t('scene')), scene, why);
}
