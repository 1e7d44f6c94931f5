import { registerPush, vapidKey } from './volunteer-api.ts';

/** Web Push on this phone: what the settings screen shows, and turning it on. */
export type PushState = 'on' | 'off' | 'denied' | 'unsupported' | 'failed';

const supported = () => 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;

/** The worker's registration, if one is there (it is registered at start, not awaited here forever). */
async function registration(): Promise<ServiceWorkerRegistration | undefined> {
  return navigator.serviceWorker.getRegistration('/responder/');
}

export async function pushState(): Promise<PushState> {
  if (!supported()) return 'unsupported';
  if (Notification.permission === 'denied') return 'denied';
  const reg = await registration();
  const sub = await reg?.pushManager.getSubscription();
  return sub && Notification.permission === 'granted' ? 'on' : 'off';
}

function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const b64 = (base64url + '='.repeat((4 - (base64url.length % 4)) % 4)).replace(/-/g, '+').replace(/_/g, '/');
  const raw = atob(b64);
  const out = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

/**
 * Asks for notifications (from a tap: browsers want a gesture), subscribes with the server's VAPID key
 * and registers the subscription, so that an alert reaches the phone with the page closed.
 * A browser without a reachable push service (offline) ends in `failed`.
 */
export async function enablePush(): Promise<PushState> {
  if (!supported()) return 'unsupported';
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') return permission === 'denied' ? 'denied' : 'off';
  try {
    const reg = (await registration()) ?? (await navigator.serviceWorker.ready);
    const key = await vapidKey();
    const existing = await reg.pushManager.getSubscription();
    const sub = existing ?? (await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key) }));
    await registerPush(sub.toJSON());
    return 'on';
  } catch {
    return 'failed';
  }
}

/** Drops this phone's subscription when it signs out: the push service stops reaching it. */
export async function disablePush(): Promise<void> {
  if (!supported()) return;
  const sub = await (await registration())?.pushManager.getSubscription();
  await sub?.unsubscribe();
}
