import { api, ApiFailure } from '../shared/api.ts';
import type { ConsoleData, Incident } from './console-data.ts';
import { Combobox, type Option } from './combobox.ts';
import { describeError, type Translate } from './context.ts';
import { h } from './dom.ts';
import { callerFixFor, describeFix, type CallerFix } from './caller-fix.ts';
import type { LatLon, MapView } from './map-view.ts';

interface Suggestion { label: string; kind: string; location: LatLon; precision: string | number; detail?: string }

const NEARBY_M = 300;
const NEARBY_MIN = 30;

/**
 * The new-incident form, keyboard first. The typed address and the pin are kept side by side: the
 * address as the caller said it, the pin where the dispatcher put it (from a suggestion, or dragged).
 */
export class CreateForm {
  readonly element: HTMLFormElement;
  private readonly address: Combobox<Suggestion>;
  private readonly nature: Combobox<string>;
  private readonly pinLine: HTMLElement;
  private readonly addressNote: HTMLElement;
  private readonly priority: HTMLSelectElement;
  private readonly place: HTMLSelectElement;
  private readonly floor: HTMLInputElement;
  private readonly access: HTMLTextAreaElement;
  private readonly dupes: HTMLElement;
  private readonly error: HTMLElement;
  private readonly callback: HTMLInputElement;
  /** The caller's phone position (AML) for the number typed, shown beside the address and the pin. */
  private readonly amlRow: HTMLElement;
  private fix: CallerFix | undefined;
  private fixTimer: ReturnType<typeof setTimeout> | undefined;
  private location: LatLon | undefined;
  private chosenNature: string | undefined;
  private geocodeMissing = false;

