import { api, ApiFailure } from '../shared/api.ts';
import { describeFix } from './caller-fix.ts';
import type { ConsoleData, Incident, Unit } from './console-data.ts';
import { OPEN_STATUSES } from './console-data.ts';
import { confirmDialog } from './confirm-dialog.ts';
import { HandOverAction } from './handover-action.ts';
import { describeError, type Translate } from './context.ts';
import { h } from './dom.ts';
import { RecommendationPanel, type MoreRequest, type Recommendation } from './recommendation-panel.ts';
import { TimelinePanel } from './timeline-panel.ts';
import { PublicWarningPanel } from './public-warning-panel.ts';
import { VolunteerPanel } from './volunteer-panel.ts';
import type { VolunteerWatch } from './volunteer-watch.ts';
import type { ConsoleKey } from './strings.ts';

/**
 * The selected incident: what it is, the recommendation, the volunteers and the timeline. It reads
 * again when the stream says the incident, its units or its volunteers changed.
 */
export class IncidentDetail {
  readonly element: HTMLElement;
  private readonly head: HTMLElement;
  private readonly error: HTMLElement;
  private readonly rec: RecommendationPanel;
  private readonly volunteers: VolunteerPanel;
  private readonly timeline: TimelinePanel;
  private readonly warning: PublicWarningPanel;
  private readonly handOver: HandOverAction;
  private id: string | undefined;
  private incident: Incident | undefined;
  private recommendation: Recommendation | undefined;
  private more: MoreRequest | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly data: ConsoleData, private readonly watch: VolunteerWatch, private readonly t: Translate, lang: string, private readonly natureLabel: (n: string) => string) {
    const capabilities = [...new Set(data.natures.flatMap((n) => n.units.map((u) => u.capability)))].sort();
    this.rec = new RecommendationPanel(t, capabilities, () => void this.dispatch(), (m) => void this.askMore(m));
    this.volunteers = new VolunteerPanel(t, lang);
    this.timeline = new TimelinePanel(t, lang, (id) => this.unitName(id));
    this.warning = new PublicWarningPanel(t, () => this.soon());
    this.handOver = new HandOverAction(t, () => this.id && this.soon());
    this.head = h('div', { class: 'incident-head' });
    this.error = h('p', { class: 'error', role: 'alert' });
    this.element = h('section', { class: 'detail', 'aria-labelledby': 'detail-title', tabindex: '-1' }, this.head, this.error, this.rec.element, this.warning.element, this.volunteers.element, this.timeline.element);
    data.on('incident', (id) => id === this.id && this.soon());
    data.on('units', () => this.id && this.soon());
    // The volunteer response's events are on the timeline too.
    data.on('volunteers', (id) => id === this.id && this.soon());
    watch.onChange((id) => id === this.id && this.showVolunteers());
  }

  get selected(): string | undefined {
    return this.id;
  }

  async select(id: string): Promise<void> {
    this.id = id;
    this.more = undefined;
    this.recommendation = undefined;
    this.rec.reset();
    this.error.textContent = '';
    this.watch.refresh(id, 0);
    await this.load();
  }

  private soon(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.load(), 250);
  }

  private unitName(id: string): string {
    return this.data.units.get(id)?.name ?? id;
  }

  private recPath(id: string): string {
    const m = this.more;
    const q = !m ? '' : 'alarm' in m ? `?alarm=${m.alarm}` : `?more=${encodeURIComponent(`${m.capability}:${m.count}`)}`;
    return `/api/incidents/${encodeURIComponent(id)}/recommendation${q}`;
  }

  private async load(): Promise<void> {
    const id = this.id;
    if (!id) return;
    try {
      const [incident, rec] = await Promise.all([api<Incident>('GET', `/api/incidents/${encodeURIComponent(id)}`), api<Recommendation>('GET', this.recPath(id)).catch(() => undefined)]);
      if (id !== this.id) return;
      this.incident = incident;
      this.handOver.show({ id, status: incident.status, label: this.label(incident) });
      this.rec.setActive(OPEN_STATUSES.includes(incident.status));
      this.recommendation = rec && (this.more && 'alarm' in this.more ? { ...rec, alarm: this.more.alarm } : rec);
      this.renderHead();
      this.timeline.render(incident.timeline ?? []);
      this.warning.render(incident);
      this.showVolunteers();
    } catch (e) {
      this.error.textContent = this.t('error', { m: describeError(e) });
    }
  }

  private showVolunteers(): void {
    const view = this.id ? this.watch.views.get(this.id) : undefined;
    this.volunteers.render(view);
    this.rec.render(this.recommendation, view?.alerts ?? [], (id) => this.unitName(id));
  }

  private renderHead(): void {
    const i = this.incident!;
    const t = this.t;
    const open = OPEN_STATUSES.includes(i.status);
    const action = (verb: 'resolve' | 'close' | 'cancel', label: ConsoleKey, key?: string) =>
      h('button', { type: 'button', class: 'small', id: `incident-${verb}`, onclick: () => void (verb === 'resolve' ? this.confirmResolve() : this.act(verb)) }, t(label), key ? h('kbd', {}, key) : undefined);
    this.head.replaceChildren(
      h('h2', { id: 'detail-title' }, `${t('priority', { p: i.priority })} ${this.natureLabel(i.nature)}`, h('span', { class: 'status-tag' }, t(`incidentStatus_${i.status}` as ConsoleKey))),
      h('p', { class: 'addr' }, i.address ?? '', ' ', h('small', {}, `${i.id} · ${i.location.lat.toFixed(5)}, ${i.location.lon.toFixed(5)}`)),
      i.callerLocation ? h('p', { class: 'aml-line' }, describeFix(i.callerLocation, t, document.documentElement.lang || 'en'), ' ', h('small', {}, `${i.callerLocation.location.lat.toFixed(5)}, ${i.callerLocation.location.lon.toFixed(5)}`)) : '',
      ...(i.handovers ?? []).map((x) =>
        h('p', { class: `handover-line handover-${x.status}`, role: 'status' }, t(`handover_${x.status}` as ConsoleKey, { partner: x.partnerId, theirs: x.partnerIncidentId ?? '', reason: x.refusal?.reason ?? '' }))),
      i.floor || i.access || i.place
        ? h('p', { class: 'notes' }, i.place ? `${t('place')}${t('colon')}${t(`place_${i.place}` as ConsoleKey)}. ` : '', i.floor ? `${t('floor')}${t('colon')}${i.floor}. ` : '', i.access ? `${t('access')}${t('colon')}${i.access}` : '')
        : '',
      open ? '' : this.committedLine(i.id),
      h('div', { class: 'actions' },
        open ? action('resolve', 'resolve', 'R') : undefined,
        i.status === 'resolved' ? action('close', 'closeIncident') : undefined,
        open ? action('cancel', 'cancelIncident') : undefined,
        this.handOver.button()),
    );
  }

  /** Units still on an incident that no longer needs them, at a glance, with the one step that frees them. */
  private committedLine(id: string): HTMLElement | string {
    const units = this.committedUnits(id);
    if (!units.length) return '';
    return h('p', { class: 'committed-line', role: 'status' },
      h('strong', {}, units.length === 1 ? this.t('stillCommittedOne') : this.t('stillCommitted', { n: units.length })), ` ${units.map((u) => u.name).join(', ')} `,
      h('button', { type: 'button', class: 'small', id: 'clear-units', onclick: () => void this.clearUnits() }, this.t('clearUnits'), h('kbd', {}, 'C')));
  }

  private committedUnits(id: string): Unit[] {
    return [...this.data.units.values()].filter((u) => u.incidentId === id && u.status !== 'available' && u.status !== 'out_of_service');
  }

  /** Sets every unit still committed to a finished incident available; a unit that may not go straight there says why. */
  async clearUnits(): Promise<void> {
    const i = this.incident;
    if (!i || OPEN_STATUSES.includes(i.status)) return;
    const refused: string[] = [];
    for (const u of this.committedUnits(i.id)) {
      try {
        await api('POST', `/api/units/${encodeURIComponent(u.id)}/status`, { status: 'available' });
      } catch (e) {
        refused.push(`${u.name}${this.t('colon')}${describeError(e)}`);
      }
    }
    this.error.textContent = refused.length ? this.t('error', { m: refused.join('; ') }) : '';
    this.soon();
  }

  /** Sends the units of the plan now on screen, all or none. */
  async dispatch(): Promise<void> {
    if (!this.rec.active) return;
    const id = this.id;
    const unitIds = this.recommendation?.candidates.map((c) => c.unitId) ?? [];
    if (!id) return;
    if (!unitIds.length) return this.rec.say(this.t('nothingToDispatch'));
    try {
      await api('POST', `/api/incidents/${encodeURIComponent(id)}/dispatch`, { unitIds });
      this.rec.say(this.t('dispatched', { n: unitIds.length }));
      this.more = undefined;
      this.soon();
    } catch (e) {
      this.rec.say(this.t('error', { m: describeError(e) }));
    }
  }

  openMore(): void {
    if (this.id) this.rec.openMore();
  }

  private async askMore(m: MoreRequest): Promise<void> {
    this.more = m;
    try {
      await api('GET', this.recPath(this.id!));
      await this.load();
    } catch (e) {
      this.more = undefined;
      this.rec.say(this.t('error', { m: e instanceof ApiFailure ? describeError(e) : String(e) }));
    }
  }

  /** Resolves the incident on screen once the dispatcher confirms: the one they are looking at, never another. */
  async confirmResolve(): Promise<void> {
    const i = this.incident;
    if (!i || i.id !== this.id || !OPEN_STATUSES.includes(i.status)) return;
    const what = `${this.t('priority', { p: i.priority })} ${this.natureLabel(i.nature)}`;
    const where = i.address ?? `${i.location.lat.toFixed(5)}, ${i.location.lon.toFixed(5)}`;
    if (await confirmDialog(this.t, this.t('resolveQuestion'), this.t('resolveDetail', { what, where }), this.t('resolve'))) await this.act('resolve');
  }

  /** How a dialog names the incident: "P1 Structure fire, 200 Larkin St". */
  private label(i: Incident): string {
    return `${this.t('priority', { p: i.priority })} ${this.natureLabel(i.nature)}, ${i.address ?? `${i.location.lat.toFixed(5)}, ${i.location.lon.toFixed(5)}`}`;
  }

  private async act(verb: 'resolve' | 'close' | 'cancel'): Promise<void> {
    try {
      await api('POST', `/api/incidents/${encodeURIComponent(this.id!)}/${verb}`, {});
      this.soon();
    } catch (e) {
      this.error.textContent = this.t('error', { m: describeError(e) });
    }
  }
}
