import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectError } from './support/api.ts';
import { errorSuite, expectDistinctRequestIds, expectProduced, INTEROP_ERROR_CODES } from './support/api-errors.ts';

/**
 * API errors at the borders with other systems: documents (EMSI, EIDO), the caller's phone location
 * (AML), public warnings (CAP) and the response-time reports. With test/api-errors.test.ts and
 * test/api-errors-domain.test.ts, every code.
 */

const XML = { 'content-type': 'application/xml' };
const TEXT = { 'content-type': 'text/plain' };

describe('API errors at the borders: one shape, the right status, never a 5xx', () => {
  // A partner centre that never answers (nothing listens on port 9 of loopback): hand-overs to it stay pending.
  const { t, seen, call, create } = errorSuite({
    partners: [{ id: 'north', name: 'North centre', url: 'http://127.0.0.1:9/api/partners/us/incidents', format: 'eido', key: 'k'.repeat(32) }],
  });
  const as = async (role: Parameters<ReturnType<typeof t>['token']>[0], scopes?: Parameters<ReturnType<typeof t>['token']>[1]) => ({
    authorization: `Bearer ${await t().token(role, scopes)}`,
  });

  it('documents: 422 InvalidDocument with every path, 400 XmlDoctypeRefused, MalformedXml and XmlTooDeep; nothing written', async () => {
    const invalid = await call('POST', '/api/emsi', { emsi: { CONTEXT: { MODE: 'LIVE' } } });
    expectError(invalid, 422, 'InvalidDocument');
    expect(invalid.body.error.details.errors.length).toBeGreaterThan(1);
    expectError(await call('POST', '/api/eido', { eidoVersion: '2.0' }), 422, 'InvalidDocument');
    const laughs = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><emsi>&lol2;</emsi>';
    expectError(await call('POST', '/api/emsi', laughs, XML), 400, 'XmlDoctypeRefused');
    expectError(await call('POST', '/api/emsi', '<emsi><CONTEXT></emsi>', XML), 400, 'MalformedXml');
    expectError(await call('POST', '/api/emsi', `${'<a>'.repeat(200)}${'</a>'.repeat(200)}`, XML), 400, 'XmlTooDeep');
    const incidents = await call('GET', '/api/incidents?status=all');
    expect(incidents.body.incidents).toEqual([]);
  });

  it('AML: 400 AmlNotRecognised, AmlFieldMissing, AmlFieldInvalid naming the field; 422 AmlNoPosition', async () => {
    const gateway = await as('integration', ['aml:write']);
    const sms = readFileSync(join(import.meta.dirname, 'fixtures', 'standards', 'aml', 'sms.txt'), 'utf8').trim();
    expectError(await call('POST', '/api/aml?from=4155550144', 'Hello from a phone', { ...TEXT, ...gateway }), 400, 'AmlNotRecognised');
    // An SMS carries no calling number: the gateway must give it.
    expectError(await call('POST', '/api/aml', sms, { ...TEXT, ...gateway }), 400, 'AmlFieldMissing');
    const invalid = await call('POST', '/api/aml?from=4155550144', sms.replace('lt=+37.77925', 'lt=+97.77925'), { ...TEXT, ...gateway });
    expectError(invalid, 400, 'AmlFieldInvalid');
    expect(invalid.body.error.details).toMatchObject({ field: 'lt' });
    expectError(await call('POST', '/api/aml?from=4155550144', 'A"ML=1;lt=;lg=;rd=;top=20250708184012;lc=;pm=N', { ...TEXT, ...gateway }), 422, 'AmlNoPosition');
  });

  it('public warnings: 400 InvalidPublicWarning for an empty headline, 409 NoPublicWarning to withdraw none', async () => {
    const supervisor = await as('supervisor');
    const id = await create();
    const warning = { headline: '   ', instruction: 'Keep windows closed.', areaDesc: 'Civic Center', radiusM: 600 };
    expectError(await call('POST', `/api/incidents/${id}/public-warning`, warning, supervisor), 400, 'InvalidPublicWarning');
    expectError(await call('POST', `/api/incidents/${id}/public-warning/withdraw`, {}, supervisor), 409, 'NoPublicWarning');
  });

  it('reports: 400 InvalidReportPeriod for a period it cannot read, 400 ReportPeriodTooLong past 31 days', async () => {
    expectError(await call('GET', '/api/reports/intervals?period=yesterday'), 400, 'InvalidReportPeriod');
    expectError(await call('GET', '/api/reports/intervals?from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z'), 400, 'ReportPeriodTooLong');
  });

  it('hand-overs: 404 UnknownPartner, 422 InvalidHandOver for a blank reason, 409 HandOverPending while one is on its way; 401 PartnerSignatureInvalid for an unsigned document', async () => {
    const id = await create();
    expectError(await call('POST', `/api/incidents/${id}/handover`, { partnerId: 'south', reason: 'mutual aid' }), 404, 'UnknownPartner');
    expectError(await call('POST', `/api/incidents/${id}/handover`, { partnerId: 'north', reason: '   ' }), 422, 'InvalidHandOver');
    expect((await call('POST', `/api/incidents/${id}/handover`, { partnerId: 'north', reason: 'mutual aid' })).status).toBe(202);
    expectError(await call('POST', `/api/incidents/${id}/handover`, { partnerId: 'north', reason: 'again' }), 409, 'HandOverPending');
    expectError(await call('POST', '/api/partners/north/incidents', { eidoVersion: '1.0' }, { authorization: '' }), 401, 'PartnerSignatureInvalid');
  });

  it('every response carries a distinct x-request-id, errors included', () => {
    expectDistinctRequestIds(seen);
  });

  it('every error code at the borders was produced above, each with its status from ERROR_STATUS', () => {
    expectProduced(seen, INTEROP_ERROR_CODES);
  });

  it('no request in this file was answered with a 5xx', () => {
    expect(seen.length).toBeGreaterThan(12);
    expect(seen.filter((r) => r.status >= 500).map((r) => r.text)).toEqual([]);
  });
});
