import type { AedRecord } from '../../core/aed.ts';
import type { TokenRecord, UserRecord } from '../account-store.ts';
import type { AlertPosition, NewMessage } from '../outbox-store.ts';
import type { ReceiptField, RecordWrite } from '../record-writes.ts';
import type { VolunteerProfile } from '../volunteer-profile-store.ts';

/** Records for the tables beside the log, with what the rules need overridable. */

export const user = (id: string, name: string, createdAt = '2025-06-01T10:00:00.000Z'): UserRecord => ({
  id,
  name,
  role: 'dispatcher',
  passwordHash: `hash-of-${name}`,
  createdAt,
});

export const token = (id: string, more: Partial<TokenRecord> = {}): TokenRecord => ({
  id,
  kind: 'device',
  name: `token ${id}`,
  role: 'volunteer',
  scopes: [],
  subject: 'V-1',
  hash: `hash-of-${id}`,
  createdAt: '2025-06-01T10:00:00.000Z',
  ...more,
});

export const profile = (volunteerId: string, more: Partial<VolunteerProfile> = {}): VolunteerProfile => ({
  volunteerId,
  name: `Name of ${volunteerId}`,
  phone: '+41 79 000 00 00',
  languages: ['de', 'fr'],
  devices: [
    { id: 'd-1', channel: 'webpush', subscription: { endpoint: 'https://push.example/1' }, addedAt: '2025-06-01T10:00:00.000Z' },
  ],
  synthetic: false,
  createdAt: '2025-06-01T10:00:00.000Z',
  updatedAt: '2025-06-01T10:00:00.000Z',
  ...more,
});

export const aed = (id: string, placeName: string): AedRecord => ({
  id,
  location: { lat: 46.95, lon: 7.44 },
  placeName,
  hours: { always: true, weekly: {} },
  timeZone: 'Europe/Zurich',
  status: 'in_service',
  source: 'contract test',
  synthetic: true,
});

/** A message derived from event `seq` for `volunteerId`; its alert id names both. */
export const message = (seq: number, volunteerId: string, more: Partial<NewMessage> = {}): NewMessage => ({
  seq,
  kind: 'alert',
  incidentId: 'I-1',
  volunteerId,
  alertId: `A-${seq}-${volunteerId}`,
  body: { text: `message ${seq} for ${volunteerId}` },
  ...more,
});

export const position = (
  alertId: string,
  volunteerId: string,
  purgeAfter: number,
  more: Partial<AlertPosition> = {},
): AlertPosition => ({
  alertId,
  incidentId: 'I-1',
  volunteerId,
  position: { lat: 46.9481, lon: 7.4474, fixAt: '2025-06-01T11:59:00.000Z' },
  distanceM: 412.4,
  alertedAt: '2025-06-01T12:00:00.000Z',
  purgeAfter,
  ...more,
});

export const mark = (alertId: string, field: ReceiptField, at: string, via?: string): RecordWrite => ({
  type: 'receipt.mark',
  alertId,
  message: 'alert',
  incidentId: 'I-1',
  volunteerId: 'V-1',
  field,
  at,
  ...(via === undefined ? {} : { via }),
});
