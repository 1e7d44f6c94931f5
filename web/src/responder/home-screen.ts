import { field, h, notice } from './dom.ts';
import { t, wallTime } from './locale.ts';
import { accountCard, pushCard } from './phone-card.ts';
import type { PositionState } from './position.ts';
import { qualificationsCard } from './qualifications-card.ts';
import { reason } from './sign-up-screen.ts';
import { patchMe, type Volunteer } from './volunteer-api.ts';

export interface HomeDeps {
  /** The profile changed here (availability, consent): the app follows the position or stops. */
  readonly onChanged: (v: Volunteer) => void;
  /** Read the profile again (after declaring a qualification). */
  readonly reload: () => void;
  readonly onSignedOut: (erased: boolean) => void;
  readonly position: PositionState;
  /** A message to show on top (a stand-down, an expired alert). */
  readonly message?: string | undefined;
}

export interface HomeScreen {
  readonly el: HTMLElement;
  showPosition(s: PositionState): void;
}

const POSITION_WORDS: Readonly<Record<PositionState, Parameters<typeof t>[0] | undefined>> = {
  off: undefined,
  waiting: 'positionWaiting',
  sent: 'positionSent',
  denied: 'positionDenied',
};

/** On duty or off, with what that means right now (consent, the phone's position). */
function dutyCard(v: Volunteer, deps: HomeDeps, position: HTMLElement): HTMLElement {
  const said = notice();
  const toggle = h('button', { type: 'button', role: 'switch', class: 'switch', 'aria-checked': String(v.available), 'aria-describedby': 'duty-state' }, h('span', { class: 'knob', 'aria-hidden': 'true' }), t('available'));
  toggle.addEventListener('click', () => {
    toggle.disabled = true;
    patchMe({ available: !v.available })
      .then(deps.onChanged)
      .catch((e: unknown) => said.say(reason(e), 'error'))
      .finally(() => {
        toggle.disabled = false;
      });
  });
  const consent = v.locationConsent
    ? undefined
    : h('div', { class: 'warning' }, h('p', {}, t('noConsent')), h('button', { type: 'button', onclick: () => void patchMe({ locationConsent: true }).then(deps.onChanged).catch((e: unknown) => said.say(reason(e), 'error')) }, t('giveConsent')));
  return h(
    'section',
    { class: 'card duty', 'aria-label': t('available'), 'data-available': String(v.available) },
    toggle,
    h('p', { id: 'duty-state' }, t(v.available ? 'availableOn' : 'availableOff')),
    consent,
    position,
    said,
  );
}

function quietCard(v: Volunteer, onChanged: (v: Volunteer) => void): HTMLElement {
  const from = h('input', { type: 'time', name: 'quietFrom', value: v.quietHours?.from ?? '22:00', required: true });
  const to = h('input', { type: 'time', name: 'quietTo', value: v.quietHours?.to ?? '07:00', required: true });
  const said = notice();
  const now = h('p', { class: 'quiet-now' });
  let saved = v.quietHours;
  // What is in force, and whether the times in the fields are not it yet (the first ones are only a suggestion).
  const show = () => {
    const unsaved = saved === null || saved.from !== from.value || saved.to !== to.value;
    const inForce = saved ? t('quietSet', { from: wallTime(saved.from), to: wallTime(saved.to) }) : t('quietNone');
    now.textContent = unsaved ? `${inForce} ${t('quietUnsaved', { from: wallTime(from.value), to: wallTime(to.value) })}` : inForce;
    now.dataset['quiet'] = saved ? `${saved.from}-${saved.to}` : 'none';
    now.dataset['unsaved'] = String(unsaved);
  };
  show();
  for (const input of [from, to]) input.addEventListener('input', show);
  const save = (quietHours: Volunteer['quietHours']) =>
    patchMe({ quietHours })
      .then((nv) => {
        saved = nv.quietHours;
        show();
        said.say(t('saved'));
        onChanged(nv);
      })
      .catch((e: unknown) => said.say(reason(e), 'error'));
  const buttons = h('div', { class: 'row' }, h('button', { type: 'submit' }, t('saveQuiet')), h('button', { type: 'button', onclick: () => void save(null) }, t('clearQuiet')));
  const form = h('form', { class: 'quiet-form' }, h('div', { class: 'row' }, field(t('quietFrom'), from), field(t('quietTo'), to)), buttons);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void save({ from: from.value, to: to.value });
  });
  return h('section', { class: 'card', 'aria-labelledby': 'quiet-title' }, h('h2', { id: 'quiet-title' }, t('quietHours')), h('p', { class: 'help' }, t('quietHelp')), now, form, said);
}

/** The volunteer's home: availability first (the one thing touched daily), then settings. */
export function homeScreen(v: Volunteer, deps: HomeDeps): HomeScreen {
  const position = h('p', { class: 'position', 'data-position': deps.position });
  const showPosition = (s: PositionState) => {
    const key = POSITION_WORDS[s];
    position.textContent = key && v.available ? t(key) : '';
    position.dataset['position'] = s;
  };
  showPosition(deps.position);
  const el = h(
    'div',
    { class: 'screen home' },
    deps.message ? h('p', { class: 'banner-message', role: 'status' }, deps.message) : undefined,
    h('h2', { class: 'hello' }, t('hello', { name: v.name })),
    dutyCard(v, deps, position),
    qualificationsCard(v, deps.reload),
    quietCard(v, deps.onChanged),
    pushCard(),
    accountCard(deps.onSignedOut),
  );
  return { el, showPosition };
}
