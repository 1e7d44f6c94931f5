import type { Translate } from './context.ts';
import { h, newId } from './dom.ts';

/**
 * Asks before a step that cannot be taken back: Enter confirms (the confirm button has the focus),
 * Esc or the other button cancels. Resolves true only on confirmation.
 */
export function confirmDialog(t: Translate, question: string, detail: string, confirmLabel: string): Promise<boolean> {
  const titleId = newId('confirm');
  const yes = h('button', { type: 'submit', value: 'yes', class: 'primary' }, confirmLabel, h('kbd', {}, t('keyEnter')));
  const dialog = h('dialog', { class: 'help confirm', 'aria-labelledby': titleId },
    h('h2', { id: titleId }, question),
    h('p', {}, detail),
    h('form', { method: 'dialog', class: 'actions' }, yes, h('button', { type: 'submit', value: 'no' }, t('cancel'), h('kbd', {}, t('keyEsc')))));
  document.body.append(dialog);
  const back = document.activeElement instanceof HTMLElement ? document.activeElement : undefined;
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      dialog.remove();
      back?.focus();
      resolve(dialog.returnValue === 'yes');
    });
    dialog.showModal();
    yes.focus();
  });
}
