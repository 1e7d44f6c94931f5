import { ApiFailure } from '../shared/api.ts';
import { field, h, notice } from './dom.ts';
import { lang, t } from './locale.ts';
import { keepToken, signUp } from './volunteer-api.ts';

/** Why a request failed, in a sentence the volunteer can act on. */
export const reason = (e: unknown): string => t('failed', { message: e instanceof ApiFailure ? e.error.message : e instanceof Error ? e.message : String(e) });

/** The first screen on a new phone: sign up (name, phone, consent), or go and sign in with another phone's code. */
export function signUpScreen(onSignedIn: () => void, onSignIn: () => void): HTMLElement {
  const name = h('input', { name: 'name', autocomplete: 'name', required: true, maxlength: 100 });
  // Browsers compile `pattern` with the `v` flag, where `(`, `)` and `-` must be escaped inside a class.
  const phone = h('input', { name: 'phone', type: 'tel', autocomplete: 'tel', required: true, maxlength: 40, pattern: '\\+?[0-9\\(\\)\\-. ]{3,}' });
  // Consent is the volunteer's own choice: never ticked for them.
  const consent = h('input', { type: 'checkbox', name: 'consent', 'aria-describedby': 'consent-help' });
  const said = notice();
  const submit = h('button', { type: 'submit', class: 'primary' }, t('signUp'));
  const form = h(
    'form',
    { class: 'card', 'aria-labelledby': 'sign-up-title' },
    h('h2', { id: 'sign-up-title' }, t('signUpTitle')),
    field(t('name'), name),
    field(t('phone'), phone),
    h('div', { class: 'check' }, consent, h('label', { for: 'consent' }, t('consent'))),
    h('p', { class: 'help', id: 'consent-help' }, t('consentNeeded'), ' ', t('consentHelp')),
    submit,
    said,
  );
  consent.id = 'consent';
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    submit.disabled = true;
    signUp({ name: name.value.trim(), phone: phone.value.trim(), languages: [lang], locationConsent: consent.checked })
      .then((r) => {
        keepToken(r.token);
        onSignedIn();
      })
      .catch((err: unknown) => said.say(reason(err), 'error'))
      .finally(() => {
        submit.disabled = false;
      });
  });
  return h(
    'div',
    { class: 'screen sign-up' },
    h('p', { class: 'lead' }, t('tagline')),
    form,
    h('section', { class: 'card', 'aria-labelledby': 'have-account' }, h('h2', { id: 'have-account' }, t('haveAccount')), h('button', { type: 'button', onclick: onSignIn }, t('signIn'))),
  );
}
