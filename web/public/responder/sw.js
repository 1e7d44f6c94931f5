// The responder's service worker: an alert arrives as a Web Push message even with the page closed.
// Payloads are frames from the server ({type, alertId, incidentId, text, ...}); the page fetches the rest.
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('push', (event) => {
  let frame = {};
  try {
    frame = event.data ? event.data.json() : {};
  } catch {
    frame = { text: event.data ? event.data.text() : '' };
  }
  const title = frame.type === 'alert' ? 'Samaritan: help needed nearby' : 'Samaritan';
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      for (const w of windows) w.postMessage({ kind: 'push', frame });
      await self.registration.showNotification(title, {
        body: frame.text || '',
        tag: frame.alertId || 'samaritan',
        renotify: true,
        requireInteraction: frame.type === 'alert',
        vibrate: [300, 100, 300, 100, 300],
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
