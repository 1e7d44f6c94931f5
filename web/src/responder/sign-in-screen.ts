import { ApiFailure } from '../shared/api.ts';
import { field, h, notice } from './dom.ts';
import { t } from './locale.ts';
import { reason } from './sign-up-screen.ts';
import { enrol, forgetToken, keepToken, me } from './volunteer-api.ts';

/**
 * Sign-in on a second phone: the one-time code another signed-in phone shows (it becomes this phone's
 * own device token), or a device token pasted by hand.
 */
export function signInScreen(onSignedIn: () => void, onBack: () => void): HTMLElement {
  const code = h('input', { name: 'code', autocomplete: 'one-time-code', inputmode: 'text', required: true, maxlength: 64, spellcheck: 'false' });
  const codeSaid = notice();
  const codeForm = h('form', { class: 'card', 'aria-labelledby': 'sign-in-title' }, h('h2', { id: 'sign-in-title' }, t('signInTitle')), field(t('enrolCode'), code, t('enrolHelp')), h('button', { type: 'submit', class: 'primary' }, t('useCode')), codeSaid);
  codeForm.addEventListener('submit', (e) => {
    e.preventDefault();
    enrol(code.value.trim())
      .then((r) => {
        keepToken(r.token);
        onSignedIn();
      })
      .catch((err: unknown) => codeSaid.say(err instanceof ApiFailure && err.error.status < 500 && err.error.status !== 404 ? t('badCode') : err instanceof ApiFailure && err.error.status === 404 ? t('notYet') : reason(err), 'error'));
  });

  const token = h('input', { name: 'token', autocomplete: 'off', required: true, spellcheck: 'false' });
  const tokenSaid = notice();
  const tokenForm = h('form', { class: 'card' }, field(t('deviceToken'), token), h('button', { type: 'submit' }, t('useToken')), tokenSaid);
  tokenForm.addEventListener('submit', (e) => {
    e.preventDefault();
    keepToken(token.value.trim());
    me()
      .then(() => onSignedIn())
      .catch((err: unknown) => {
        forgetToken();
        tokenSaid.say(err instanceof ApiFailure && err.error.status < 500 ? t('badToken') : reason(err), 'error');
      });
  });
  return h('div', { class: 'screen sign-in' }, codeForm, tokenForm, h('button', { type: 'button', class: 'link', onclick: onBack }, t('back')));
}
