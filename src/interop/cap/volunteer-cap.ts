import type { DeliveryMessageKind } from '../../core/events.ts';
import type { LatLon } from '../../core/lat-lon.ts';
import type { CapAlert, CapReference } from './cap-alert.ts';
import { capNature } from './cap-natures.ts';

/**
 * One message to a volunteer as a Private CAP alert, for an external alerting gateway. It carries
 * exactly what the message carries: the queue made it with core/scene.ts, so an alert holds only
 * the area (on the 100 m grid), a role the place and floor, and door codes only when the
 * volunteer may see them. The caller is never in it.
 */
export interface VolunteerMessage {
  readonly kind: DeliveryMessageKind;
  readonly alertId: string;
  readonly incidentId: string;
  readonly volunteerId: string;
  /** When the message was queued (the same on every retry). */
  readonly sent: string;
  readonly nature?: string;
  readonly etaS?: number;
  readonly expiresAt?: string;
  readonly area?: { readonly lat: number; readonly lon: number; readonly withinM: number };
  readonly location?: LatLon;
  readonly address?: string;
  readonly floor?: string;
  readonly access?: string;
  readonly role?: string;
  readonly reason?: string;
  readonly detail?: string;
  readonly phone?: string;
  /** The alert this message follows, when known (a role, a stand-down, an expiry). */
  readonly follows?: CapReference;
}

const words = (s: string) => s.replace(/_/g, ' ');

/** The identifier of a message: one per alert and kind (an alert has at most one of each). */
export const volunteerCapId = (alertId: string, kind: DeliveryMessageKind): string => `${alertId}.${kind}`;

export function volunteerCap(m: VolunteerMessage): CapAlert {
  const { category, event } = m.nature === undefined ? { category: 'Health' as const, event: 'Volunteer responder alert' } : capNature(m.nature);
  const base = {
    identifier: volunteerCapId(m.alertId, m.kind),
    sent: m.sent,
    scope: 'Private' as const,
    addresses: [m.volunteerId],
    incidents: [m.incidentId],
    ...(m.kind !== 'alert' && m.follows !== undefined ? { references: [m.follows] } : {}),
  };
  const codes = [
    { valueName: 'samaritan:message', value: m.kind },
    ...(m.nature === undefined ? [] : [{ valueName: 'samaritan:nature', value: m.nature }]),
  ];
  const parameters = [
    { valueName: 'samaritan:alertId', value: m.alertId },
    ...(m.phone === undefined ? [] : [{ valueName: 'phone', value: m.phone }]),
    ...(m.role === undefined ? [] : [{ valueName: 'samaritan:role', value: m.role }]),
    ...(m.access === undefined ? [] : [{ valueName: 'samaritan:access', value: m.access }]),
  ];
  const urgent = { urgency: 'Immediate' as const, severity: 'Severe' as const, certainty: 'Observed' as const };
  switch (m.kind) {
    case 'alert': {
      const walk = m.etaS === undefined ? 'near you' : `about ${Math.max(1, Math.round(m.etaS / 60))} min walk from you`;
      return {
        ...base,
        msgType: 'Alert',
        info: {
          category,
          event,
          responseType: 'Assess',
          ...urgent,
          eventCodes: codes,
          ...(m.expiresAt === undefined ? {} : { expires: m.expiresAt }),
          headline: `Samaritan: ${words(m.nature ?? 'emergency')} ${walk}`,
          instruction: 'Open the Samaritan app to accept or decline.',
          parameters,
          ...(m.area === undefined
            ? {}
            : { area: { areaDesc: `Within ${m.area.withinM} m of this point`, center: m.area, radiusKm: m.area.withinM / 1000 } }),
        },
      };
    }
    case 'role': {
      const where = [m.address, m.floor === undefined ? undefined : `floor ${m.floor}`].filter((x) => x !== undefined && x !== '').join(', ');
      const center = m.location ?? m.area;
      return {
        ...base,
        msgType: 'Update',
        info: {
          category,
          event,
          responseType: 'Execute',
          ...urgent,
          eventCodes: codes,
          headline: `Samaritan: your role is ${words(m.role ?? 'to help')}`,
          ...(m.reason === undefined ? {} : { description: m.reason }),
          parameters,
          ...(center === undefined ? {} : { area: { areaDesc: where === '' ? 'The scene' : where, center, radiusKm: m.location === undefined ? 0.1 : 0.05 } }),
        },
      };
    }
    case 'stand_down':
    case 'expired':
      return {
        ...base,
        msgType: 'Cancel',
        info: {
          category,
          event,
          responseType: 'AllClear',
          urgency: 'Past',
          severity: 'Minor',
          certainty: 'Observed',
          eventCodes: codes,
          headline: m.kind === 'expired' ? 'Samaritan: the alert has expired; no answer is needed any more' : `Samaritan: stand down (${words(m.reason ?? 'no longer needed')})`,
          ...(m.detail === undefined ? {} : { description: m.detail }),
          parameters,
        },
      };
  }
}
