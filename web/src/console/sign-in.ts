import { api, ApiFailure, setCsrfToken } from '../shared/api.ts';
import { h } from './dom.ts';
import type { ConsoleKey } from './strings.ts';

/** The sign-in form; resolves once the server has set the session cookie. */
export function signIn(root: HTMLElement, t: (k: ConsoleKey) => string): Promise<void> {
  return new Promise((resolve) => {
    const error = h('p', { class: 'error', role: 'alert' });
    const name = h('input', { id: 'sign-in-name', name: 'name', autocomplete: 'username', required: true });
    const password = h('input', { id: 'sign-in-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
    const form = h(
      'form',
      { class: 'sign-in', 'aria-labelledby': 'sign-in-title' },
      h('h1', { id: 'sign-in-title' }, t('title')),
      h('label', { for: 'sign-in-name' }, t('name')),
      name,
      h('label', { for: 'sign-in-password' }, t('password')),
      password,
      h('button', { type: 'submit' }, t('signIn')),
      error,
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      error.textContent = '';
      api<{ csrfToken: string }>('POST', '/api/session', { name: name.value, password: password.value }).then(
        (r) => {
          setCsrfToken(r.csrfToken);
          resolve();
        },
        (err: unknown) => {
          error.textContent = err instanceof ApiFailure && err.error.status === 401 ? t('signInFailed') : String((err as Error).message);
        },
      );
    });
    root.replaceChildren(h('main', { class: 'sign-in-page' }, form));
    name.focus();
  });
}
