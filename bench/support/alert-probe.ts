// The alert probe: one volunteer on a WebSocket, as the responder app would be, timing each
// cardiac arrest from just before its POST /api/incidents to the arrival of its "alert" frame.
// Over HTTP and WebSocket only.
import { createRequire } from 'node:module';
import { call, call2xx } from './samaritan.ts';

/** The part of the `ws` client (8.x, in node_modules with @fastify/websocket) the probe uses. */
interface Socket {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  terminate(): void;
  on(event: 'message', listener: (data: Buffer) => void): unknown;
  on(event: 'close', listener: (code: number, reason: Buffer) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  once(event: 'open', listener: () => void): unknown;
  once(event: 'error', listener: (error: Error) => void): unknown;
}
type SocketClass = new (url: string, options: { headers: Record<string, string>; handshakeTimeout: number }) => Socket;
// Loaded through require with a local type: the product declares its own ambient types for 'ws'.
const WebSocket = createRequire(import.meta.url)('ws') as SocketClass;

/** Where the probe's incidents are: a Tenderloin spot where a volunteer arrives before the first engine. */
export const PROBE_SPOT = { lat: 37.7845, lon: -122.4135 } as const;

export interface Trial {
  readonly incidentId: string;
  /** POST /api/incidents → its alert frame on the socket, ms; undefined if none came in time. */
  readonly alertMs?: number;
  /** POST /api/incidents → its answer, ms. */
  readonly postMs: number;
}

interface AlertFrame {
  readonly at: number;
  readonly incidentId?: string;
  readonly alertId: string;
}

export class AlertProbe {
  private readonly alerts: AlertFrame[] = [];
  private wake: (() => void) | undefined;
  /** Why the socket closed, if it did. */
  closed: string | undefined;
  /** The probe's own calls that were not answered 2xx (accept, cancel, position), with the first one. */
  problems = 0;
  firstProblem: string | undefined;

  private constructor(
    private readonly base: string,
    private readonly dispatcherToken: string,
    private readonly volunteerToken: string,
    readonly volunteerId: string,
    private readonly socket: Socket,
  ) {
    socket.on('message', (data) => {
      const at = performance.now();
      let m: { type?: unknown; id?: unknown; alertId?: unknown; incidentId?: unknown };
      try {
        m = JSON.parse(data.toString('utf8')) as typeof m;
      } catch {
        return;
      }
      if (m.type === 'alert' && typeof m.alertId === 'string') {
        this.alerts.push({ at, alertId: m.alertId, ...(typeof m.incidentId === 'string' ? { incidentId: m.incidentId } : {}) });
        this.wake?.();
      }
      // Every frame with an id is acknowledged, as the app does (a delivered receipt).
      if (m.id !== undefined && m.type !== undefined) socket.send(JSON.stringify({ type: 'ack', id: m.id }));
    });
    socket.on('close', (code, reason) => {
      this.closed = `closed by the server (${code}${reason.length > 0 ? ` ${reason.toString('utf8')}` : ''})`;
      this.wake?.();
    });
    socket.on('error', (e) => {
      this.closed ??= `socket error: ${e.message}`;
    });
  }

