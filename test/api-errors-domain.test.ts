import { describe, expect, it } from 'vitest';
import { CIVIC_CENTER, expectError } from './support/api.ts';
import { DOMAIN_ERROR_CODES, errorSuite, expectDistinctRequestIds, expectProduced, VALID } from './support/api-errors.ts';

/**
 * API errors of the domain: its rules (status machines, dispatch, merging, the service area, the
 * volunteer registry and alerts) and resources that are not there. The errors of the request
 * itself are in test/api-errors.test.ts; between them, every code.
 */

describe('API errors of the domain: one shape, the right status, never a 5xx', () => {
  const { clock, t, seen, call, create } = errorSuite();

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

  it('404 UnknownToken, 404 UnknownUser and 409 UserAlreadyExists on the admin routes', async () => {
    const admin = { authorization: `Bearer ${await t().token('admin')}` };
    expectError(await call('DELETE', '/api/tokens/nosuchtoken0', undefined, admin), 404, 'UnknownToken');
    expectError(await call('PATCH', '/api/users/nosuchuser', { role: 'admin' }, admin), 404, 'UnknownUser');
    const user = { name: 'errors-twice', role: 'call_taker', password: 'a long enough password' };
    expect((await call('POST', '/api/users', user, admin)).status).toBe(201);
    expectError(await call('POST', '/api/users', user, admin), 409, 'UserAlreadyExists');
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
    const supervisor = { authorization: `Bearer ${await t().token('supervisor')}` };
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
    await t().app.responders.settle();
    const alertId = `${incident}.${id}`;
    expect((await call('GET', '/api/volunteers/me/alerts', undefined, me)).body.alerts.map((a: { alertId: string }) => a.alertId)).toEqual([alertId]);
    expectError(await call('POST', `/api/volunteers/me/alerts/${incident}.VSOMEONEELSE00/accept`, undefined, me), 404, 'UnknownAlert');
    const orphan = await t().app.accounts.createToken({ name: 'orphan phone', role: 'volunteer', kind: 'device', by: 'test' }); // bound to no volunteer
    expectError(await call('POST', `/api/volunteers/me/alerts/${alertId}/seen`, {}, { authorization: `Bearer ${orphan.token}` }), 404, 'UnknownVolunteer');
    expect((await call('POST', `/api/volunteers/me/alerts/${alertId}/decline`, {}, me)).status).toBe(200);
    expectError(await call('POST', `/api/volunteers/me/alerts/${alertId}/accept`, undefined, me), 409, 'AlertNotOpen');
    expectError(await call('POST', `/api/volunteers/me/alerts/${alertId}/arrived`, undefined, me), 409, 'AlertNotAccepted');
    expectError(await call('GET', '/api/volunteers/me/stream', undefined, me), 426, 'UpgradeRequired');
    const keys = { p256dh: 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM', auth: 'tBHItJI5svbpez7KI4CCXg' };
    expectError(await call('POST', '/api/volunteers/me/push-subscription', { endpoint: 'http://127.0.0.1:9/x', keys }, me), 422, 'PushEndpointNotAllowed');
  });

  it('greater alarms and enrolment: 400 UnknownAlarmLevel, 400 UnknownCapability, 400 EnrolmentCodeInvalid', async () => {
    const fire = await create({ location: CIVIC_CENTER, nature: 'structure_fire' });
    expectError(await call('GET', `/api/incidents/${fire}/recommendation?alarm=9`), 400, 'UnknownAlarmLevel');
    expectError(await call('GET', `/api/incidents/${fire}/recommendation?more=hovercraft:1`), 400, 'UnknownCapability');
    expectError(await call('POST', '/api/volunteers/enrol', { code: 'ACDEFGHJ' }, { authorization: '' }), 400, 'EnrolmentCodeInvalid');
  });

  it('every response carries a distinct x-request-id, errors included', () => {
    expectDistinctRequestIds(seen);
  });

  it('every error code of the domain was produced above, each with its status from ERROR_STATUS', () => {
    expectProduced(seen, DOMAIN_ERROR_CODES);
  });

  it('no request in this file was answered with a 5xx', () => {
    expect(seen.length).toBeGreaterThan(50);
    expect(seen.filter((r) => r.status >= 500).map((r) => r.text)).toEqual([]);
  });
});
