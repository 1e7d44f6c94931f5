import { api } from '../shared/api.ts';
import { confirmDialog } from './confirm-dialog.ts';
import { describeError, type Translate } from './context.ts';
import { h, newId } from './dom.ts';

/** The warning as GET /api/incidents/:id carries it. */
export interface PublicWarning {
  headline: string;
  instruction: string;
  areaDesc: string;
  radiusM: number;
  revision: number;
  updatedAt: string;
  withdrawnAt?: string;
}

const ENDED = ['cancelled', 'closed'];
let role: Promise<string | undefined> | undefined;
/** Whether the signed-in user may warn the public (supervisors), asked once. */
const maySupervise = async (): Promise<boolean> => {
  role ??= api<{ user?: { role?: string } }>('GET', '/api/session').then((s) => s.user?.role, () => undefined);
  return (await role) === 'supervisor';
};

const typing = (el: EventTarget | null): boolean =>
  el instanceof HTMLElement && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));

/**
 * The incident's warning to the public (OASIS CAP, the public Atom feed): whether one is in force,
 * and for a supervisor the form that issues or amends it (W) and the step that withdraws it.
 */
export class PublicWarningPanel {
  readonly element: HTMLElement;
  private incident: { id: string; status: string; publicWarning?: PublicWarning; address?: string } | undefined;
  private supervisor = false;

  constructor(private readonly t: Translate, private readonly changed: () => void) {
    this.element = h('section', { class: 'public-warning', 'aria-labelledby': 'pw-title' });
    void maySupervise().then((yes) => {
      this.supervisor = yes;
      this.draw();
    });
    document.addEventListener('keydown', (e) => {
      if (e.key.toLowerCase() !== 'w' || e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || typing(e.target) || document.querySelector('dialog[open]')) return;
      if (!this.element.isConnected || !this.canIssue()) return;
      e.preventDefault();
      this.openForm();
    });
  }

  render(incident: { id: string; status: string; publicWarning?: PublicWarning; address?: string }): void {
    this.incident = incident;
    this.draw();
  }

  private inForce(): PublicWarning | undefined {
    const w = this.incident?.publicWarning;
    return w && !w.withdrawnAt && !ENDED.includes(this.incident!.status) ? w : undefined;
  }

  private canIssue(): boolean {
    return this.supervisor && this.incident !== undefined && !ENDED.includes(this.incident.status);
  }

  private draw(): void {
    const t = this.t;
    const w = this.inForce();
    const was = this.incident?.publicWarning;
    const state = w
      ? h('p', { class: 'pw-state in-force' }, h('strong', {}, t('pwInForce')), ' ', w.headline, h('br'), h('small', {}, `${w.areaDesc} · ${t('pwRadius', { m: w.radiusM })}`))
      : h('p', { class: 'pw-state' }, was?.withdrawnAt ? t('pwWithdrawn') : t('pwNone'));
    const buttons = this.canIssue()
      ? h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'small', id: 'pw-issue', onclick: () => this.openForm() }, w ? t('pwAmend') : t('pwIssue'), h('kbd', {}, 'W')),
          w ? h('button', { type: 'button', class: 'small', id: 'pw-withdraw', onclick: () => void this.withdraw() }, t('pwWithdraw')) : undefined)
      : undefined;
    this.element.replaceChildren(h('h3', { id: 'pw-title' }, t('pwTitle')), state, buttons ?? '');
  }

  /** The form: headline, what to do, the area and its radius; Enter in a line or Ctrl+Enter sends, Esc closes. */
  openForm(): void {
    const i = this.incident;
    if (!i || !this.canIssue()) return;
    const t = this.t;
    const w = this.inForce();
    const field = (id: string, label: string, input: HTMLElement) => [h('label', { for: id }, label), input];
    const ids = { headline: newId('pw-headline'), instruction: newId('pw-instruction'), area: newId('pw-area'), radius: newId('pw-radius'), title: newId('pw-form-title') };
    const headline = h('input', { id: ids.headline, name: 'headline', required: true, maxlength: '160', value: w?.headline ?? '' });
    const instruction = h('textarea', { id: ids.instruction, name: 'instruction', required: true, maxlength: '1000', rows: '3' });
    instruction.value = w?.instruction ?? '';
    const area = h('input', { id: ids.area, name: 'areaDesc', required: true, maxlength: '200', value: w?.areaDesc ?? i.address ?? '' });
    const radius = h('input', { id: ids.radius, name: 'radiusM', type: 'number', required: true, min: '50', max: '50000', step: '50', value: String(w?.radiusM ?? 500) });
    const error = h('p', { class: 'error', role: 'alert' });
    const send = h('button', { type: 'submit', class: 'primary' }, w ? t('pwSendAmend') : t('pwSend'), h('kbd', {}, t('keyCtrlEnter')));
    const form = h('form', { class: 'create pw-form' },
      ...field(ids.headline, t('pwHeadline'), headline),
      ...field(ids.instruction, t('pwInstruction'), instruction),
      ...field(ids.area, t('pwArea'), area),
      ...field(ids.radius, t('pwRadiusLabel'), radius),
      h('p', { class: 'hint' }, t('pwPublicHint')),
      error,
      h('div', { class: 'actions' }, send, h('button', { type: 'button', onclick: () => dialog.close() }, t('cancel'), h('kbd', {}, t('keyEsc')))));
    const dialog = h('dialog', { class: 'help confirm', 'aria-labelledby': ids.title }, h('h2', { id: ids.title }, w ? t('pwAmend') : t('pwIssue')), form);
    const back = document.activeElement instanceof HTMLElement ? document.activeElement : undefined;
    form.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        form.requestSubmit();
      }
    });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const body = { headline: headline.value, instruction: instruction.value, areaDesc: area.value, radiusM: Number(radius.value) };
      api('POST', `/api/incidents/${encodeURIComponent(i.id)}/public-warning`, body).then(
        () => {
          dialog.close();
          this.changed();
        },
        (err: unknown) => {
          error.textContent = t('error', { m: describeError(err) });
        },
      );
    });
    dialog.addEventListener('close', () => {
      dialog.remove();
      back?.focus();
    });
    document.body.append(dialog);
    dialog.showModal();
    headline.focus();
  }

  private async withdraw(): Promise<void> {
    const i = this.incident;
    const w = this.inForce();
    if (!i || !w) return;
    if (!(await confirmDialog(this.t, this.t('pwWithdrawQuestion'), w.headline, this.t('pwWithdraw')))) return;
    try {
      await api('POST', `/api/incidents/${encodeURIComponent(i.id)}/public-warning/withdraw`, {});
      this.changed();
    } catch (e) {
      this.element.append(h('p', { class: 'error', role: 'alert' }, this.t('error', { m: describeError(e) })));
    }
  }
}
