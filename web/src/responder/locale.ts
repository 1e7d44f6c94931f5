import { currentLang, translator } from '../shared/i18n.ts';
import { natureLabel, qualificationLabel, STRINGS } from './strings.ts';

/** The page's language, chosen once at load (switching reloads), and the words and formats in it. */
export const lang = currentLang();
export const t = translator(STRINGS);
export type Translate = typeof t;

const locale = lang === 'fr' ? 'fr-FR' : 'en-US';
export const nature = (code: string): string => natureLabel(lang, code);
export const qualification = (code: string): string => qualificationLabel(lang, code);
export const clockTime = (iso: string): string => new Date(iso).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
export const day = (iso: string): string => new Date(iso).toLocaleDateString(locale, { year: 'numeric', month: 'long', day: 'numeric' });
/** Walking minutes, never 0: "1 min" for anything under a minute and a half. */
export const minutes = (s: number): number => Math.max(1, Math.round(s / 60));
