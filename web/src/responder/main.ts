import { ApiFailure } from '../shared/api.ts';
import type { StreamState } from '../shared/live-stream.ts';
import { ring, silence, unlockAudio } from './alarm.ts';
import { alertScreen } from './alert-screen.ts';
import { h } from './dom.ts';
import { homeScreen, type HomeScreen } from './home-screen.ts';
import { lang, t } from './locale.ts';
import { PositionReporter } from './position.ts';
import { ResponderStream, type Frame } from './responder-stream.ts';
import { roleScreen } from './role-screen.ts';
import { shell } from './shell.ts';
import { signInScreen } from './sign-in-screen.ts';
import { signUpScreen } from './sign-up-screen.ts';
import { answer, forgetToken, me, myAlerts, storedToken, streamTicket, type Alert, type Volunteer } from './volunteer-api.ts';
import './responder.css';

/** The service worker carries Web Push alerts while the page is closed; its scope is the app. */
async function registerWorker(): Promise<void> {
  if (!('serviceWorker' in navigator)) return;
  // The language rides on the script URL: a worker cannot read the page's choice from localStorage.
  await navigator.serviceWorker.register(`/responder/sw.js?lang=${lang}`, { scope: '/responder/' });
}

const DONE_KEY = 'samaritan.responder.done';
/** Alerts the volunteer closed with "Done" on this phone (the server keeps them until the incident ends). */
const done = new Set<string>(JSON.parse(localStorage.getItem(DONE_KEY) ?? '[]') as string[]);
const markDone = (alertId: string) => {
  done.add(alertId);
  localStorage.setItem(DONE_KEY, JSON.stringify([...done].slice(-50)));
};

const STAND_DOWN = ['first_unit_on_scene', 'incident_cancelled', 'incident_resolved', 'enough_accepted', 'no_role_left'] as const;
const standDownWords = (why: unknown) => {
  const known = STAND_DOWN.find((r) => r === why);
  return t(known ? `stand_${known}` : 'stand_other');
};

/**
 * The responder app: which screen is up follows from the state (signed in, an open alert, an accepted
 * role), and the state follows the server: the live socket, Web Push messages from the worker, and a
 * fresh read whenever the app comes back to the front.
 */
class ResponderApp {
  private readonly frame = shell(document.getElementById('app')!);
  private volunteer: Volunteer | undefined;
  private readonly alerts = new Map<string, Alert>();
  private readonly declined = new Set<string>();
  private readonly seen = new Set<string>();
  private message: string | undefined;
  private signedOutView: 'sign-up' | 'sign-in' = 'sign-up';
  private shownKey = '';
  private dispose: (() => void) | undefined;
  private home: HomeScreen | undefined;
  private streamState: StreamState = 'connecting';
  private readonly position = new PositionReporter((s) => this.home?.showPosition(s));
  private readonly stream = new ResponderStream({
    ticket: streamTicket,
    onFrame: (f) => this.onFrame(f),
    onState: (s) => {
      this.streamState = s;
      this.frame.showState(s);
      if (s === 'live') void this.refresh();
    },
  });

