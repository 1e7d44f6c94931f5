import { afterAll, beforeAll, expect } from 'vitest';
import { ERROR_STATUS, type ErrorCode } from '../../src/server/error-status.ts';
import type { Partner } from '../../src/config/partners-config.ts';
import { ManualClock } from '../../src/time/clock.ts';
import { CIVIC_CENTER } from './api.ts';
import { startTestServer, type TestResponse, type TestServer } from './server.ts';

/**
 * What the two API error suites share: the codes that no HTTP request can produce, the codes each
 * suite produces (test/api-errors.test.ts: the request itself; test/api-errors-domain.test.ts: the
 * domain's rules and resources), and a server whose every answer is kept for the checks at the end.
 */

/**
 * Codes in ERROR_STATUS that no HTTP request can produce today, and why. A new code must either be
 * produced by one of the suites (and listed as theirs below) or be listed here with its reason.
 */
export const UNREACHABLE_OVER_HTTP: Partial<Record<ErrorCode, string>> = {
  InvalidLocation: 'the schema bounds lat/lon and JSON cannot carry NaN or Infinity, so ValidationFailed answers first',
  NothingToChange: 'the PATCH schema requires at least one field, so ValidationFailed answers first',
  IncidentAlreadyExists: 'incident ids are random; a collision cannot be provoked',
  UnitAlreadyExists: 'no endpoint commissions units',
  StationAlreadyExists: 'no endpoint opens stations',
  UnitNotAssigned: 'no decision raises it',
  MethodNotAllowed: 'a wrong method on a known path is answered RouteNotFound',
  VersionConflict: 'needs five lost races in a row between two writers (the writer decides again up to five times)',
  RecordConflict: 'only a receipt guard raises it, and the receipts take it as "already recorded" (false), never as an answer',
  RequestTimeout: 'needs a client that stalls mid-request for Node’s headersTimeout (60 s)',
  Internal: 'the bug these suites guard against',
  TooManyConnections: 'refused only on a WebSocket upgrade: test/api-socket-limits.test.ts opens the sockets and gets it',
  StorageUnavailable: 'needs a disk that refuses writes: test/bad-days-storage.test.ts makes one and gets it over HTTP',
  ...Object.fromEntries(
    (
      [
        'VolunteerAlreadyExists', 'VolunteerPolicyMissing',
      ] as const
    ).map((code) => [code, 'no HTTP route yet: the volunteer core has no API; exercise it here when its routes land']),
  ),
  ...Object.fromEntries(
    (
      [
        'VolunteersNotWanted', 'InvalidVolunteerResponse', 'VolunteerResponseAlreadyStarted', 'UnknownVolunteerResponse',
        'VolunteerResponseEnded', 'WaveNotScheduled', 'WaveNotDue', 'AlertNotExpired',
      ] as const
    ).map((code) => [code, 'raised to the response engine and its timers (src/app), never in answer to a request']),
  ),
};

/** The codes test/api-errors.test.ts produces: what is wrong with the request itself or its credentials. */
export const REQUEST_ERROR_CODES: readonly ErrorCode[] = [
  'ValidationFailed', 'MalformedJson', 'JsonTooDeep', 'InvalidUnicode', 'MalformedRequest', 'RouteNotFound',
  'HeadersTooLarge', 'BodyTooLarge', 'UnsupportedMediaType', 'Unauthenticated', 'Forbidden', 'CsrfTokenInvalid',
  'WrongCredentialKind', 'SignInThrottled', 'RateLimited',
];

/** The codes test/api-errors-domain.test.ts produces: the domain's rules, and resources that are not there. */
export const DOMAIN_ERROR_CODES: readonly ErrorCode[] = [
  'UnknownNature', 'CannotMergeIntoItself', 'UnknownIncident', 'UnknownUnit', 'IllegalTransition', 'UnitNotAvailable',
  'IncidentClosed', 'IncidentHasActiveUnits', 'UnknownToken', 'UnknownUser', 'UserAlreadyExists', 'IdempotencyKeyMismatch',
  'OutsideServiceArea', 'StatusNotAllowedForUnitType', 'UnknownVolunteer', 'UnknownQualification', 'InvalidQualification',
  'InvalidQuietHours', 'QualificationExpired', 'LocationConsentRequired', 'VolunteerGone', 'UnknownAlert', 'AlertNotOpen',
  'AlertNotAccepted', 'UpgradeRequired', 'PushEndpointNotAllowed', 'UnknownAlarmLevel', 'UnknownCapability', 'EnrolmentCodeInvalid',
];

/** The codes test/api-errors-interop.test.ts produces: documents from other systems, the caller's phone location, public warnings, reports. */
export const INTEROP_ERROR_CODES: readonly ErrorCode[] = [
  'InvalidDocument', 'XmlDoctypeRefused', 'MalformedXml', 'XmlTooDeep', 'AmlNotRecognised', 'AmlFieldMissing', 'AmlFieldInvalid',
  'AmlNoPosition', 'InvalidPublicWarning', 'NoPublicWarning', 'InvalidReportPeriod', 'ReportPeriodTooLong', 'UnknownPartner',
  'InvalidHandOver', 'HandOverPending', 'PartnerSignatureInvalid',
];

export const VALID = { location: CIVIC_CENTER, nature: 'medical' } as const;

export interface ErrorSuite {
  readonly clock: ManualClock;
  /** The test server (started before the suite's first test). */
  readonly t: () => TestServer;
  /** Every answer of the suite, in order. */
  readonly seen: TestResponse[];
  /** A request whose answer is kept in `seen`: every request of a suite goes through here. */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<TestResponse>;
  /** Creates an incident through `call`; fails unless 201. */
  create(body?: Record<string, unknown>): Promise<string>;
}

/** Starts a server for the suite of the describe block it is called in, and stops it after. */
export function errorSuite(options: { partners?: readonly Partner[] } = {}): ErrorSuite {
  const clock = new ManualClock();
  let server: TestServer | undefined;
  const t = () => server!;
  const seen: TestResponse[] = [];
  const call = async (method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
    const res = await t().request(method, path, body, headers);
    seen.push(res);
    return res;
  };
  const create = async (body: Record<string, unknown> = VALID) => {
    const res = await call('POST', '/api/incidents', body);
    expect(res.status, res.text).toBe(201);
    return res.body.id as string;
  };
  beforeAll(async () => {
    server = await startTestServer({ clock, ...options });
  });
  afterAll(async () => {
    await server?.close();
  });
  return { clock, t, seen, call, create };
}

/** Every answer carries a distinct x-request-id, errors included. */
export function expectDistinctRequestIds(seen: readonly TestResponse[]): void {
  const ids = seen.map((r) => r.headers.get('x-request-id'));
  for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  expect(new Set(ids).size).toBe(ids.length);
}

/** The error codes among `seen` are exactly `codes`, each with its status from ERROR_STATUS. */
export function expectProduced(seen: readonly TestResponse[], codes: readonly ErrorCode[]): void {
  const produced = new Map<string, number>();
  for (const r of seen) if (r.status >= 400) produced.set(r.body.error.code as string, r.status);
  for (const [code, status] of produced) expect(status, code).toBe(ERROR_STATUS[code as ErrorCode]);
  expect([...produced.keys()].sort()).toEqual([...codes].sort());
}
