// The responder's service worker: an alert arrives as a Web Push message even with the page closed.
// Payloads are frames from the server ({type, id, alertId, incidentId, text, ...}); the page fetches the rest.
// The page registers it as sw.js?lang=en|fr: a worker cannot read the language the page keeps in localStorage.
const LANG = new URL(self.location.href).searchParams.get('lang') === 'fr' ? 'fr' : 'en';

const WORDS = {
  en: {
    alert: 'Samaritan: someone near you needs help',
    role: 'Samaritan: your role',
    stand_down: 'Samaritan: you can stand down',
    expired: 'Samaritan: the alert has expired',
    other: 'Samaritan',
    walk: (min) => `${min} min on foot from you. Open to accept or decline.`,
    natures: { cardiac_arrest: 'Cardiac arrest', choking: 'Choking', fall_from_height: 'Fall from height', structure_fire: 'Building fire' },
  },
  fr: {
    alert: 'Samaritan : quelqu’un près de vous a besoin d’aide',
    role: 'Samaritan : votre rôle',
    stand_down: 'Samaritan : vous pouvez vous retirer',
    expired: 'Samaritan : l’alerte a expiré',
    other: 'Samaritan',
    walk: (min) => `À ${min} min à pied de vous. Ouvrez pour accepter ou refuser.`,
    natures: { cardiac_arrest: 'Arrêt cardiaque', choking: 'Étouffement', fall_from_height: 'Chute de hauteur', structure_fire: 'Feu de bâtiment' },
  },
}[LANG];

/** The notification's words: an alert is said in the phone's language; other messages keep the server's text. */
function notificationOf(frame) {
  const title = WORDS[frame.type] || WORDS.other;
  if (frame.type !== 'alert') return { title, body: frame.text || '' };
  const nature = WORDS.natures[frame.nature] || String(frame.nature || '').replace(/_/g, ' ');
  const min = typeof frame.etaS === 'number' ? Math.max(1, Math.round(frame.etaS / 60)) : undefined;
  return { title, body: [nature, min === undefined ? '' : WORDS.walk(min)].filter(Boolean).join(' — ') };
}

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('push', (event) => {
  let frame = {};
  try {
    frame = event.data ? event.data.json() : {};
  } catch {
    frame = { text: event.data ? event.data.text() : '' };
  }
  const { title, body } = notificationOf(frame);
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      for (const w of windows) w.postMessage({ kind: 'push', frame });
      await self.registration.showNotification(title, {
        body,
        lang: LANG,
        icon: '/responder/icon.svg',
        tag: frame.alertId || 'samaritan',
        renotify: true,
        requireInteraction: frame.type === 'alert',
        vibrate: [400, 150, 400, 150, 800],
        data: { alertId: frame.alertId },
      });
    })(),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const alertId = event.notification.data && event.notification.data.alertId;
  const url = '/responder/' + (alertId ? '#alert=' + encodeURIComponent(alertId) : '');
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      const open = windows.find((w) => new URL(w.url).pathname.startsWith('/responder/'));
      if (open) {
        await open.focus();
        open.postMessage({ kind: 'open-alert', alertId });
      } else await self.clients.openWindow(url);
    })(),
  );
});