  async start(): Promise<void> {
    document.title = t('title');
    // Sound needs a gesture first: any tap or key opens the audio for a later alarm.
    for (const type of ['pointerdown', 'keydown'] as const) document.addEventListener(type, unlockAudio, { passive: true });
    navigator.serviceWorker?.addEventListener('message', (e: MessageEvent<{ kind?: string; frame?: Frame }>) => {
      if (e.data.kind === 'push' && e.data.frame && this.stream.firstTime(e.data.frame.id)) this.onFrame(e.data.frame);
      else if (e.data.kind === 'open-alert') void this.refresh();
    });
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible' && storedToken()) void this.refresh(true);
    });
    // While the socket is down, the alerts are read every 5 s: an alert must not wait for the reconnect.
    setInterval(() => {
      if (this.streamState !== 'live' && this.volunteer) void this.refresh();
    }, 5000);
    await this.signedIn();
  }

  /** Loads the volunteer of the stored token, or shows sign-up when there is none (or it is no longer valid). */
  private async signedIn(): Promise<void> {
    if (!storedToken()) return this.render();
    try {
      this.volunteer = await me();
    } catch (e) {
      if (e instanceof ApiFailure && (e.error.status === 401 || e.error.status === 403 || e.error.status === 410)) forgetToken();
      this.volunteer = undefined;
      return this.render();
    }
    this.position.follow(this.volunteer.available && this.volunteer.locationConsent);
    this.stream.start();
    await this.refresh();
    this.render();
  }

  /** Reads the alerts (and, when asked, the profile: a supervisor may have verified a qualification). */
  private async refresh(profile = false): Promise<void> {
    if (!storedToken()) return;
    try {
      const [alerts, v] = await Promise.all([myAlerts(), profile ? me() : Promise.resolve(undefined)]);
      this.alerts.clear();
      for (const a of alerts) this.alerts.set(a.alertId, a);
      if (v) this.volunteer = v;
      this.render(profile);
    } catch {
      // Offline: the state shown stays; the next reconnect or poll tries again.
    }
  }

  private onFrame(f: Frame): void {
    const alertId = typeof f.alertId === 'string' ? f.alertId : undefined;
    if (!alertId) return;
    if (f.type === 'alert' && !this.alerts.has(alertId)) {
      // Shown from the frame at once; the read that follows brings the rest.
      this.alerts.set(alertId, {
        alertId,
        incidentId: String(f['incidentId'] ?? ''),
        status: 'open',
        etaS: Number(f['etaS'] ?? 0),
        expiresAt: String(f['expiresAt'] ?? new Date(Date.now() + 120_000).toISOString()),
        incident: { nature: String(f['nature'] ?? ''), place: String(f['place'] ?? 'unknown'), ...(f['area'] ? { area: f['area'] as NonNullable<Alert['incident']['area']> } : {}) },
      });
      ring();
      this.render();
    } else if (f.type === 'stand_down' || f.type === 'expired') {
      const had = this.alerts.delete(alertId);
      if (had || this.shownKey.includes(alertId)) {
        silence();
        this.message = f.type === 'expired' ? t('alertExpired') : standDownWords(f['reason']);
        this.render(true);
      }
    }
    void this.refresh();
  }

  /** The screen the state calls for; redrawn only when that changes (or when `force`), so forms keep what is typed. */
  private render(force = false): void {
    const v = this.volunteer;
    const open = [...this.alerts.values()].filter((a) => a.status === 'open' && !this.declined.has(a.alertId));
    const accepted = [...this.alerts.values()].find((a) => a.status === 'accepted' && !done.has(a.alertId));
    const alert = open[0];
    const key = !v
      ? this.signedOutView
      : accepted
        ? `role:${accepted.alertId}:${accepted.role ?? ''}:${accepted.route?.length ?? 0}:${accepted.incident.location ? 1 : 0}`
        : alert
          ? `alert:${alert.alertId}`
          : 'home';
    if (key === this.shownKey && !force) return;
    if (key.startsWith('alert:') && key === this.shownKey) return; // never redraw an alert under the volunteer's thumb
    const focused = document.activeElement?.id;
    this.dispose?.();
    this.dispose = undefined;
    this.home = undefined;
    this.shownKey = key;
    this.frame.fullScreen(alert !== undefined && !accepted);
    this.frame.showState(v ? this.streamState : undefined);
    const c = this.frame.content;
    if (!v) {
      c.replaceChildren(
        this.signedOutView === 'sign-up'
          ? signUpScreen(() => void this.signedIn(), () => this.showSignedOut('sign-in'))
          : signInScreen(() => void this.signedIn(), () => this.showSignedOut('sign-up')),
      );
      if (this.message) c.prepend(h('p', { class: 'banner-message', role: 'status' }, this.message));
    } else if (accepted) {
      const screen = roleScreen(accepted, this.position.here, {
        arrived: async () => {
          const r = (await answer(accepted.alertId, 'arrived')) as Alert;
          this.alerts.set(r.alertId, r);
          return r;
        },
        done: () => {
          markDone(accepted.alertId);
          this.render();
        },
      });
      c.replaceChildren(screen.el);
      this.dispose = screen.dispose;
    } else if (alert) {
      const screen = alertScreen(alert, this.position.here, {
        accept: () => void this.answerAlert(alert.alertId, 'accept'),
        decline: () => void this.answerAlert(alert.alertId, 'decline'),
      });
      c.replaceChildren(screen.el);
      this.dispose = screen.dispose;
      if (!this.seen.has(alert.alertId)) {
        this.seen.add(alert.alertId);
        answer(alert.alertId, 'seen').catch(() => this.seen.delete(alert.alertId));
      }
    } else {
      this.home = homeScreen(v, {
        onChanged: (nv) => {
          this.volunteer = nv;
          this.position.follow(nv.available && nv.locationConsent);
          this.render(true);
        },
        reload: () => void this.refresh(true),
        onSignedOut: (erased) => {
          this.stream.stop();
          this.position.follow(false);
          this.volunteer = undefined;
          this.alerts.clear();
          this.message = erased ? t('erased') : undefined;
          this.showSignedOut('sign-up');
        },
        position: this.position.current,
        message: this.message,
      });
      this.message = undefined; // said once
      c.replaceChildren(this.home.el);
    }
    if (key.startsWith('role:') || key.startsWith('alert:')) {
      const target = c.querySelector<HTMLElement>(key.startsWith('role:') ? '.role-title' : '[data-action="accept"]');
      target?.focus();
    } else if (focused) document.getElementById(focused)?.focus();
  }

  private showSignedOut(view: 'sign-up' | 'sign-in'): void {
    this.signedOutView = view;
    this.render(true);
  }

  private async answerAlert(alertId: string, what: 'accept' | 'decline'): Promise<void> {
    silence();
    try {
      const r = (await answer(alertId, what)) as Alert;
      if (what === 'decline') {
        this.declined.add(alertId);
        this.alerts.delete(alertId);
        this.message = t('declined');
      } else this.alerts.set(alertId, r);
    } catch (e) {
      // Too late (expired, withdrawn, every role taken): the alert goes, and the read says why.
      this.alerts.delete(alertId);
      this.message = e instanceof ApiFailure ? t('failed', { message: e.error.message }) : undefined;
    }
    this.render(true);
    void this.refresh();
  }
}

void registerWorker();
void new ResponderApp().start();
