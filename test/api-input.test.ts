import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasLoneSurrogate } from '../src/server/json-body.ts';
import { CIVIC_CENTER, expectError } from './support/api.ts';
import { bearer } from './support/auth.ts';
import { rawClient } from './support/raw-http.ts';
import { startTestServer, type TestServer } from './support/server.ts';

/** Input that is not what it claims: text that is not Unicode, and bodies sent to routes that take none. */

describe('request bodies', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
  });

  const incident = (notes: string) =>
    `{"location":{"lat":${CIVIC_CENTER.lat},"lon":${CIVIC_CENTER.lon}},"nature":"medical","notes":"${notes}"}`;

  it('a lone surrogate escaped in a JSON string is refused with 400 InvalidUnicode, not stored as U+FFFD', async () => {
    for (const notes of ['\\ud800', 'before \\uDBFF after', '\\udc00', '\\ude00\\ud83d', 'x\\ud83d']) {
      const res = await t.request('POST', '/api/incidents', incident(notes));
      expectError(res, 400, 'InvalidUnicode');
    }
    // In a key, at depth.
    expectError(
      await t.request('POST', '/api/incidents', `{"location":{"lat":37.7,"lon":-122.4,"\\ud800":1},"nature":"medical"}`),
      400,
      'InvalidUnicode',
    );
    expectError(
      await t.request('POST', '/api/positions', `{"fixes":[{"unitId":"E01","lat":37.7,"lon":-122.4,"note":"\\udfff"}]}`),
      400,
      'InvalidUnicode',
    );
  });

  it('a surrogate pair, escaped or not, and an escaped backslash before "ud800" are text like any other', async () => {
    const paired = await t.request('POST', '/api/incidents', incident('\\ud83d\\ude91 and 🚑 and \\\\ud800'));
    expect(paired.status, paired.text).toBe(201);
    expect(paired.body.notes).toBe('🚑 and 🚑 and \\ud800');
  });

  it('bytes that are not UTF-8 are refused with 400 InvalidUnicode', async () => {
    const client = rawClient(t.base, 1);
    try {
      const bad = Buffer.concat([Buffer.from(incident('caf')), Buffer.from([0xe9]), Buffer.from('"}')]);
      const spliced = Buffer.from(incident('caf\u00e9'));
      const invalid = Buffer.concat([spliced.subarray(0, spliced.length - 4), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
      for (const body of [bad, invalid, Buffer.from([0x7b, 0xed, 0xa0, 0x80, 0x7d])]) {
        const res = await client.send({
          method: 'POST',
          path: '/api/incidents',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${t.dispatcherToken}` },
          body,
        });
        expect(res.status, res.text).toBe(400);
        expect(JSON.parse(res.text).error.code).toBe('InvalidUnicode');
      }
    } finally {
      client.close();
    }
  });

  it('a route that takes no body refuses one with fields (400 ValidationFailed naming them), and takes none or {}', async () => {
    const ticket = await t.request('POST', '/api/stream/ticket', { replay: true });
    expectError(ticket, 400, 'ValidationFailed');
    expect(ticket.body.error.details).toEqual([
      { path: 'body', message: 'must NOT have additional properties', params: { additionalProperty: 'replay' } },
    ]);
    expectError(await t.request('POST', '/api/stream/ticket', [1]), 400, 'ValidationFailed');
    expectError(await t.request('POST', '/api/stream/ticket', 'null'), 400, 'ValidationFailed');
    expect((await t.request('POST', '/api/stream/ticket', {})).status).toBe(200);
    expect((await t.request('POST', '/api/stream/ticket')).status).toBe(200);

    const admin = bearer(await t.token('admin'));
    const made = await t.request('POST', '/api/tokens', { name: 'to-revoke', role: 'integration' }, admin);
    expectError(await t.request('DELETE', `/api/tokens/${made.body.id}`, { force: true }, admin), 400, 'ValidationFailed');
    expect(
      (await t.request('GET', '/api/tokens', undefined, admin)).body.tokens.find((x: { id: string }) => x.id === made.body.id)
        .revokedAt,
    ).toBeUndefined();
    expect((await t.request('DELETE', `/api/tokens/${made.body.id}`, undefined, admin)).status).toBe(204);

    const supervisor = bearer(await t.token('supervisor'));
    expectError(
      await t.request('POST', '/api/volunteers/VNOSUCH/qualifications/cpr/verify', { note: 'seen the card' }, supervisor),
      400,
      'ValidationFailed',
    );
  });
});

describe('hasLoneSurrogate', () => {
  it('finds an unpaired half in any string or key, and passes proper pairs', () => {
    expect(hasLoneSurrogate({ a: ['ok', { b: '\ud800' }] })).toBe(true);
    expect(hasLoneSurrogate({ ['\udc00']: 1 })).toBe(true);
    expect(hasLoneSurrogate('\ude91\ud83d')).toBe(true);
    expect(hasLoneSurrogate({ a: ['🚑', '\ud83d\ude91', 1, null, true] })).toBe(false);
  });
});
