/**
 * English and French. The language follows the browser until the user picks one (kept in
 * localStorage); each page brings its own strings, checked at compile time to have both languages.
 */
export type Lang = 'en' | 'fr';
export const LANGS: readonly Lang[] = ['en', 'fr'];
const KEY = 'samaritan.lang';

export type Strings<K extends string> = Readonly<Record<Lang, Readonly<Record<K, string>>>>;

export function currentLang(): Lang {
  const chosen = localStorage.getItem(KEY);
  if (chosen === 'en' || chosen === 'fr') return chosen;
  const browser = (navigator.languages?.[0] ?? navigator.language ?? 'en').toLowerCase();
  return browser.startsWith('fr') ? 'fr' : 'en';
}

export function chooseLang(lang: Lang): void {
  localStorage.setItem(KEY, lang);
}

/** A translator for one page: `t('key', {n: 3})` fills `{n}` in the current language's string. */
export function translator<K extends string>(strings: Strings<K>): (key: K, vars?: Record<string, string | number>) => string {
  const lang = currentLang();
  document.documentElement.lang = lang;
  const table = strings[lang];
  return (key, vars) => {
    const text = table[key] ?? strings.en[key] ?? key;
    return vars ? text.replace(/\{(\w+)\}/g, (_, v: string) => String(vars[v] ?? `{${v}}`)) : text;
  };
}
