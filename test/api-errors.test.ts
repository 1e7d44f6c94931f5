import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_STATUS, type ErrorCode } from '../src/server/error-status.ts';
import { ManualClock } from '../src/time/clock.ts';
import { CIVIC_CENTER, expectError } from './support/api.ts';
import { startTestServer, type TestResponse, type TestServer } from './support/server.ts';

/**
 * Codes in ERROR_STATUS that no HTTP request can produce today, and why. A new code must either be
 * exercised below or be listed here with its reason.
 */
const UNREACHABLE_OVER_HTTP: Partial<Record<ErrorCode, string>> = {
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
  Internal: 'the bug this suite guards against',
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

const VALID = { location: CIVIC_CENTER, nature: 'medical' } as const;

describe('API errors: one shape, the right status, never a 5xx', () => {
  const clock = new ManualClock();
  let t: TestServer;
  const seen: TestResponse[] = [];
  /** Every request of this file goes through here, so the last tests can check them all. */
  const call = async (method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
    const res = await t.request(method, path, body, headers);
    seen.push(res);
    return res;
  };
  const create = async (body: Record<string, unknown> = VALID) => {
    const res = await call('POST', '/api/incidents', body);
    expect(res.status, res.text).toBe(201);
    return res.body.id as string;
  };

  beforeAll(async () => {
    t = await startTestServer({ clock });
  });
  afterAll(async () => {
    await t.close();
  });

  it('400 ValidationFailed for wrong types, with the path of each problem in details', async () => {
    const res = await call('POST', '/api/incidents', {
      location: { lat: '37.7', lon: -122.4 },
      nature: 'medical',
      priority: '1',
    });
    expectError(res, 400, 'ValidationFailed');
    const paths = (res.body.error.details as { path: string }[]).map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['body/location/lat', 'body/priority']));
    expectError(await call('POST', '/api/incidents', { ...VALID, nature: 42 }), 400, 'ValidationFailed');
    expectError(await call('POST', '/api/incidents', { ...VALID, priority: 4 }), 400, 'ValidationFailed');
    expectError(await call('POST', '/api/incidents', []), 400, 'ValidationFailed');
    expectError(await call('POST', '/api/incidents', 'null'), 400, 'ValidationFailed');
    expectError(await call('POST', '/api/units/E01/status', { status: 'flying' }), 400, 'ValidationFailed');
    expectError(await call('POST', '/api/incidents/X/dispatch', { unitIds: 'E01' }), 400, 'ValidationFailed');
  });

  it('400 ValidationFailed for missing fields', async () => {
    const noLocation = await call('POST', '/api/incidents', { nature: 'medical' });
    expectError(noLocation, 400, 'ValidationFailed');
    expect(noLocation.body.error.details).toContainEqual(expect.objectContaining({ params: { missingProperty: 'location' } }));
    expectError(await call('POST', '/api/incidents', { location: CIVIC_CENTER }), 400, 'ValidationFailed');
    expectError(await call('POST', '/api/incidents', { location: { lat: 37.7 }, nature: 'medical' }), 400, 'ValidationFailed');
    expectError(await call('POST', '/api/units/E01/position', { lat: 37.7 }), 400, 'ValidationFailed');
    expectError(await call('POST', '/api/incidents/X/merge', {}), 400, 'ValidationFailed');
    expectError(await call('PATCH', '/api/incidents/X', {}), 400, 'ValidationFailed');
    expectError(await call('POST', '/api/incidents/X/dispatch', { unitIds: [] }), 400, 'ValidationFailed');
  });

  it('400 ValidationFailed for unknown fields, at any depth', async () => {
    const res = await call('POST', '/api/incidents', { ...VALID, colour: 'red' });
    expectError(res, 400, 'ValidationFailed');
    expect(res.body.error.details).toContainEqual(expect.objectContaining({ params: { additionalProperty: 'colour' } }));
    expectError(
      await call('POST', '/api/incidents', { ...VALID, location: { ...CIVIC_CENTER, alt: 10 } }),
      400,
      'ValidationFailed',
    );
    expectError(await call('PATCH', '/api/incidents/X', { status: 'closed' }), 400, 'ValidationFailed');
    expectError(await call('POST', '/api/units/E01/status', { status: 'available', incidentId: 'X' }), 400, 'ValidationFailed');
  });

  it('400 ValidationFailed for latitudes and longitudes out of range', async () => {
    for (const location of [
      { lat: 90.0001, lon: 0 },
      { lat: -91, lon: 0 },
      { lat: 0, lon: 180.5 },
      { lat: 0, lon: -181 },
    ]) {
      expectError(await call('POST', '/api/incidents', { location, nature: 'medical' }), 400, 'ValidationFailed');
      expectError(await call('POST', '/api/units/E01/position', location), 400, 'ValidationFailed');
    }
    expectError(
      await call('POST', '/api/incidents', '{"location":{"lat":1e999,"lon":0},"nature":"medical"}'),
      400,
      'ValidationFailed',
    );
  });

  it('400 ValidationFailed for a bad query string, path parameter or header', async () => {
    for (const q of ['status=bogus', 'status=', 'status=OPEN', 'limit=0', 'limit=5001', 'limit=abc', 'limit=1.5', 'sort=asc']) {
      expectError(await call('GET', `/api/incidents?${q}`), 400, 'ValidationFailed');
    }
    for (const q of ['after=-1', 'after=abc', 'limit=0', 'limit=1001', 'page=2'])
      expectError(await call('GET', `/api/events?${q}`), 400, 'ValidationFailed');
    expectError(await call('GET', '/api/incidents/has%20space'), 400, 'ValidationFailed');
    expectError(await call('GET', `/api/units/${'E'.repeat(65)}`), 400, 'ValidationFailed');
    expectError(await call('GET', `/api/incidents/${'I'.repeat(500)}`), 400, 'ValidationFailed');
    expectError(await call('POST', '/api/incidents', VALID, { 'idempotency-key': '' }), 400, 'ValidationFailed');
    expectError(await call('POST', '/api/incidents', VALID, { 'idempotency-key': 'k'.repeat(201) }), 400, 'ValidationFailed');
  });

  it('400 ValidationFailed for a position fix stamped in the future or with a bad time', async () => {
    const future = new Date(clock.now() + 3_600_000).toISOString();
    expectError(await call('POST', '/api/units/E01/position', { ...CIVIC_CENTER, at: future }), 400, 'ValidationFailed');
    expectError(await call('POST', '/api/units/E01/position', { ...CIVIC_CENTER, at: 'yesterday' }), 400, 'ValidationFailed');
  });

  it('400 MalformedJson for broken or empty JSON', async () => {
    expectError(await call('POST', '/api/incidents', '{"location":'), 400, 'MalformedJson');
    expectError(await call('POST', '/api/incidents', "{'nature':'medical'}"), 400, 'MalformedJson');
    expectError(await call('POST', '/api/incidents', '', { 'content-type': 'application/json' }), 400, 'MalformedJson');
    expectError(await call('PATCH', '/api/incidents/X', '{"notes":"a",}'), 400, 'MalformedJson');
  });

  it('400 UnknownNature when creating or correcting an incident with a nature that has no plan', async () => {
    const res = await call('POST', '/api/incidents', { ...VALID, nature: 'alien_landing' });
    expectError(res, 400, 'UnknownNature');
    expect(res.body.error.details).toEqual({ nature: 'alien_landing' });
    expectError(await call('POST', '/api/incidents', { ...VALID, nature: 'constructor' }), 400, 'UnknownNature');
    const id = await create();
    expectError(await call('PATCH', `/api/incidents/${id}`, { nature: 'alien_landing' }), 400, 'UnknownNature');
  });

  it('400 CannotMergeIntoItself when an incident is merged into itself', async () => {
    const id = await create();
    expectError(await call('POST', `/api/incidents/${id}/merge`, { into: id }), 400, 'CannotMergeIntoItself');
  });

  it('404 UnknownIncident on every incident endpoint for an id that does not exist', async () => {
    expectError(await call('GET', '/api/incidents/I000000-NOPE00'), 404, 'UnknownIncident');
    expectError(await call('GET', '/api/incidents/I000000-NOPE00/recommendation'), 404, 'UnknownIncident');
    expectError(await call('PATCH', '/api/incidents/I000000-NOPE00', { notes: 'x' }), 404, 'UnknownIncident');
    expectError(await call('POST', '/api/incidents/I000000-NOPE00/dispatch', { unitIds: ['E01'] }), 404, 'UnknownIncident');
    for (const verb of ['cancel', 'resolve', 'close'])
      expectError(await call('POST', `/api/incidents/I000000-NOPE00/${verb}`, {}), 404, 'UnknownIncident');
    const id = await create();
    expectError(await call('POST', `/api/incidents/I000000-NOPE00/merge`, { into: id }), 404, 'UnknownIncident');
    expectError(await call('POST', `/api/incidents/${id}/merge`, { into: 'I000000-NOPE00' }), 404, 'UnknownIncident');
  });

  it('404 UnknownUnit on every unit endpoint, and when dispatching a unit that does not exist', async () => {
    expectError(await call('GET', '/api/units/E99'), 404, 'UnknownUnit');
    expectError(await call('POST', '/api/units/E99/status', { status: 'available' }), 404, 'UnknownUnit');
    expectError(await call('POST', '/api/units/E99/position', CIVIC_CENTER), 404, 'UnknownUnit');
    expectError(await call('GET', '/api/units/__proto__'), 404, 'UnknownUnit');
    const id = await create();
    const res = await call('POST', `/api/incidents/${id}/dispatch`, { unitIds: ['E05', 'E99'] });
    expectError(res, 404, 'UnknownUnit');
    expect(res.body.error.details).toEqual({ unitId: 'E99' });
    expect((await call('GET', '/api/units/E05')).body.status).toBe('available');
  });

  it('404 RouteNotFound for a path or a method the API does not serve', async () => {
    expectError(await call('GET', '/api/nope'), 404, 'RouteNotFound');
    expectError(await call('GET', '/api'), 404, 'RouteNotFound');
    expectError(await call('DELETE', '/api/incidents'), 404, 'RouteNotFound');
    expectError(await call('PUT', '/api/units/E01', { status: 'available' }), 404, 'RouteNotFound');
    expectError(await call('POST', '/api/incidents/X/reopen', {}), 404, 'RouteNotFound');
  });

  it('409 IllegalTransition for a move the status machines forbid', async () => {
    const id = await create();
    const close = await call('POST', `/api/incidents/${id}/close`, {});
    expectError(close, 409, 'IllegalTransition');
    expect(close.body.error.details).toEqual({ from: 'received', to: 'closed' });
    // A medic (an engine never goes at_hospital: that is StatusNotAllowedForUnitType, 422).
    const unit = await call('POST', '/api/units/57/status', { status: 'at_hospital' });
    expectError(unit, 409, 'IllegalTransition');
    expect(unit.body.error.details).toMatchObject({ from: 'available', to: 'at_hospital' });
    expectError(await call('POST', '/api/units/E07/status', { status: 'dispatched' }), 409, 'IllegalTransition');
  });

  it('409 UnitNotAvailable for a unit already committed; the dispatch is all or nothing', async () => {
    const first = await create();
    expect((await call('POST', `/api/incidents/${first}/dispatch`, { unitIds: ['E08'] })).status).toBe(200);
    const second = await create();
    const res = await call('POST', `/api/incidents/${second}/dispatch`, { unitIds: ['E09', 'E08'] });
    expectError(res, 409, 'UnitNotAvailable');
    expect(res.body.error.details).toEqual({ unitId: 'E08', status: 'dispatched', incidentId: first });
    expect((await call('GET', '/api/units/E09')).body.status).toBe('available');
    expect((await call('GET', `/api/incidents/${second}`)).body).toMatchObject({ status: 'received', assignments: [] });
  });

  it('409 IncidentClosed for changing a closed or cancelled incident', async () => {
    const cancelled = await create();
    await call('POST', `/api/incidents/${cancelled}/cancel`, {});
    const closed = await create();
    await call('POST', `/api/incidents/${closed}/resolve`, {});
    await call('POST', `/api/incidents/${closed}/close`, {});
    const open = await create();
    for (const id of [cancelled, closed]) {
      expectError(await call('PATCH', `/api/incidents/${id}`, { notes: 'late' }), 409, 'IncidentClosed');
      expectError(await call('POST', `/api/incidents/${id}/dispatch`, { unitIds: ['E11'] }), 409, 'IncidentClosed');
      expectError(await call('POST', `/api/incidents/${id}/cancel`, {}), 409, 'IncidentClosed');
      expectError(await call('POST', `/api/incidents/${id}/resolve`, {}), 409, 'IncidentClosed');
      expectError(await call('POST', `/api/incidents/${open}/merge`, { into: id }), 409, 'IncidentClosed');
    }
  });

  it('409 IncidentHasActiveUnits for closing or merging an incident with units still committed', async () => {
    const id = await create();
    await call('POST', `/api/incidents/${id}/dispatch`, { unitIds: ['E13'] });
    await call('POST', `/api/incidents/${id}/resolve`, {});
    const res = await call('POST', `/api/incidents/${id}/close`, {});
    expectError(res, 409, 'IncidentHasActiveUnits');
    expect(res.body.error.details).toEqual({ unitIds: ['E13'] });
    const duplicate = await create();
    await call('POST', `/api/incidents/${duplicate}/dispatch`, { unitIds: ['E15'] });
    expectError(await call('POST', `/api/incidents/${duplicate}/merge`, { into: await create() }), 409, 'IncidentHasActiveUnits');
  });

  it('400 JsonTooDeep for a body nesting deeper than 32 levels, before it is parsed', async () => {
    expectError(await call('POST', '/api/incidents', '['.repeat(33) + ']'.repeat(33)), 400, 'JsonTooDeep');
    expectError(await call('PATCH', '/api/incidents/X', `{"notes":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`), 400, 'JsonTooDeep');
    expectError(await call('POST', '/api/incidents', '['.repeat(40)), 400, 'JsonTooDeep');
  });

  it('401 Unauthenticated without credentials, with a bad bearer token, or with a session cookie that is not a session', async () => {
    expectError(await call('GET', '/api/incidents', undefined, { authorization: '' }), 401, 'Unauthenticated');
    expectError(await call('POST', '/api/incidents', VALID, { authorization: '' }), 401, 'Unauthenticated');
    expectError(await call('GET', '/api/units', undefined, { authorization: 'Bearer sam_nope' }), 401, 'Unauthenticated');
    expectError(await call('GET', '/api/units', undefined, { authorization: `Basic ${btoa('admin:admin')}` }), 401, 'Unauthenticated');
    expectError(await call('GET', '/api/units', undefined, { authorization: '', cookie: 'samaritan_session=junk' }), 401, 'Unauthenticated');
    const signIn = await call('POST', '/api/session', { name: 'nobody', password: 'wrong password' }, { authorization: '' });
    expectError(signIn, 401, 'Unauthenticated');
  });

  it('403 Forbidden for a role the route does not allow, and 403 CsrfTokenInvalid for a session without its CSRF token', async () => {
    const callTaker = await t.token('call_taker');
    expectError(await call('POST', '/api/incidents/X/dispatch', { unitIds: ['E01'] }, { authorization: `Bearer ${callTaker}` }), 403, 'Forbidden');
    const volunteer = await t.token('volunteer');
    expectError(await call('GET', '/api/incidents', undefined, { authorization: `Bearer ${volunteer}` }), 403, 'Forbidden');
    expectError(await call('GET', '/api/tokens'), 403, 'Forbidden');

    await t.app.accounts.addUser('errors-console', 'dispatcher', 'correct horse battery', 'test');
    const signIn = await call('POST', '/api/session', { name: 'errors-console', password: 'correct horse battery' }, { authorization: '' });
    expect(signIn.status, signIn.text).toBe(201);
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    expectError(await call('POST', '/api/incidents', VALID, { authorization: '', cookie }), 403, 'CsrfTokenInvalid');
    expectError(await call('POST', '/api/incidents', VALID, { authorization: '', cookie, 'x-csrf-token': 'wrong' }), 403, 'CsrfTokenInvalid');
  });

  it('404 UnknownToken, 404 UnknownUser and 409 UserAlreadyExists on the admin routes', async () => {
    const admin = { authorization: `Bearer ${await t.token('admin')}` };
    expectError(await call('DELETE', '/api/tokens/nosuchtoken0', undefined, admin), 404, 'UnknownToken');
    expectError(await call('PATCH', '/api/users/nosuchuser', { role: 'admin' }, admin), 404, 'UnknownUser');
    const user = { name: 'errors-twice', role: 'call_taker', password: 'a long enough password' };
    expect((await call('POST', '/api/users', user, admin)).status).toBe(201);
    expectError(await call('POST', '/api/users', user, admin), 409, 'UserAlreadyExists');
  });

  it('400 InvalidUnicode for a lone surrogate in a JSON string; 403 WrongCredentialKind for a device token on a staff route', async () => {
    const text = `{"location":{"lat":${CIVIC_CENTER.lat},"lon":${CIVIC_CENTER.lon}},"nature":"medical","notes":"\\ud800"}`;
    expectError(await call('POST', '/api/incidents', text), 400, 'InvalidUnicode');
    const device = await t.app.accounts.createToken({ name: 'errors phone', role: 'dispatcher', kind: 'device', subject: 'V-errors', by: 'test' });
    expectError(await call('GET', '/api/incidents', undefined, { authorization: `Bearer ${device.token}` }), 403, 'WrongCredentialKind');
  });

  it('429 SignInThrottled after 5 failed sign-ins for one name from one address, with a Retry-After', async () => {
    const wrong = { name: 'errors-guessed', password: 'not the password' };
    for (let i = 0; i < 5; i++) expectError(await call('POST', '/api/session', wrong, { authorization: '' }), 401, 'Unauthenticated');
    const limited = await call('POST', '/api/session', wrong, { authorization: '' });
    expectError(limited, 429, 'SignInThrottled');
    expect(limited.headers.get('retry-after')).toBe('1');
  });

  it('429 RateLimited past a route’s rate limit (30 tokens a minute per credential)', async () => {
    const admin = { authorization: `Bearer ${await t.token('admin')}` };
    for (let i = 0; i < 30; i++) expect((await call('POST', '/api/tokens', { name: `limit-${i}`, role: 'integration' }, admin)).status).toBe(201);
    expectError(await call('POST', '/api/tokens', { name: 'limit-over', role: 'integration' }, admin), 429, 'RateLimited');
  });

  it('400 MalformedRequest for a URL that is not valid percent-encoding or a method HTTP does not know', async () => {
    expectError(await call('GET', '/api/units/%ZZ'), 400, 'MalformedRequest');
    expectError(await call('POST', '/api/incidents/%E0%A4%A/cancel', {}), 400, 'MalformedRequest');
    expectError(await call('FROBNICATE', '/api/incidents'), 400, 'MalformedRequest');
  });

  it('431 HeadersTooLarge for request headers over 16 KiB', async () => {
    expectError(await call('GET', '/api/units', undefined, { 'x-padding': 'p'.repeat(20_000) }), 431, 'HeadersTooLarge');
  });

  it('413 BodyTooLarge for a body over 64 KiB', async () => {
    const big = { ...VALID, notes: 'x'.repeat(65 * 1024) };
    expectError(await call('POST', '/api/incidents', big), 413, 'BodyTooLarge');
    expectError(await call('PATCH', '/api/incidents/X', big), 413, 'BodyTooLarge');
  });

  it('415 UnsupportedMediaType for a body that is not JSON', async () => {
    const json = JSON.stringify(VALID);
    expectError(await call('POST', '/api/incidents', json, { 'content-type': 'text/plain' }), 415, 'UnsupportedMediaType');
    expectError(
      await call('POST', '/api/incidents', 'nature=medical', { 'content-type': 'application/x-www-form-urlencoded' }),
      415,
      'UnsupportedMediaType',
    );
    expectError(
      await call('POST', '/api/units/E01/status', 'available', { 'content-type': 'text/plain; charset=utf-8' }),
      415,
      'UnsupportedMediaType',
    );
    expect((await call('POST', '/api/incidents', json, { 'content-type': 'application/json; charset=utf-8' })).status).toBe(201);
  });

  it('422 IdempotencyKeyMismatch for an Idempotency-Key reused with a different body', async () => {
    expect((await call('POST', '/api/incidents', VALID, { 'idempotency-key': 'err-1' })).status).toBe(201);
    expectError(
      await call('POST', '/api/incidents', { ...VALID, nature: 'alarm' }, { 'idempotency-key': 'err-1' }),
      422,
      'IdempotencyKeyMismatch',
    );
  });

  it('422 OutsideServiceArea for a place outside the service area; 422 StatusNotAllowedForUnitType for an engine transporting', async () => {
    expectError(await call('POST', '/api/incidents', { ...VALID, location: { lat: 0, lon: 0 } }), 422, 'OutsideServiceArea');
    const id = await create();
    expect((await call('POST', `/api/incidents/${id}/dispatch`, { unitIds: ['E21'] })).status).toBe(200);
    expectError(await call('POST', '/api/units/E21/status', { status: 'transporting' }), 422, 'StatusNotAllowedForUnitType');
  });

  it('the volunteer registry: 404 UnknownVolunteer/UnknownQualification, 400 InvalidQualification/InvalidQuietHours, 409 QualificationExpired/LocationConsentRequired, 410 VolunteerGone', async () => {
    const supervisor = { authorization: `Bearer ${await t.token('supervisor')}` };
    const signedUp = await call('POST', '/api/volunteers', { name: 'Error Case', phone: '+1 415 555 0100', locationConsent: false }, { authorization: '' });
    expect(signedUp.status).toBe(201);
    const me = { authorization: `Bearer ${signedUp.body.token as string}` };
    const id = signedUp.body.id as string;
    expectError(await call('GET', '/api/volunteers/VNOSUCHONE', undefined, supervisor), 404, 'UnknownVolunteer');
    expectError(await call('POST', `/api/volunteers/${id}/qualifications/cpr/verify`, {}, supervisor), 404, 'UnknownQualification');
    expectError(await call('POST', '/api/volunteers/me/qualifications', { kind: 'cpr', expiresAt: '2001-01-01' }, me), 400, 'InvalidQualification');
    expectError(await call('PATCH', '/api/volunteers/me', { quietHours: { from: '07:00', to: '07:00' } }, me), 400, 'InvalidQuietHours');
    expectError(await call('POST', '/api/volunteers/me/position', CIVIC_CENTER, me), 409, 'LocationConsentRequired');
    const soon = new Date(clock.now() + 800).toISOString();
    expect((await call('POST', '/api/volunteers/me/qualifications', { kind: 'aed', expiresAt: soon }, me)).status).toBe(201);
    clock.advance(800); // the qualification's expiry
    expectError(await call('POST', `/api/volunteers/${id}/qualifications/aed/verify`, {}, supervisor), 409, 'QualificationExpired');
    expect((await call('DELETE', '/api/volunteers/me', undefined, me)).status).toBe(204);
    expectError(await call('GET', `/api/volunteers/${id}`, undefined, supervisor), 410, 'VolunteerGone');
  });

  it('volunteer alerts: 404 UnknownAlert for an alert that is not yours, 409 AlertNotOpen once answered, 409 AlertNotAccepted for arriving on a declined one, 426 UpgradeRequired for the stream without an upgrade', async () => {
    const signedUp = await call('POST', '/api/volunteers', { name: 'Alert Case', phone: '+1 415 555 0100', locationConsent: true }, { authorization: '' });
    const me = { authorization: `Bearer ${signedUp.body.token as string}` };
    const id = signedUp.body.id as string;
    expect((await call('POST', '/api/volunteers/me/qualifications', { kind: 'cpr', expiresAt: '2099-01-01' }, me)).status).toBe(201);
    expect((await call('PATCH', '/api/volunteers/me', { available: true }, me)).status).toBe(200);
    const at = { lat: CIVIC_CENTER.lat + 0.0005, lon: CIVIC_CENTER.lon };
    expect((await call('POST', '/api/volunteers/me/position', at, me)).status).toBeLessThan(300);
    const incident = await create({ location: CIVIC_CENTER, nature: 'cardiac_arrest', place: 'public' });
    await t.app.responders.settle();
    const alertId = `${incident}.${id}`;
    expect((await call('GET', '/api/volunteers/me/alerts', undefined, me)).body.alerts.map((a: { alertId: string }) => a.alertId)).toEqual([alertId]);
    expectError(await call('POST', `/api/volunteers/me/alerts/${incident}.VSOMEONEELSE00/accept`, undefined, me), 404, 'UnknownAlert');
    const orphan = await t.app.accounts.createToken({ name: 'orphan phone', role: 'volunteer', kind: 'device', by: 'test' }); // bound to no volunteer
    expectError(await call('POST', `/api/volunteers/me/alerts/${alertId}/seen`, {}, { authorization: `Bearer ${orphan.token}` }), 404, 'UnknownVolunteer');
    expect((await call('POST', `/api/volunteers/me/alerts/${alertId}/decline`, {}, me)).status).toBe(200);
    expectError(await call('POST', `/api/volunteers/me/alerts/${alertId}/accept`, undefined, me), 409, 'AlertNotOpen');
    expectError(await call('POST', `/api/volunteers/me/alerts/${alertId}/arrived`, undefined, me), 409, 'AlertNotAccepted');
    expectError(await call('GET', '/api/volunteers/me/stream', undefined, me), 426, 'UpgradeRequired');
    const keys = { p256dh: 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM', auth: 'tBHItJI5svbpez7KI4CCXg' };
    expectError(await call('POST', '/api/volunteers/me/push-subscription', { endpoint: 'http://127.0.0.1:9/x', keys }, me), 422, 'PushEndpointNotAllowed');
  });

  it('every response carries a distinct x-request-id, errors included', () => {
    const ids = seen.map((r) => r.headers.get('x-request-id'));
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('every error code the API can produce was produced above, each with its status from ERROR_STATUS', () => {
    const produced = new Map<string, number>();
    for (const r of seen) if (r.status >= 400) produced.set(r.body.error.code as string, r.status);
    for (const [code, status] of produced) expect(status, code).toBe(ERROR_STATUS[code as ErrorCode]);
    const expected = (Object.keys(ERROR_STATUS) as ErrorCode[]).filter((c) => !(c in UNREACHABLE_OVER_HTTP));
    expect([...produced.keys()].sort()).toEqual(expected.sort());
  });

  it('no request in this file was answered with a 5xx', () => {
    expect(seen.length).toBeGreaterThan(100);
    expect(seen.filter((r) => r.status >= 500).map((r) => r.text)).toEqual([]);
  });
});
