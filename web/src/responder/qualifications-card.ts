import { field, h, notice } from './dom.ts';
import { day, qualification, t } from './locale.ts';
import { reason } from './sign-up-screen.ts';
import { QUALIFICATION_CODES } from './strings.ts';
import { declare, type Qualification, type Volunteer } from './volunteer-api.ts';

const stateOf = (q: Qualification): 'expired' | 'verified' | 'pending' => (q.expired ? 'expired' : q.verified ? 'verified' : 'pending');

/** The volunteer's qualifications with their verification state, and a form to declare one more. */
export function qualificationsCard(v: Volunteer, onChanged: () => void): HTMLElement {
  const list =
    v.qualifications.length === 0
      ? h('p', { class: 'help' }, t('noQualifications'))
      : h(
          'ul',
          { class: 'quals' },
          ...v.qualifications.map((q) => {
            const state = stateOf(q);
            return h(
              'li',
              { 'data-kind': q.kind, 'data-state': state },
              h('strong', {}, qualification(q.kind)),
              ' ',
              h('span', { class: `badge ${state}` }, t(state)),
              h('small', {}, t('expires', { date: day(q.expiresAt) })),
            );
          }),
        );
  const kind = h('select', { name: 'kind' }, ...QUALIFICATION_CODES.map((k) => h('option', { value: k }, qualification(k))));
  const nextYear = new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);
  const expiry = h('input', { type: 'date', name: 'expiresAt', required: true, value: nextYear, min: new Date().toISOString().slice(0, 10) });
  const said = notice();
  const form = h('form', { class: 'declare' }, field(t('declareKind'), kind), field(t('declareExpiry'), expiry), h('button', { type: 'submit' }, t('declare')), said);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    declare(kind.value, expiry.value)
      .then(onChanged)
      .catch((err: unknown) => said.say(reason(err), 'error'));
  });
  // Folded away once there is one: the list is what a volunteer comes back to read.
  const more = h('details', { class: 'declare-more', open: v.qualifications.length === 0 }, h('summary', {}, t('declare')), form);
  return h('section', { class: 'card', 'aria-labelledby': 'quals-title' }, h('h2', { id: 'quals-title' }, t('qualifications')), list, more);
}
