import { api, ApiFailure } from '../shared/api.ts';
import type { ConsoleData, Incident } from './console-data.ts';
import { describeError, type Translate } from './context.ts';
import { h, keepOneTabStop, rovingList } from './dom.ts';
import { incidentRow } from './incident-queue.ts';

const STATUSES = ['open', 'received', 'dispatched', 'en_route', 'on_scene', 'resolved', 'closed', 'cancelled'] as const;
const PAGE = 20;

interface Query { q: string; nature: string; status: string; from: string; to: string }

/**
 * Past incidents by text, nature, status and time, a page at a time (the server's cursor). A
 * server without those filters yet is searched here, from one bounded list.
 */
export class IncidentSearch {
  readonly element: HTMLElement;
  readonly text: HTMLInputElement;
  private readonly results: HTMLOListElement;
  private readonly more: HTMLButtonElement;
  private readonly message: HTMLElement;
  private next: (() => Promise<void>) | undefined;

  constructor(data: ConsoleData, private readonly t: Translate, private readonly natureLabel: (n: string) => string, onSelect: (id: string) => void) {
    this.text = h('input', { id: 'search-text', type: 'search', autocomplete: 'off' });
    const nature = h('select', { id: 'search-nature' }, h('option', { value: '' }, t('anyNature')),
      ...data.natures.map((n) => h('option', { value: n.nature }, natureLabel(n.nature))));
    const status = h('select', { id: 'search-status' }, h('option', { value: '' }, t('anyStatus')),
      ...STATUSES.map((s) => h('option', { value: s }, s === 'open' ? t('openTab') : t(`incidentStatus_${s}`))));
    const from = h('input', { id: 'search-from', type: 'datetime-local' });
    const to = h('input', { id: 'search-to', type: 'datetime-local' });
    this.results = h('ol', { class: 'incident-list', 'aria-label': t('search'), 'aria-live': 'polite' });
    this.more = h('button', { type: 'button', hidden: true, onclick: () => void this.next?.() }, t('more'));
    this.message = h('p', { class: 'hint', role: 'status' });
    const form = h('form', { class: 'search', role: 'search', 'aria-label': t('search') },
      h('label', { for: 'search-text' }, t('searchText')), this.text,
      h('div', { class: 'row' },
        h('span', {}, h('label', { for: 'search-nature' }, t('nature')), nature),
        h('span', {}, h('label', { for: 'search-status' }, t('status')), status)),
      h('div', { class: 'row' },
        h('span', {}, h('label', { for: 'search-from' }, t('from')), from),
        h('span', {}, h('label', { for: 'search-to' }, t('to')), to)),
      h('button', { type: 'submit' }, t('search')));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.run({ q: this.text.value.trim(), nature: nature.value, status: status.value, from: from.value, to: to.value });
    });
    // Enter in a picker searches too, as it does in the text fields.
    form.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.target as HTMLElement).tagName === 'SELECT') {
        e.preventDefault();
        form.requestSubmit();
      }
    });
    rovingList(this.results, 'li[data-incident]', (li) => onSelect(li.dataset['incident']!));
    this.element = h('div', { class: 'search-pane' }, form, this.message, this.results, this.more);
  }

  private async run(q: Query): Promise<void> {
    this.results.replaceChildren();
    this.message.textContent = '';
    const iso = (local: string) => (local ? new Date(local).toISOString() : '');
    const params = new URLSearchParams({ limit: String(PAGE) });
    if (q.q) params.set('q', q.q);
    if (q.nature) params.set('nature', q.nature);
    params.set('status', q.status || 'all');
    if (q.from) params.set('from', iso(q.from));
    if (q.to) params.set('to', iso(q.to));
    const page = async (cursor?: string): Promise<void> => {
      if (cursor) params.set('cursor', cursor);
      try {
        const r = await api<{ incidents: Incident[]; next?: string }>('GET', `/api/incidents?${params}`);
        this.show(r.incidents, r.next ? () => page(r.next) : undefined);
      } catch (e) {
        // Until the server takes these filters, search one bounded list here.
        if (e instanceof ApiFailure && (e.error.status === 400 || e.error.status === 404)) return this.searchHere(q);
        this.message.textContent = this.t('error', { m: describeError(e) });
      }
    };
    await page();
  }

  private async searchHere(q: Query): Promise<void> {
    const status = q.status || 'all';
    const { incidents } = await api<{ incidents: Incident[] }>('GET', `/api/incidents?status=${status}&limit=5000`);
    const text = q.q.toLowerCase();
    const from = q.from ? Date.parse(q.from) : -Infinity;
    const to = q.to ? Date.parse(q.to) : Infinity;
    const hits = incidents.filter((i) => {
      const at = Date.parse(i.receivedAt);
      const words = `${i.id} ${i.address ?? ''} ${i.nature} ${this.natureLabel(i.nature)} ${i.floor ?? ''} ${i.access ?? ''}`.toLowerCase();
      return (!text || words.includes(text)) && (!q.nature || i.nature === q.nature) && at >= from && at <= to;
    });
    const page = (start: number): Promise<void> => {
      this.show(hits.slice(start, start + PAGE), start + PAGE < hits.length ? () => page(start + PAGE) : undefined);
      return Promise.resolve();
    };
    await page(0);
  }

  private show(incidents: Incident[], next: (() => Promise<void>) | undefined): void {
    const now = Date.now();
    this.results.append(...incidents.map((i) => incidentRow(i, this.t, this.natureLabel, now)));
    if (!this.results.querySelector('li')) this.message.textContent = this.t('noResults');
    keepOneTabStop(this.results, 'li[data-incident]');
    this.next = next;
    this.more.hidden = next === undefined;
  }
}
