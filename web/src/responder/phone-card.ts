import { ApiFailure } from '../shared/api.ts';
import { ring, silence, unlockAudio } from './alarm.ts';
import { h, notice } from './dom.ts';
import { clockTime, t } from './locale.ts';
import { disablePush, enablePush, pushState, type PushState } from './push.ts';
import { reason } from './sign-up-screen.ts';
import { enrolmentCode, eraseMe, forgetToken } from './volunteer-api.ts';

const PUSH_WORDS: Readonly<Record<PushState, Parameters<typeof t>[0] | undefined>> = {
  on: 'pushOn',
  off: undefined,
  denied: 'pushDenied',
  unsupported: 'pushUnsupported',
  failed: 'pushFailed',
};

/** Alerts with the app closed (Web Push) and a test of the alarm. */
export function pushCard(): HTMLElement {
  const said = notice();
  const enable = h('button', { type: 'button', class: 'primary' }, t('pushEnable'));
  const show = (s: PushState) => {
    const key = PUSH_WORDS[s];
    if (key) said.say(t(key), s === 'on' ? 'ok' : 'error');
    enable.hidden = s === 'on' || s === 'unsupported' || s === 'denied';
    said.dataset['push'] = s;
  };
  enable.addEventListener('click', () => {
    unlockAudio();
    void enablePush().then(show);
  });
  void pushState().then(show);
  const test = h('button', { type: 'button', onclick: () => (unlockAudio(), ring(2500), setTimeout(silence, 2500)) }, t('testAlarm'));
  return h('section', { class: 'card', 'aria-labelledby': 'push-title' }, h('h2', { id: 'push-title' }, t('alertsClosed')), enable, said, test);
}

/** A one-time code for a second phone, then signing out or erasing the account. */
export function accountCard(onSignedOut: (erased: boolean) => void): HTMLElement {
  const codeOut = h('div', { class: 'code-out', 'aria-live': 'polite' });
  const addPhone = h('button', { type: 'button' }, t('addPhone'));
  addPhone.addEventListener('click', () => {
    enrolmentCode()
      .then((c) => codeOut.replaceChildren(h('p', {}, t('addPhoneHelp')), h('p', { class: 'code', 'data-code': c.code }, c.code), h('p', { class: 'help' }, t('codeExpires', { time: clockTime(c.expiresAt) }))))
      .catch((e: unknown) => codeOut.replaceChildren(h('p', { class: 'notice', 'data-kind': 'error' }, e instanceof ApiFailure && e.error.status === 404 ? t('notYet') : reason(e))));
  });
  const said = notice();
  const signOut = h('button', { type: 'button' }, t('signOut'));
  signOut.addEventListener('click', () => {
    if (!confirm(t('signOutConfirm'))) return;
    void disablePush()
      .catch(() => undefined)
      .then(() => {
        forgetToken();
        onSignedOut(false);
      });
  });
  const erase = h('button', { type: 'button', class: 'danger' }, t('erase'));
  erase.addEventListener('click', () => {
    if (!confirm(t('eraseConfirm'))) return;
    eraseMe()
      .then(async () => {
        await disablePush().catch(() => undefined);
        forgetToken();
        onSignedOut(true);
      })
      .catch((e: unknown) => said.say(reason(e), 'error'));
  });
  return h('section', { class: 'card', 'aria-labelledby': 'account-title' }, h('h2', { id: 'account-title' }, t('account')), addPhone, codeOut, h('div', { class: 'row' }, signOut, erase), said);
}
