import { h } from './dom.ts';
import { lang } from './locale.ts';
import { QUALIFICATION_CODES, qualificationLabel, ruleLabel } from './strings.ts';

/** Rule ids ("role.cpr_qualified") and qualification kinds, as codes ("first_aid") or spaced ("first aid"). */
const TOKEN = new RegExp(
  `(?<![\\w.])(${[...QUALIFICATION_CODES.flatMap((c) => (c.includes('_') ? [c, c.replace(/_/g, ' ')] : [c])), '[a-z]+(?:\\.[a-z_]+)+']
    .sort((a, b) => b.length - a.length)
    .join('|')})(?![\\w.])`,
  'g',
);

/**
 * The dispatch system's reason for a role (English text), with the rule ids and qualification kinds
 * it names put in words of the page's language; an id this page does not know stays as it is.
 */
export function roleReason(text: string): HTMLElement {
  const p = h('p', { lang: 'en', class: 'why-text' });
  let at = 0;
  for (const m of text.matchAll(TOKEN)) {
    const token = m[0];
    const code = token.replace(/ /g, '_');
    const label = token.includes('.') ? ruleLabel(lang, token) : QUALIFICATION_CODES.includes(code) ? qualificationLabel(lang, code) : undefined;
    if (label === undefined) continue;
    p.append(text.slice(at, m.index));
    p.append(lang === 'en' ? label : h('span', { lang }, label));
    at = m.index + token.length;
  }
  p.append(text.slice(at));
  return p;
}
