import { api, setBearer } from '../shared/api.ts';

/** What the responder app reads and writes on the server: the volunteer's own routes, with the device token. */

export interface LatLon {
  readonly lat: number;
  readonly lon: number;
}

export interface Qualification {
  readonly kind: string;
  readonly expiresAt: string;
  readonly expired: boolean;
  readonly verified: boolean;
}

export interface Volunteer {
  readonly id: string;
  readonly name: string;
  readonly phone: string;
  readonly available: boolean;
  readonly quietHours: { from: string; to: string } | null;
  readonly locationConsent: boolean;
  readonly languages: readonly string[];
  readonly qualifications: readonly Qualification[];
}

export interface LineString {
  readonly type: 'LineString';
  readonly coordinates: readonly (readonly [number, number])[];
}

export interface RouteLeg {
  readonly to: 'aed' | 'scene';
  readonly timeS: number;
  readonly distanceM: number;
  readonly geometry: LineString;
}

export interface AedWaypoint {
  readonly placeName: string;
  readonly location: LatLon;
  readonly floor?: string;
  readonly access?: string;
  readonly toAedS: number;
  readonly toSceneS: number;
  /** Opening hours in words, when the server gives them. */
  readonly hoursText?: string;
}

/** One alert as the app holds it: what `GET /api/volunteers/me/alerts` answers, or an alert frame until then. */
export interface Alert {
  readonly alertId: string;
  readonly incidentId: string;
  readonly status: 'open' | 'accepted' | 'declined' | 'expired' | 'withdrawn' | string;
  readonly etaS: number;
  readonly expiresAt: string;
  readonly incident: {
    readonly nature: string;
    readonly place?: string;
    readonly shown?: 'area' | 'place' | 'access';
    readonly area?: LatLon & { readonly withinM: number };
    readonly location?: LatLon;
    readonly address?: string;
    readonly floor?: string;
    readonly access?: string;
  };
  readonly role?: 'cpr' | 'fetch_aed' | 'meet_crew' | string;
  readonly roleReason?: string;
  readonly aed?: AedWaypoint;
  readonly route?: readonly RouteLeg[];
  readonly seenAt?: string;
  readonly arrivedAt?: string;
}

const TOKEN_KEY = 'samaritan.responder.token';

/** The phone's credential: the device token sign-up or enrolment gave, kept on this phone only. */
export function storedToken(): string | undefined {
  const token = localStorage.getItem(TOKEN_KEY) ?? undefined;
  setBearer(token);
  return token;
}

export function keepToken(token: string): void {
  localStorage.setItem(TOKEN_KEY, token);
  setBearer(token);
}

export function forgetToken(): void {
  localStorage.removeItem(TOKEN_KEY);
  setBearer(undefined);
}

export const signUp = (body: { name: string; phone: string; languages: string[]; locationConsent: boolean }) =>
  api<{ id: string; token: string }>('POST', '/api/volunteers', body);
export const enrol = (code: string) => api<{ id: string; token: string }>('POST', '/api/volunteers/enrol', { code });
export const enrolmentCode = () => api<{ code: string; expiresAt: string }>('POST', '/api/volunteers/me/enrolment-code');

export const me = () => api<Volunteer>('GET', '/api/volunteers/me');
export const patchMe = (patch: Partial<Pick<Volunteer, 'available' | 'quietHours' | 'locationConsent' | 'languages' | 'name' | 'phone'>>) =>
  api<Volunteer>('PATCH', '/api/volunteers/me', patch);
export const eraseMe = () => api('DELETE', '/api/volunteers/me');
export const declare = (kind: string, expiresAt: string) => api('POST', '/api/volunteers/me/qualifications', { kind, expiresAt });
export const sendPosition = (p: LatLon) => api<{ kept: boolean }>('POST', '/api/volunteers/me/position', { lat: p.lat, lon: p.lon });

export const myAlerts = async () => (await api<{ alerts: Alert[] }>('GET', '/api/volunteers/me/alerts')).alerts;
export const answer = (alertId: string, what: 'accept' | 'decline' | 'seen' | 'arrived') =>
  api<Alert | { alertId: string }>('POST', `/api/volunteers/me/alerts/${encodeURIComponent(alertId)}/${what}`);

export const streamTicket = async () => (await api<{ ticket: string }>('POST', '/api/volunteers/me/stream/ticket')).ticket;

/** The VAPID public key: from its public route, or else from the subscription route (servers without the first). */
export async function vapidKey(): Promise<string> {
  const r = await api<{ vapidPublicKey?: string }>('GET', '/api/volunteers/push-key').catch(() => api<{ vapidPublicKey?: string }>('GET', '/api/volunteers/me/push-subscription'));
  if (!r.vapidPublicKey) throw new Error('no VAPID key');
  return r.vapidPublicKey;
}
export const registerPush = (subscription: PushSubscriptionJSON) => api('POST', '/api/volunteers/me/push-subscription', subscription);