  constructor(
    private readonly data: ConsoleData,
    private readonly map: MapView,
    private readonly t: Translate,
    private readonly natureLabel: (n: string) => string,
    private readonly done: (incidentId: string | undefined) => void,
  ) {
    this.addressNote = h('p', { id: 'new-address-hint', class: 'hint' }, t('addressHint'));
    this.address = new Combobox<Suggestion>('new-address', (q) => this.geocode(q), (o) => {
      this.address.input.value = o.value.label;
      this.placePin(o.value.location, t('pinFrom', { label: o.value.label, precision: String(o.value.precision) }));
      this.nature.input.focus();
    }, { delayMs: 150, describedBy: 'new-address-hint' });
    this.pinLine = h('p', { class: 'pin-line', role: 'status' }, t('pinNone'));
    const pinHere = h('button', { type: 'button', class: 'small', onclick: () => this.placePin(map.center(), t('pinMoved')) }, t('pinHere'));
    this.nature = new Combobox<string>('new-nature', (q) => Promise.resolve(this.natureOptions(q)), (o) => {
      this.chosenNature = o.value;
      this.nature.input.value = o.label;
      const plan = this.data.natures.find((n) => n.nature === o.value);
      if (plan) this.priority.value = String(plan.defaultPriority);
      this.priority.focus();
    }, { delayMs: 0 });
    this.nature.input.addEventListener('input', () => (this.chosenNature = undefined));
    this.priority = h('select', { id: 'new-priority' }, ...[1, 2, 3].map((p) => h('option', { value: String(p) }, `P${p}`)));
    this.priority.value = '2';
    this.place = h('select', { id: 'new-place' }, ...(['unknown', 'public', 'home'] as const).map((p) => h('option', { value: p }, t(`place_${p}`))));
    this.floor = h('input', { id: 'new-floor', autocomplete: 'off' });
    this.access = h('textarea', { id: 'new-access', rows: '2' });
    this.dupes = h('section', { class: 'dupes', 'aria-label': t('duplicates'), 'aria-live': 'polite' });
    this.error = h('p', { class: 'error', role: 'alert' });
    this.callback = h('input', { id: 'new-callback', type: 'tel', autocomplete: 'off', inputmode: 'tel' });
    this.callback.addEventListener('input', () => {
      clearTimeout(this.fixTimer);
      this.fixTimer = setTimeout(() => void this.findFix(), 300);
    });
    // The live stream says when a phone has sent a position for no incident yet: it may be this caller's.
    data.on('callerLocation', () => void this.findFix());
    this.amlRow = h('div', { class: 'aml-row', 'aria-live': 'polite' });
    this.element = h('form', { class: 'create', 'aria-labelledby': 'create-title' },
      h('h2', { id: 'create-title' }, t('newIncident')),
      h('label', { for: 'new-callback' }, t('callback')), this.callback,
      h('label', { for: 'new-address' }, t('address')), this.address.element, this.addressNote,
      h('div', { class: 'pin-row' }, this.pinLine, pinHere),
      this.amlRow,
      h('label', { for: 'new-nature' }, t('nature'), h('small', {}, ' — ', t('natureHint'))), this.nature.element,
      h('div', { class: 'row' },
        h('span', {}, h('label', { for: 'new-priority' }, t('priorityLabel')), this.priority),
        h('span', {}, h('label', { for: 'new-place' }, t('place')), this.place)),
      h('label', { for: 'new-floor' }, t('floor')), this.floor,
      h('label', { for: 'new-access' }, t('access')), this.access,
      this.dupes,
      this.error,
      h('div', { class: 'actions' },
        h('button', { type: 'submit', class: 'primary' }, t('create'), h('kbd', {}, 'Ctrl+Enter')),
        h('button', { type: 'button', onclick: () => this.cancel() }, t('cancel'), h('kbd', {}, 'Esc'))));
    this.element.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.submit();
    });
    this.element.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        void this.submit();
      } else if (e.altKey && e.key.toLowerCase() === 'u' && this.fix) {
        e.preventDefault();
        this.useFix();
      } else if (e.key === 'Escape' && !e.defaultPrevented) {
        e.preventDefault();
        this.cancel();
      }
    });
  }

  open(): void {
    this.address.input.focus();
  }

  cancel(): void {
    this.map.clearPin();
    this.map.clearCallerFix();
    this.done(undefined);
  }

  /** Asks for the phone position of the number typed; shows it with its accuracy circle, or nothing. */
  private async findFix(): Promise<void> {
    const number = this.callback.value.trim();
    const fix = number ? await callerFixFor(number) : undefined;
    if (number !== this.callback.value.trim()) return;
    this.fix = fix;
    if (!fix) {
      this.amlRow.replaceChildren();
      this.map.clearCallerFix();
      return;
    }
    this.map.showCallerFix(fix.location, fix.radiusM, this.t('amlCircle', { m: Math.round(fix.radiusM) }));
    this.amlRow.replaceChildren(
      h('p', { class: 'aml-line', id: 'aml-line' }, describeFix(fix, this.t, document.documentElement.lang || 'en')),
      h('button', { type: 'button', class: 'small', id: 'aml-use', 'aria-describedby': 'aml-line', onclick: () => this.useFix() }, this.t('amlUse'), h('kbd', {}, 'Alt+U')),
    );
  }

  private useFix(): void {
    const fix = this.fix;
    if (fix) this.placePin(fix.location, this.t('amlPinFrom', { m: Math.round(fix.radiusM) }));
  }

  private async geocode(q: string): Promise<Option<Suggestion>[] | undefined> {
    if (q.length < 2 || this.geocodeMissing) return [];
    try {
      const r = await api<{ suggestions: Suggestion[] }>('GET', `/api/geocode?${new URLSearchParams({ q, limit: '8' })}`);
      this.addressNote.textContent = r.suggestions.length ? this.t('addressHint') : this.t('noSuggestions');
      return r.suggestions.map((s) => ({ value: s, label: s.label, detail: s.detail ?? s.kind }));
    } catch (e) {
      // A server without address search: the dispatcher types the address and places the pin.
      if (e instanceof ApiFailure && e.error.status === 404) {
        this.geocodeMissing = true;
        this.addressNote.textContent = this.t('geocodeUnavailable');
        if (!this.location) this.placePin(this.map.center(), this.t('pinMoved'));
      }
      return [];
    }
  }

  private natureOptions(q: string): Option<string>[] {
    const words = q.toLowerCase().split(/\s+/).filter(Boolean);
    return this.data.natures
      .map((n) => ({ value: n.nature, label: this.natureLabel(n.nature), detail: `P${n.defaultPriority}` }))
      .filter((o) => words.every((w) => `${o.label} ${o.value}`.toLowerCase().includes(w)));
  }

  private placePin(at: LatLon, source: string): void {
    this.location = at;
    this.map.setPin(at, this.t('pin'), (moved) => {
      this.location = moved;
      this.showPin(this.t('pinMoved'));
      void this.findDuplicates();
    });
    this.showPin(source);
    void this.findDuplicates();
  }

  private showPin(source: string): void {
    const at = this.location!;
    this.pinLine.textContent = `${this.t('pin')}${this.t('colon')}${this.t('pinAt', { lat: at.lat.toFixed(5), lon: at.lon.toFixed(5) })} — ${source}`;
  }

  private async findDuplicates(): Promise<void> {
    const at = this.location;
    if (!at) return;
    const q = new URLSearchParams({ lat: String(at.lat), lon: String(at.lon), radiusM: String(NEARBY_M), minutes: String(NEARBY_MIN) });
    let nearby: Incident[];
    try {
      nearby = (await api<{ incidents: Incident[] }>('GET', `/api/incidents/nearby?${q}`)).incidents;
    } catch {
      this.dupes.replaceChildren();
      return;
    }
    if (at !== this.location) return;
    this.dupes.replaceChildren(
      h('h3', {}, this.t('duplicates')),
      ...(nearby.length
        ? nearby.map((i) => h('button', { type: 'button', class: 'dupe', 'data-duplicate-of': i.id, onclick: () => void this.submit(i.id) },
            this.t('duplicateOf', { id: i.id }), h('small', {}, ` ${this.natureLabel(i.nature)} — ${i.address ?? ''} — ${this.t('distance', { m: Math.round(i.distanceM ?? 0) })}`)))
        : [h('p', { class: 'hint' }, this.t('noDuplicates', { m: NEARBY_MIN }))]),
    );
  }

  /** Creates the incident; with `duplicateOf`, folds it at once into the incident it repeats. */
  private async submit(duplicateOf?: string): Promise<void> {
    this.error.textContent = '';
    if (!this.location) return this.fail(this.t('needLocation'), this.address.input);
    const nature = this.chosenNature ?? this.natureOptions(this.nature.input.value)[0]?.value;
    if (!nature || !this.nature.input.value.trim()) return this.fail(this.t('needNature'), this.nature.input);
    const body: Record<string, unknown> = { location: this.location, nature, priority: Number(this.priority.value), place: this.place.value };
    const text = (v: string) => v.trim() || undefined;
    if (text(this.address.input.value)) body['address'] = text(this.address.input.value);
    if (text(this.floor.value)) body['floor'] = text(this.floor.value);
    if (text(this.access.value)) body['access'] = text(this.access.value);
    if (text(this.callback.value)) body['callbackNumber'] = text(this.callback.value);
    try {
      const created = await api<Incident>('POST', '/api/incidents', body);
      if (duplicateOf) await api('POST', `/api/incidents/${encodeURIComponent(created.id)}/merge`, { into: duplicateOf });
      this.map.clearPin();
      this.map.clearCallerFix();
      this.done(duplicateOf ?? created.id);
    } catch (e) {
      this.fail(this.t('error', { m: describeError(e) }));
    }
  }

  private fail(message: string, focus?: HTMLElement): void {
    this.error.textContent = message;
    focus?.focus();
  }
}
