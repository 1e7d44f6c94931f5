import { qualificationWords, type Translate } from './context.ts';
import { clockTime, h, minSec } from './dom.ts';
import type { VolunteerAlert } from './recommendation-panel.ts';

export interface VolunteerResponse { status: string; alerts: VolunteerAlert[] }

/** The volunteer response as it happens: who was alerted, has seen, accepted, their role, ETA, arrival. */
export class VolunteerPanel {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;

  constructor(private readonly t: Translate, private readonly lang: string) {
    this.body = h('div', { 'aria-live': 'polite' });
    this.element = h('section', { class: 'panel volunteers', 'aria-labelledby': 'vol-title' }, h('h3', { id: 'vol-title' }, t('volunteers')), this.body);
  }

  render(response: VolunteerResponse | null | undefined): void {
    const t = this.t;
    if (!response || !response.alerts.length) {
      this.body.replaceChildren(h('p', { class: 'hint' }, t('noVolunteers')));
      return;
    }
    const cell = (text: string) => h('td', {}, text);
    this.body.replaceChildren(
      h('table', {},
        h('thead', {}, h('tr', {}, ...[t('volunteer'), t('qualification'), t('status'), t('seen'), t('role'), t('eta'), t('arrivedCol')].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {},
          ...response.alerts.map((a) =>
            h('tr', { 'data-volunteer': a.volunteerId, 'data-status': a.status },
              cell(a.volunteerId),
              cell(qualificationWords(a.qualification)),
              cell(t(`alert_${a.status}` as never)),
              cell(a.delivery?.seenAt ? clockTime(a.delivery.seenAt, this.lang) : '—'),
              cell(a.role ? t(`role_${a.role}` as never) : '—'),
              cell(minSec(a.etaS)),
              cell(a.arrivedAt ? clockTime(a.arrivedAt, this.lang) : '—'))))),
    );
  }
}
