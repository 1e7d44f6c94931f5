import type { StreamState } from '../shared/live-stream.ts';
import { chooseLang, LANGS, type Lang } from '../shared/i18n.ts';
import { h } from './dom.ts';
import { lang, t } from './locale.ts';

const LANG_NAMES: Readonly<Record<Lang, string>> = { en: 'English', fr: 'Français' };

export interface Shell {
  readonly content: HTMLElement;
  /** The live channel's state, or undefined while signed out (there is none). */
  showState(s: StreamState | undefined): void;
  /** Full screen for the alert: the header steps aside. */
  fullScreen(on: boolean): void;
}

/** The frame every screen sits in: the title, the live channel's state and the language switch. */
export function shell(root: HTMLElement): Shell {
  const state = h('p', { class: 'state', role: 'status', 'aria-live': 'polite', hidden: true });
  const select = h('select', { id: 'lang', 'aria-label': t('language') }, ...LANGS.map((l) => h('option', { value: l, selected: l === lang, lang: l }, LANG_NAMES[l])));
  select.addEventListener('change', () => {
    chooseLang(select.value as Lang);
    location.reload();
  });
  const header = h('header', { class: 'top' }, h('h1', {}, h('span', { class: 'logo', 'aria-hidden': 'true' }, '+'), t('title')), select);
  const content = h('main', { id: 'content', class: 'content', tabindex: '-1' });
  root.replaceChildren(header, state, content);
  return {
    content,
    showState: (s) => {
      state.hidden = s === undefined;
      if (s === undefined) return;
      state.dataset['state'] = s;
      state.textContent = t(s === 'live' ? 'live' : s === 'offline' ? 'offline' : 'connecting');
    },
    fullScreen: (on) => {
      header.hidden = on;
      state.classList.toggle('behind-alert', on);
      document.body.classList.toggle('alerting', on);
    },
  };
}