  /**
   * Signs up a volunteer (public route), puts them on duty with a CPR qualification at the probe
   * spot, and opens their stream.
   */
  static async open(base: string, dispatcherToken: string): Promise<AlertProbe> {
    const signup = await call2xx(base, 'POST', '/api/volunteers', {
      name: 'Probe Volunteer',
      phone: '+14155550177',
      locationConsent: true,
    });
    const token = signup['token'];
    const id = signup['id'];
    if (typeof token !== 'string' || typeof id !== 'string')
      throw new Error(`POST /api/volunteers answered no token and id: ${JSON.stringify(signup).slice(0, 300)}`);
    await call2xx(base, 'PATCH', '/api/volunteers/me', { available: true }, token);
    await call2xx(base, 'POST', '/api/volunteers/me/qualifications', { kind: 'cpr', expiresAt: '2030-01-01' }, token);
    await call2xx(base, 'POST', '/api/volunteers/me/position', PROBE_SPOT, token);
    const socket = new WebSocket(`${base.replace(/^http/, 'ws')}/api/volunteers/me/stream`, {
      headers: { authorization: `Bearer ${token}` },
      handshakeTimeout: 10_000,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    return new AlertProbe(base, dispatcherToken, token, id, socket);
  }

  /** Sends the volunteer's position again (as a phone at rest would now and then). */
  async refreshPosition(): Promise<void> {
    await this.expect2xx('POST', '/api/volunteers/me/position', PROBE_SPOT, this.volunteerToken);
  }

  private async expect2xx(
    method: string,
    path: string,
    body: unknown,
    token: string,
  ): Promise<Record<string, unknown> | undefined> {
    const a = await call(this.base, method, path, body, token);
    if (a.status >= 200 && a.status <= 299)
      return (typeof a.body === 'object' && a.body !== null ? a.body : {}) as Record<string, unknown>;
    this.problems++;
    this.firstProblem ??= `${method} ${path.replace(/[^/]{16,}/g, ':id')} answered ${a.status}: ${JSON.stringify(a.body).slice(0, 300)}`;
    return undefined;
  }

  /** The first alert frame for `incidentId` (or, if frames carry no incident id, any) that arrived at or after `since`. */
  private find(incidentId: string | undefined, since: number): AlertFrame | undefined {
    return this.alerts.find(
      (f) => f.at >= since && (f.incidentId === undefined || incidentId === undefined || f.incidentId === incidentId),
    );
  }

  /**
   * One trial: POST a cardiac arrest at the probe spot, wait up to `timeoutMs` for its alert frame,
   * accept the alert (accepting, never declining, keeps this volunteer first in the ranking), cancel
   * the incident, pause `pauseMs`.
   */
  async trial(timeoutMs: number, pauseMs: number): Promise<Trial> {
    // Frames of earlier trials are of no more use.
    const t0 = performance.now();
    this.alerts.splice(0, this.alerts.length);
    const created = await this.expect2xx(
      'POST',
      '/api/incidents',
      { location: PROBE_SPOT, nature: 'cardiac_arrest', priority: 1, place: 'public' },
      this.dispatcherToken,
    );
    const postMs = performance.now() - t0;
    const incidentId = typeof created?.['id'] === 'string' ? created['id'] : undefined;
    let frame = this.find(incidentId, t0);
    const deadline = t0 + timeoutMs;
    while (frame === undefined && this.closed === undefined && performance.now() < deadline && created !== undefined) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, deadline - performance.now()));
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
      frame = this.find(incidentId, t0);
    }
    if (frame !== undefined)
      await this.expect2xx('POST', `/api/volunteers/me/alerts/${frame.alertId}/accept`, undefined, this.volunteerToken);
    if (incidentId !== undefined) await this.expect2xx('POST', `/api/incidents/${incidentId}/cancel`, {}, this.dispatcherToken);
    await new Promise((r) => setTimeout(r, pauseMs));
    return { incidentId: incidentId ?? '?', postMs, ...(frame === undefined ? {} : { alertMs: frame.at - t0 }) };
  }

  /** Trials one after the other: `count` of them, or until `until` (performance.now() ms) if given. */
  async trials(options: { count?: number; until?: number; timeoutMs: number; pauseMs: number }): Promise<Trial[]> {
    const out: Trial[] = [];
    while (
      this.closed === undefined &&
      (options.count === undefined || out.length < options.count) &&
      (options.until === undefined || performance.now() < options.until)
    ) {
      out.push(await this.trial(options.timeoutMs, options.pauseMs));
    }
    return out;
  }

  close(): void {
    if (this.closed === undefined) this.closed = 'closed by the benchmark';
    this.socket.close();
  }
}
