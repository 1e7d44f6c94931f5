import { capabilityWords, qualificationWords, type Translate } from './context.ts';
import { h, minSec } from './dom.ts';
import { KIND_COLOUR, STATUS_COLOUR } from './map-view.ts';
import { candidateWords, passedOverWords, shortfallWords, type Candidate, type PassedOver, type Shortfall } from './recommendation-words.ts';

export type { Candidate } from './recommendation-words.ts';
export interface Recommendation {
  incidentId: string;
  candidates: Candidate[];
  assigned: { unitId: string; fills?: string }[];
  shortfalls: Shortfall[];
  passedOver: PassedOver[];
  alarm?: number;
}
export interface VolunteerAlert {
  alertId: string;
  volunteerId: string;
  status: string;
  etaS: number;
  qualification: string;
  wave: number;
  role?: string;
  arrivedAt?: string;
  delivery?: { seenAt?: string };
  position?: { lat: number; lon: number } | null;
}

export type MoreRequest = { alarm: number } | { capability: string; count: number };

/**
 * Who arrives first: the recommended units and the volunteers on their way, on one timeline of
 * expected arrival, with the reasons, the shortfalls and the units passed over. D sends the plan.
 */
export class RecommendationPanel {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly moreForm: HTMLFormElement;
  private readonly capability: HTMLSelectElement;
  private readonly count: HTMLInputElement;
  private readonly status: HTMLElement;
  private alarm = 1;
  private readonly dispatchButton: HTMLButtonElement;
  private readonly moreButton: HTMLButtonElement;

  constructor(private readonly t: Translate, capabilities: readonly string[], onDispatch: () => void, private readonly onMore: (m: MoreRequest) => void) {
    this.body = h('div', { class: 'rec-body' });
    this.status = h('p', { class: 'hint', role: 'status' });
    this.capability = h('select', { id: 'more-capability' }, h('option', { value: '' }, t('nextAlarm')), ...capabilities.map((c) => h('option', { value: c }, capabilityWords(c))));
    this.count = h('input', { id: 'more-count', type: 'number', min: '1', max: '9', value: '1' });
    this.moreForm = h('form', { class: 'more', hidden: true, 'aria-label': t('moreUnits') },
      h('span', {}, h('label', { for: 'more-capability' }, t('capability')), this.capability),
      h('span', {}, h('label', { for: 'more-count' }, t('count')), this.count),
      h('button', { type: 'submit' }, t('ask')));
    this.moreForm.addEventListener('submit', (e) => {
      e.preventDefault();
      this.moreForm.hidden = true;
      if (this.capability.value) this.onMore({ capability: this.capability.value, count: Math.max(1, Number(this.count.value) || 1) });
      else this.onMore({ alarm: ++this.alarm });
    });
    this.dispatchButton = h('button', { type: 'button', class: 'primary', id: 'dispatch-plan', onclick: onDispatch }, t('dispatchPlan'), h('kbd', {}, 'D'));
    this.moreButton = h('button', { type: 'button', id: 'more-units', onclick: () => this.openMore() }, t('moreUnits'), h('kbd', {}, 'M'));
    this.element = h('section', { class: 'panel recommendation', 'aria-labelledby': 'rec-title' },
      h('div', { class: 'panel-head' }, h('h3', { id: 'rec-title' }, t('recommendation')), h('span', { class: 'buttons' }, this.dispatchButton, this.moreButton)),
      this.moreForm, this.status, this.body);
  }

  reset(): void {
    this.alarm = 1;
    this.moreForm.hidden = true;
    this.status.textContent = '';
    this.body.replaceChildren();
  }

  /** A resolved, closed or cancelled incident takes no more units: the whole panel goes. */
  setActive(active: boolean): void {
    this.element.hidden = !active;
    if (!active) this.moreForm.hidden = true;
  }

  get active(): boolean {
    return !this.element.hidden;
  }

  openMore(): void {
    if (!this.active) return;
    this.moreForm.hidden = false;
    this.capability.focus();
  }

  say(text: string): void {
    this.status.textContent = text;
  }

  render(rec: Recommendation | undefined, alerts: readonly VolunteerAlert[], unitName: (id: string) => string): void {
    if (!rec) return this.body.replaceChildren();
    const t = this.t;
    type Row = { etaS: number; kind: 'unit' | 'volunteer'; name: string; what: string; why: string; colour: string };
    const rows: Row[] = [
      ...rec.candidates.map((c): Row => ({ etaS: c.etaS, kind: 'unit', name: c.name, what: capabilityWords(c.fills), why: candidateWords(t, c), colour: STATUS_COLOUR['dispatched']! })),
      ...alerts
        .filter((a) => a.status === 'open' || a.status === 'accepted')
        .map((a): Row => ({
          etaS: a.etaS,
          kind: 'volunteer',
          name: t('volunteerShort', { id: a.volunteerId }),
          what: `${qualificationWords(a.qualification)}${a.role ? ` · ${t(`role_${a.role}` as never)}` : ''}`,
          why: t(`alert_${a.status}` as never),
          colour: KIND_COLOUR.volunteer,
        })),
    ].sort((a, b) => a.etaS - b.etaS);
    const longest = Math.max(60, ...rows.map((r) => r.etaS));
    const list = h('ol', { class: 'arrivals', 'aria-label': t('arrivals') },
      ...rows.map((r) => {
        const bar = h('span', { class: 'bar', 'aria-hidden': 'true' });
        bar.style.width = `${Math.round((r.etaS / longest) * 100)}%`;
        bar.style.background = r.colour;
        return h('li', { class: `arrival ${r.kind}`, 'data-kind': r.kind },
          h('span', { class: 'eta' }, minSec(r.etaS)),
          h('span', { class: 'who' }, h('strong', {}, r.name), ' ', h('span', { class: 'fills' }, r.what)),
          h('span', { class: 'track' }, bar),
          h('span', { class: 'why' }, r.why));
      }));
    this.body.replaceChildren(
      h('h4', {}, t('arrivals'), rec.alarm && rec.alarm > 1 ? ` — ${t('alarmLevel', { n: rec.alarm })}` : ''),
      rows.length ? list : h('p', { class: 'hint' }, t('nothingToDispatch')),
    );
    if (rec.assigned.length)
      this.body.append(h('h4', {}, t('committed')), h('ul', { class: 'committed' }, ...rec.assigned.map((a) => h('li', { 'data-unit': a.unitId }, `${unitName(a.unitId)}${a.fills ? ` (${capabilityWords(a.fills)})` : ''}`))));
    if (rec.shortfalls.length)
      this.body.append(h('h4', {}, t('shortfalls')), h('ul', { class: 'shortfalls' }, ...rec.shortfalls.map((s) => h('li', {}, shortfallWords(t, s)))));
    if (rec.passedOver.length)
      this.body.append(h('h4', {}, t('passedOver')), h('ul', { class: 'passed-over' }, ...rec.passedOver.map((p) => h('li', {}, passedOverWords(t, p, unitName)))));
  }
}
