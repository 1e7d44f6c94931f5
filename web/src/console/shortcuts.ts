import type { Translate } from './context.ts';
import { h } from './dom.ts';
import type { ConsoleKey } from './strings.ts';

export interface ShortcutActions {
  readonly newIncident: () => void;
  readonly search: () => void;
  readonly dispatch: () => void;
  readonly more: () => void;
  readonly queue: () => void;
  readonly units: () => void;
  readonly resolve: () => void;
  readonly clearUnits: () => void;
  readonly reports: () => void;
}

/** Key names are words of the console's language (Entrée, Échap). */
const HELP: readonly (readonly [string | ConsoleKey, ConsoleKey])[] = [
  ['N', 'key_n'],
  ['/', 'key_slash'],
  ['D', 'key_d'],
  ['M', 'key_m'],
  ['Q', 'key_q'],
  ['U', 'key_u'],
  ['R', 'key_r'],
  ['C', 'key_c'],
  ['P', 'key_p'],
  ['W', 'key_w'],
  ['H', 'key_h'],
  ['keyArrowsEnter', 'key_arrows'],
  ['A E S T H R O', 'unitKeys'],
  ['keyCtrlEnter', 'key_ctrl_enter'],
  ['keyEsc', 'key_esc'],
  ['?', 'key_help'],
];

/** Typing in a field never triggers a shortcut. */
const typing = (el: EventTarget | null): boolean =>
  el instanceof HTMLElement && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));

/** The console's single-key shortcuts, and the "?" overlay that lists them. */
export function installShortcuts(t: Translate, actions: ShortcutActions): { help: HTMLDialogElement; showHelp: () => void } {
  const help = h('dialog', { class: 'help', 'aria-labelledby': 'help-title' },
    h('h2', { id: 'help-title' }, t('help')),
    h('dl', {}, ...HELP.flatMap(([key, label]) => [h('dt', {}, h('kbd', {}, key.startsWith('key') ? t(key as ConsoleKey) : key)), h('dd', {}, t(label))])),
    h('form', { method: 'dialog' }, h('button', { type: 'submit' }, t('close'), h('kbd', {}, t('keyEsc')))));
  document.body.append(help);
  const showHelp = () => {
    if (!help.open) help.showModal();
  };
  document.addEventListener('keydown', (e) => {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || typing(e.target) || document.querySelector('dialog[open]')) return;
    const act: Record<string, (() => void) | undefined> = {
      n: actions.newIncident,
      '/': actions.search,
      d: actions.dispatch,
      m: actions.more,
      q: actions.queue,
      u: actions.units,
      // The unit board takes R for "returning" on a focused unit before it gets here.
      r: actions.resolve,
      c: actions.clearUnits,
      p: actions.reports,
      '?': showHelp,
    };
    const fn = act[e.key.length === 1 ? e.key.toLowerCase() : e.key];
    if (!fn) return;
    e.preventDefault();
    fn();
  });
  return { help, showHelp };
}
