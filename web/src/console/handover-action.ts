import { api } from '../shared/api.ts';
import { describeError, type Translate } from './context.ts';
import { h, newId } from './dom.ts';

/** A partner centre as GET /api/partners names it (never its address or key). */
export interface Partner {
  id: string;
  name: string;
  format: 'eido' | 'emsi';
}

/** The longest reason the server takes (HANDOVER_REASON_MAX). */
const REASON_MAX = 500;
const ENDED = ['resolved', 'cancelled', 'closed'];
/** The roles whose rule lets them hand an incident over (DISPATCHING in src/server/access.ts). */
const HANDS_OVER = ['dispatcher', 'supervisor'];

const typing = (el: EventTarget | null): boolean =>
  el instanceof HTMLElement && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));

/** The incident the action is for, and how the dialog names it to the dispatcher. */
export interface HandOverTarget {
  readonly id: string;
  readonly status: string;
  readonly label: string;
}

/**
 * Mutual aid from the incident panel: the dispatcher picks a partner centre, says why, and
 * confirms; the hand-over then shows on the incident (sending, sent, acknowledged or refused).
 * H opens it for the incident on screen; the button shows only when there is a partner and the
 * signed-in role may hand over.
 */
export class HandOverAction {
  private partners: Partner[] = [];
  private allowed = false;
  private target: HandOverTarget | undefined;

  constructor(
    private readonly t: Translate,
    private readonly changed: () => void,
  ) {
    void Promise.all([
      api<Partner[]>('GET', '/api/partners').catch(() => []),
      api<{ user?: { role?: string } }>('GET', '/api/session').then((s) => s.user?.role, () => undefined),
    ]).then(([partners, role]) => {
      this.partners = partners;
      this.allowed = role !== undefined && HANDS_OVER.includes(role);
      if (this.available()) this.changed();
    });
    document.addEventListener('keydown', (e) => {
      if (e.key.toLowerCase() !== 'h' || e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || typing(e.target) || document.querySelector('dialog[open]')) return;
      if (!this.available()) return;
      e.preventDefault();
      this.open();
    });
  }

  /** The incident now on screen (undefined: none). */
  show(target: HandOverTarget | undefined): void {
    this.target = target;
  }

  private available(): boolean {
    return this.allowed && this.partners.length > 0 && this.target !== undefined && !ENDED.includes(this.target.status);
  }

  /** The button for the incident panel's actions, when the action is available. */
  button(): HTMLElement | undefined {
    if (!this.available()) return undefined;
    return h('button', { type: 'button', class: 'small', id: 'incident-handover', onclick: () => this.open() }, this.t('handOver'), h('kbd', {}, 'H'));
  }

  /** The dialog: partner, reason, then Hand over (Ctrl+Enter) or Cancel (Esc). */
  open(): void {
    const target = this.target;
    if (!target || !this.available()) return;
    const t = this.t;
    const ids = { title: newId('ho-title'), partner: newId('ho-partner'), reason: newId('ho-reason') };
    const partner = h(
      'select',
      { id: ids.partner, name: 'partnerId', required: true },
      ...this.partners.map((p) => h('option', { value: p.id }, `${p.name} (${p.format.toUpperCase()})`)),
    );
    const reason = h('textarea', { id: ids.reason, name: 'reason', required: true, maxlength: String(REASON_MAX), rows: '3' });
    const error = h('p', { class: 'error', role: 'alert' });
    const send = h('button', { type: 'submit', class: 'primary' }, t('handOverSend'), h('kbd', {}, t('keyCtrlEnter')));
    const form = h(
      'form',
      { class: 'create handover-form' },
      h('p', { class: 'handover-what' }, t('handOverWhat', { what: target.label })),
      h('label', { for: ids.partner }, t('handOverPartner')),
      partner,
      h('label', { for: ids.reason }, t('handOverReason')),
      reason,
      h('p', { class: 'hint' }, t('handOverHint')),
      error,
      h('div', { class: 'actions' }, send, h('button', { type: 'button', onclick: () => dialog.close() }, t('cancel'), h('kbd', {}, t('keyEsc')))),
    );
    const dialog = h('dialog', { class: 'help confirm', 'aria-labelledby': ids.title }, h('h2', { id: ids.title }, t('handOverTitle')), form);
    const back = document.activeElement instanceof HTMLElement ? document.activeElement : undefined;
    form.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        form.requestSubmit();
      }
    });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      if (reason.value.trim() === '') {
        error.textContent = t('handOverNoReason');
        reason.focus();
        return;
      }
      send.disabled = true;
      api('POST', `/api/incidents/${encodeURIComponent(target.id)}/handover`, { partnerId: partner.value, reason: reason.value.trim() }).then(
        () => {
          dialog.close();
          this.changed();
        },
        (err: unknown) => {
          send.disabled = false;
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
    partner.focus();
  }
}
