import { chooseLang, currentLang, LANGS, translator, type Lang } from '../shared/i18n.ts';
import { STRINGS } from './strings.ts';
import './responder.css';

const t = translator(STRINGS);

/** The service worker carries Web Push alerts while the page is closed; its scope is the app. */
async function registerWorker(): Promise<void> {
  if (!('serviceWorker' in navigator)) return;
  await navigator.serviceWorker.register('/responder/sw.js', { scope: '/responder/' });
}

function boot(): void {
  document.title = t('title');
  const root = document.getElementById('app')!;
  const lang = document.createElement('select');
  lang.setAttribute('aria-label', t('language'));
  for (const l of LANGS) lang.append(new Option(l.toUpperCase(), l, false, l === currentLang()));
  lang.addEventListener('change', () => {
    chooseLang(lang.value as Lang);
    location.reload();
  });
  const h1 = document.createElement('h1');
  h1.textContent = t('title');
  const p = document.createElement('p');
  p.textContent = t('tagline');
  root.replaceChildren(h1, p, lang);
  void registerWorker();
}

boot();
