import { currentLang, translator } from '../shared/i18n.ts';
import { natureLabel, qualificationLabel, STRINGS } from './strings.ts';

/** The page's language, chosen once at load (switching reloads), and the words and formats in it. */
export const lang = currentLang();
export const t = translator(STRINGS);
export type Translate = typeof t;

/** The phone's own locale when it speaks the page's language (its 12 or 24 h clock), else the language's usual one. */
const phoneLocale = navigator.languages?.find((l) => l.toLowerCase().startsWith(lang));
const locale = phoneLocale ?? (lang === 'fr' ? 'fr-FR' : 'en-US');
/** The one formatter of clock times on this page: "06:15" on a 24 h clock, "6:15 AM" on a 12 h one. */
const twelveHours = new Intl.DateTimeFormat(locale, { hour: 'numeric' }).resolvedOptions().hour12 === true;
const clock = new Intl.DateTimeFormat(locale, { hour: twelveHours ? 'numeric' : '2-digit', minute: '2-digit' });
export const nature = (code: string): string => natureLabel(lang, code);
export const qualification = (code: string): string => qualificationLabel(lang, code);
export const clockTime = (iso: string): string => clock.format(new Date(iso));
/** A wall-clock time "HH:MM" (quiet hours) in the same format as every other time. */
export const wallTime = (hhmm: string): string => {
  const [hh, mm] = hhmm.split(':').map(Number);
  return hh === undefined || mm === undefined || Number.isNaN(hh) || Number.isNaN(mm) ? hhmm : clock.format(new Date(2000, 0, 1, hh, mm));
};
export const day = (iso: string): string => new Date(iso).toLocaleDateString(locale, { year: 'numeric', month: 'long', day: 'numeric' });
/** Walking minutes, never 0: "1 min" for anything under a minute and a half. */
export const minutes = (s: number): number => Math.max(1, Math.round(s / 60));
