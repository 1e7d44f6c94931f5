import { sendPosition, type LatLon } from './volunteer-api.ts';

/** What the home screen says about the phone's position. */
export type PositionState = 'off' | 'waiting' | 'sent' | 'denied';

const MIN_INTERVAL_MS = 15_000;
const MIN_MOVE_M = 50;

const metres = (a: LatLon, b: LatLon) => {
  const k = Math.PI / 180;
  const x = (b.lon - a.lon) * k * Math.cos(((a.lat + b.lat) / 2) * k);
  const y = (b.lat - a.lat) * k;
  return Math.hypot(x, y) * 6_371_000;
};

/**
 * Sends the phone's position while the volunteer is available and consents, so that the matching
 * knows who is near. A fix is sent when it is the first, or 15 s after the last, or 50 m away from
 * it (the server takes at most 120 a minute and keeps positions in memory only).
 */
export class PositionReporter {
  private watch: number | undefined;
  private last: { at: LatLon; ms: number } | undefined;
  private state: PositionState = 'off';

  /** The latest fix, for the map before the server has a route. */
  here: LatLon | undefined;

  constructor(private readonly onState: (s: PositionState) => void) {}

  get current(): PositionState {
    return this.state;
  }

  /** Follows the phone's position when `on`, stops following it otherwise. */
  follow(on: boolean): void {
    if (!on) {
      if (this.watch !== undefined) navigator.geolocation.clearWatch(this.watch);
      this.watch = undefined;
      this.last = undefined;
      return this.set('off');
    }
    if (this.watch !== undefined) return;
    if (!('geolocation' in navigator)) return this.set('denied');
    this.set('waiting');
    this.watch = navigator.geolocation.watchPosition(
      (p) => void this.fix({ lat: p.coords.latitude, lon: p.coords.longitude }),
      (e) => {
        if (e.code === e.PERMISSION_DENIED) this.set('denied');
      },
      { enableHighAccuracy: true, maximumAge: 10_000 },
    );
  }

  private async fix(at: LatLon): Promise<void> {
    this.here = at;
    const now = Date.now();
    if (this.last && now - this.last.ms < MIN_INTERVAL_MS && metres(this.last.at, at) < MIN_MOVE_M) return;
    this.last = { at, ms: now };
    try {
      const r = await sendPosition(at);
      if (this.watch !== undefined) this.set(r.kept ? 'sent' : 'waiting');
    } catch {
      this.last = undefined; // try again with the next fix
    }
  }

  private set(s: PositionState): void {
    this.state = s;
    this.onState(s);
  }
}
