import type { ConsoleData, Incident } from './console-data.ts';
import { h, keepOneTabStop, rovingList } from './dom.ts';
import type { Translate } from './context.ts';

/** One line of an incident: priority, nature, address (or the pin), status and age. */
export function incidentRow(i: Incident, t: Translate, natureLabel: (n: string) => string, now: number): HTMLLIElement {
  const where = i.address ?? `${i.location.lat.toFixed(5)}, ${i.location.lon.toFixed(5)}`;
  const age = Math.max(0, Math.round((now - Date.parse(i.receivedAt)) / 60_000));
  return h('li', { class: `incident p${i.priority}`, 'data-incident': i.id, tabindex: '-1' },
    h('span', { class: 'prio' }, t('priority', { p: i.priority })),
    h('span', { class: 'what' }, h('strong', {}, natureLabel(i.nature)), h('span', { class: 'addr' }, where)),
    h('span', { class: 'meta' }, t(`incidentStatus_${i.status}` as never) || i.status, h('br'), t('ago', { n: age })),
    i.distanceM === undefined ? undefined : h('span', { class: 'meta' }, t('distance', { m: Math.round(i.distanceM) })),
  );
}

/** The open incidents, most urgent first, then oldest first: what needs a dispatcher now. */
export class IncidentQueue {
  readonly element: HTMLOListElement;
  private selected: string | undefined;

  constructor(private readonly data: ConsoleData, private readonly t: Translate, private readonly natureLabel: (n: string) => string, onSelect: (id: string) => void) {
    this.element = h('ol', { class: 'incident-list', 'aria-label': t('incidents') });
    rovingList(this.element, 'li[data-incident]', (li) => onSelect(li.dataset['incident']!));
    data.on('incidents', () => this.render());
  }

  markSelected(id: string | undefined): void {
    this.selected = id;
    for (const li of this.element.querySelectorAll<HTMLElement>('li[data-incident]')) li.setAttribute('aria-current', String(li.dataset['incident'] === id));
  }

  /** Focuses the incident on screen, so that Enter opens it again rather than another. */
  focus(): void {
    const item = this.selectedItem() ?? this.element.querySelector<HTMLElement>('li[tabindex="0"]') ?? this.element.querySelector<HTMLElement>('li[data-incident]');
    if (!item) return;
    keepOneTabStop(this.element, 'li[data-incident]', item);
    item.focus();
  }

  private selectedItem(): HTMLElement | undefined {
    const id = this.selected;
    return (id && this.element.querySelector<HTMLElement>(`li[data-incident="${CSS.escape(id)}"]`)) || undefined;
  }

  render(): void {
    const focusedId = (document.activeElement as HTMLElement | null)?.dataset?.['incident'];
    const sorted = [...this.data.open.values()].sort((a, b) => a.priority - b.priority || a.receivedAt.localeCompare(b.receivedAt));
    const now = Date.now();
    this.element.replaceChildren(
      ...(sorted.length ? sorted.map((i) => incidentRow(i, this.t, this.natureLabel, now)) : [h('li', { class: 'empty' }, this.t('noIncidents'))]),
    );
    const focused = focusedId ? this.element.querySelector<HTMLElement>(`li[data-incident="${CSS.escape(focusedId)}"]`) : null;
    keepOneTabStop(this.element, 'li[data-incident]', focused ?? this.selectedItem());
    focused?.focus();
    this.markSelected(this.selected);
  }
}
