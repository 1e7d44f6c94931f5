import { h } from '../shared/dom.ts';

export { h };

/** "3:08" for 188 s: how long until a unit or a volunteer arrives. */
export const minSec = (s: number): string => `${Math.floor(s / 60)}:${String(Math.round(s % 60)).padStart(2, '0')}`;

/** Local wall-clock time of an ISO instant, as a dispatcher reads it. */
export const clockTime = (iso: string, lang: string): string =>
  new Date(iso).toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

let uid = 0;
/** A fresh id for ARIA references. */
export const newId = (prefix: string): string => `${prefix}-${++uid}`;

/**
 * Arrow keys move the focus among a container's items (roving tabindex: one item in the tab order);
 * Enter activates. Items are found anew on each key, so the list may be redrawn at will.
 */
export function rovingList(container: HTMLElement, selector: string, onActivate: (item: HTMLElement) => void): void {
  container.addEventListener('keydown', (e) => {
    const items = [...container.querySelectorAll<HTMLElement>(selector)];
    const at = items.indexOf(document.activeElement as HTMLElement);
    if (at < 0) return;
    let next = -1;
    if (e.key === 'ArrowDown') next = Math.min(items.length - 1, at + 1);
    else if (e.key === 'ArrowUp') next = Math.max(0, at - 1);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = items.length - 1;
    else if (e.key === 'Enter') {
      e.preventDefault();
      onActivate(items[at]!);
      return;
    } else return;
    e.preventDefault();
    focusItem(items, next);
  });
  container.addEventListener('click', (e) => {
    const item = (e.target as HTMLElement).closest<HTMLElement>(selector);
    if (item && container.contains(item)) {
      focusItem([...container.querySelectorAll<HTMLElement>(selector)], [...container.querySelectorAll(selector)].indexOf(item));
      onActivate(item);
    }
  });
}

function focusItem(items: HTMLElement[], index: number): void {
  items.forEach((el, i) => el.setAttribute('tabindex', i === index ? '0' : '-1'));
  items[index]?.focus();
}

/** After a redraw, keeps exactly one item in the tab order (the first, unless one is focused). */
export function keepOneTabStop(container: HTMLElement, selector: string, preferred?: HTMLElement): void {
  const items = [...container.querySelectorAll<HTMLElement>(selector)];
  const chosen = preferred && items.includes(preferred) ? preferred : items[0];
  for (const el of items) el.setAttribute('tabindex', el === chosen ? '0' : '-1');
}
