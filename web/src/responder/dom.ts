import { h } from '../shared/dom.ts';

export { h };

let fieldSeq = 0;
/** A labelled form field: the label names the input for screen readers and widens the tap target. */
export function field(label: string, input: HTMLInputElement | HTMLSelectElement, help?: string): HTMLElement {
  input.id ||= `f${++fieldSeq}`;
  const helpEl = help === undefined ? undefined : h('small', { id: `${input.id}-help`, class: 'help' }, help);
  if (helpEl) input.setAttribute('aria-describedby', helpEl.id);
  return h('div', { class: 'field' }, h('label', { for: input.id }, label), input, helpEl);
}

/** A live message area: what an action did, or why it failed, read out by screen readers. */
export function notice(): HTMLParagraphElement & { say(text: string, kind?: 'ok' | 'error'): void } {
  const p = h('p', { class: 'notice', role: 'status', 'aria-live': 'polite' }) as HTMLParagraphElement & { say(text: string, kind?: 'ok' | 'error'): void };
  p.say = (text, kind = 'ok') => {
    p.textContent = text;
    p.dataset['kind'] = kind;
  };
  return p;
}

/** A key hint shown beside a button, so that the shortcut is discoverable. */
export const kbd = (key: string, label: string): HTMLElement => h('kbd', { 'aria-hidden': 'true', title: label }, key.toUpperCase());
