import { describe, expect, it } from 'vitest';
import { ERROR_STATUS, type ErrorCode } from '../src/server/error-status.ts';
import { CIVIC_CENTER, expectError } from './support/api.ts';
import {
  DOMAIN_ERROR_CODES,
  INTEROP_ERROR_CODES,
  errorSuite,
  expectDistinctRequestIds,
  expectProduced,
  REQUEST_ERROR_CODES,
  UNREACHABLE_OVER_HTTP,
  VALID,
} from './support/api-errors.ts';

/**
 * API errors caused by the request itself: its shape, encoding and size, its credentials, its rate.
 * The domain's refusals are in test/api-errors-domain.test.ts; between them, every code.
 */

describe('API errors of the request: one shape, the right status, never a 5xx', () => {
  const { clock, t, seen, call } = errorSuite();

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

  it('404 RouteNotFound for a path or a method the API does not serve', async () => {
    expectError(await call('GET', '/api/nope'), 404, 'RouteNotFound');
    expectError(await call('GET', '/api'), 404, 'RouteNotFound');
    expectError(await call('DELETE', '/api/incidents'), 404, 'RouteNotFound');
    expectError(await call('PUT', '/api/units/E01', { status: 'available' }), 404, 'RouteNotFound');
    expectError(await call('POST', '/api/incidents/X/reopen', {}), 404, 'RouteNotFound');
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
    const callTaker = await t().token('call_taker');
    expectError(await call('POST', '/api/incidents/X/dispatch', { unitIds: ['E01'] }, { authorization: `Bearer ${callTaker}` }), 403, 'Forbidden');
    const volunteer = await t().token('volunteer');
    expectError(await call('GET', '/api/incidents', undefined, { authorization: `Bearer ${volunteer}` }), 403, 'Forbidden');
    expectError(await call('GET', '/api/tokens'), 403, 'Forbidden');

    await t().app.accounts.addUser('errors-console', 'dispatcher', 'correct horse battery', 'test');
    const signIn = await call('POST', '/api/session', { name: 'errors-console', password: 'correct horse battery' }, { authorization: '' });
    expect(signIn.status, signIn.text).toBe(201);
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    expectError(await call('POST', '/api/incidents', VALID, { authorization: '', cookie }), 403, 'CsrfTokenInvalid');
    expectError(await call('POST', '/api/incidents', VALID, { authorization: '', cookie, 'x-csrf-token': 'wrong' }), 403, 'CsrfTokenInvalid');
  });

  it('400 InvalidUnicode for a lone surrogate in a JSON string; 403 WrongCredentialKind for a device token on a staff route', async () => {
    const text = `{"location":{"lat":${CIVIC_CENTER.lat},"lon":${CIVIC_CENTER.lon}},"nature":"medical","notes":"\\ud800"}`;
    expectError(await call('POST', '/api/incidents', text), 400, 'InvalidUnicode');
    const device = await t().app.accounts.createToken({ name: 'errors phone', role: 'dispatcher', kind: 'device', subject: 'V-errors', by: 'test' });
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
    const admin = { authorization: `Bearer ${await t().token('admin')}` };
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
    // Only the routes that take XML (EMSI, a partner's hand-over) read it; elsewhere it is refused, not validated as JSON.
    expectError(await call('POST', '/api/incidents', '<incident/>', { 'content-type': 'application/xml' }), 415, 'UnsupportedMediaType');
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

  it('every response carries a distinct x-request-id, errors included', () => {
    expectDistinctRequestIds(seen);
  });

  it('every error code of the request was produced above, each with its status from ERROR_STATUS', () => {
    expectProduced(seen, REQUEST_ERROR_CODES);
  });

  it('no request in this file was answered with a 5xx', () => {
    expect(seen.length).toBeGreaterThan(100);
    expect(seen.filter((r) => r.status >= 500).map((r) => r.text)).toEqual([]);
  });
});

describe('the API error suites together', () => {
  it('produce every error code the API can produce over HTTP, each in one suite only', () => {
    const expected = (Object.keys(ERROR_STATUS) as ErrorCode[]).filter((c) => !(c in UNREACHABLE_OVER_HTTP));
    const both = [...REQUEST_ERROR_CODES, ...DOMAIN_ERROR_CODES, ...INTEROP_ERROR_CODES];
    expect(new Set(both).size).toBe(both.length);
    expect(both.sort()).toEqual(expected.sort());
  });
});
