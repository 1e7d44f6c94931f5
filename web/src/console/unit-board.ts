import { api, ApiFailure } from '../shared/api.ts';
import type { ConsoleData, Unit } from './console-data.ts';
import { describeError, unitTypeWords, type Translate } from './context.ts';
import { h, keepOneTabStop, rovingList } from './dom.ts';
import { STATUS_COLOUR } from './map-view.ts';
import type { ConsoleKey } from './strings.ts';

/** One key per status on a focused unit: the unit's crew calls it in, the dispatcher presses it. */
export const STATUS_KEYS: Readonly<Record<string, string>> = {
  a: 'available',
  e: 'en_route',
  s: 'on_scene',
  t: 'transporting',
  h: 'at_hospital',
  r: 'returning',
  o: 'out_of_service',
};

const ORDER = ['on_scene', 'en_route', 'dispatched', 'transporting', 'at_hospital', 'returning', 'available', 'out_of_service'];

/** Every unit with its status; arrows move, a status key changes the focused unit's status. */
export class UnitBoard {
  readonly element: HTMLElement;
  private readonly list: HTMLUListElement;
  private readonly filter: HTMLInputElement;
  private readonly message: HTMLElement;

  constructor(private readonly data: ConsoleData, private readonly t: Translate, onOpen: (u: Unit) => void) {
    this.list = h('ul', { class: 'unit-list', 'aria-label': t('unitsTitle'), 'aria-describedby': 'unit-keys' });
    this.filter = h('input', { id: 'unit-filter', type: 'search', autocomplete: 'off', placeholder: t('unitFilter') });
    this.filter.addEventListener('input', () => this.render());
    this.message = h('p', { class: 'error', role: 'alert' });
    this.element = h('section', { class: 'units', 'aria-labelledby': 'units-title' },
      h('div', { class: 'panel-head' }, h('h2', { id: 'units-title' }, t('unitsTitle')),
        h('label', { for: 'unit-filter', class: 'visually-hidden' }, t('unitFilter')), this.filter),
      h('p', { id: 'unit-keys', class: 'hint' }, t('unitKeys')),
      this.message, this.list);
    rovingList(this.list, 'li[data-unit]', (li) => {
      const u = data.units.get(li.dataset['unit']!);
      if (u) onOpen(u);
    });
    this.list.addEventListener('keydown', (e) => {
      const li = (e.target as HTMLElement).closest<HTMLElement>('li[data-unit]');
      const status = STATUS_KEYS[e.key.toLowerCase()];
      if (!li || !status || e.ctrlKey || e.metaKey || e.altKey) return;
      e.preventDefault();
      e.stopPropagation();
      void this.change(li.dataset['unit']!, status);
    });
    data.on('units', (id) => (id ? this.update(id) : this.render()));
  }

  focus(): void {
    (this.list.querySelector<HTMLElement>('li[tabindex="0"]') ?? this.list.querySelector<HTMLElement>('li[data-unit]'))?.focus();
  }

  async change(unitId: string, status: string): Promise<void> {
    this.message.textContent = '';
    const u = this.data.units.get(unitId);
    try {
      await api('POST', `/api/units/${encodeURIComponent(unitId)}/status`, { status });
    } catch (e) {
      const words = this.t(`unitStatus_${status}` as ConsoleKey);
      this.message.textContent =
        e instanceof ApiFailure && e.error.code === 'StatusNotAllowedForUnitType'
          ? `${this.t('statusNotAllowed', { unit: u?.name ?? unitId, status: words })} (${e.error.code})`
          : this.t('error', { m: describeError(e) });
    }
  }

  render(): void {
    const q = this.filter.value.trim().toLowerCase();
    const focused = (document.activeElement as HTMLElement | null)?.dataset?.['unit'];
    const units = [...this.data.units.values()]
      .filter((u) => !q || `${u.id} ${u.name} ${u.unitType} ${u.status} ${u.incidentId ?? ''}`.toLowerCase().includes(q))
      .sort((a, b) => ORDER.indexOf(a.status) - ORDER.indexOf(b.status) || a.name.localeCompare(b.name, undefined, { numeric: true }));
    this.list.replaceChildren(...units.map((u) => this.row(u)));
    const again = focused ? this.list.querySelector<HTMLElement>(`li[data-unit="${CSS.escape(focused)}"]`) : null;
    keepOneTabStop(this.list, 'li[data-unit]', again ?? undefined);
    again?.focus();
  }

  /** While the dispatcher works in the board, a change redraws its row in place so the focus stays; else the board is sorted again. */
  private update(id: string): void {
    if (!this.list.contains(document.activeElement)) return this.render();
    const old = this.list.querySelector<HTMLElement>(`li[data-unit="${CSS.escape(id)}"]`);
    const u = this.data.units.get(id);
    if (!old || !u) return this.render();
    const fresh = this.row(u);
    fresh.setAttribute('tabindex', old.getAttribute('tabindex') ?? '-1');
    const hadFocus = document.activeElement === old;
    old.replaceWith(fresh);
    if (hadFocus) fresh.focus();
  }

  private row(u: Unit): HTMLLIElement {
    const status = this.t(`unitStatus_${u.status}` as ConsoleKey);
    const chip = h('span', { class: 'chip' }, status);
    chip.style.background = STATUS_COLOUR[u.status] ?? '#5f6368';
    return h('li', { 'data-unit': u.id, 'data-status': u.status, tabindex: '-1', 'aria-label': this.t('unitRow', { name: u.name, type: unitTypeWords(u.unitType), status }) },
      h('span', { class: 'unit-name' }, u.name, u.incidentId ? h('small', {}, ` ${u.incidentId}`) : ''),
      h('span', { class: 'unit-type' }, unitTypeWords(u.unitType)), chip);
  }
}
