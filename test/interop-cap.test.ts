import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertsInFeed, atomProblems, capErrors } from './support/cap-check.ts';
import { CIVIC_CENTER, createIncident, expectError } from './support/api.ts';
import { bearer } from './support/auth.ts';
import { startTestServer, type TestServer } from './support/server.ts';

/** OASIS CAP 1.2 over HTTP: an incident's alert, public warnings, and their Atom feed. */
const tag = (xml: string, name: string) => [...xml.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, 'g'))].map((m) => m[1]);
const WARNING = { headline: 'Smoke over Civic Center', instruction: 'Keep windows closed.', areaDesc: 'Civic Center', radiusM: 600 };

describe('CAP 1.2 over the API', () => {
  let t: TestServer;
  let supervisor: Record<string, string>;
  const anonymous = { authorization: '' };
  beforeAll(async () => {
    t = await startTestServer();
    supervisor = bearer(await t.token('supervisor'));
  });
  afterAll(async () => t?.close());

  const cap = async (id: string) => {
    const res = await t.request('GET', `/api/incidents/${id}/cap`);
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/cap\+xml/);
    expect(await capErrors(res.text)).toEqual({ plain: [], extended: [] });
    return res.text;
  };
  const feed = async () => {
    const res = await t.request('GET', '/api/cap/feed', undefined, anonymous);
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/atom\+xml/);
    expect(atomProblems(res.text, { capInEntries: true })).toEqual([]);
    for (const a of alertsInFeed(res.text)) expect(await capErrors(a)).toEqual({ plain: [], extended: [] });
    return res.text;
  };

  it('an incident is a Restricted alert that follows it: Alert, Update, then Cancel referring to the first; no caller or door code', async () => {
    const id = await createIncident(t, {
      location: CIVIC_CENTER,
      nature: 'structure_fire',
      address: '1 Dr Carlton B Goodlett Pl',
      access: 'code 4242',
      callerName: 'Ada Caller',
      callbackNumber: '+14155550199',
    });
    const first = await cap(id);
    expect({ msgType: tag(first, 'msgType'), scope: tag(first, 'scope'), category: tag(first, 'category') }).toEqual({ msgType: ['Alert'], scope: ['Restricted'], category: ['Fire'] });
    expect(first).toContain('<restriction>');
    expect(first).not.toMatch(/4242|Ada Caller|5550199/);
    expect(first).not.toMatch(/<sent>[^<]*Z<\/sent>/);
    expect((await t.request('PATCH', `/api/incidents/${id}`, { floor: '3' })).status).toBe(200);
    const update = await cap(id);
    expect(tag(update, 'msgType')).toEqual(['Update']);
    expect(tag(update, 'references')[0]).toBe(`${tag(first, 'sender')[0]},${tag(first, 'identifier')[0]},${tag(first, 'sent')[0]}`);
    expect((await t.request('POST', `/api/incidents/${id}/cancel`, {})).status).toBe(200);
    const cancel = await cap(id);
    expect(tag(cancel, 'msgType')).toEqual(['Cancel']);
    expect(tag(cancel, 'references')).toEqual(tag(update, 'references'));
    expect(new Set([tag(first, 'identifier')[0], tag(update, 'identifier')[0], tag(cancel, 'identifier')[0]]).size).toBe(3);
  });

  it('a supervisor marks an incident for the public: it is in the feed, public, until withdrawn, then its alert is a Cancel', async () => {
    const id = await createIncident(t, { location: CIVIC_CENTER, nature: 'gas_leak', address: '200 Larkin St', access: 'code 9911' });
    expect(alertsInFeed(await feed()).some((a) => a.includes(id))).toBe(false);

    expectError(await t.request('POST', `/api/incidents/${id}/public-warning`, WARNING), 403, 'Forbidden');
    const issued = await t.request('POST', `/api/incidents/${id}/public-warning`, WARNING, supervisor);
    expect(issued.status, issued.text).toBe(200);
    expect(issued.body.timeline.map((e: { type: string }) => e.type)).toContain('PublicWarningIssued');

    const inFeed = alertsInFeed(await feed()).filter((a) => a.includes(id));
    expect(inFeed).toHaveLength(1);
    expect({ scope: tag(inFeed[0]!, 'scope'), headline: tag(inFeed[0]!, 'headline'), msgType: tag(inFeed[0]!, 'msgType') }).toEqual({
      scope: ['Public'],
      headline: [WARNING.headline],
      msgType: ['Alert'],
    });
    expect(inFeed[0]).not.toMatch(/9911|200 Larkin|<restriction>/);
    const mine = await cap(id);
    expect(tag(mine, 'scope')).toEqual(['Public']);
    const pub = await t.request('GET', `/api/cap/warnings/${id}`, undefined, anonymous);
    expect(pub.status).toBe(200);
    expect(pub.text).toBe(mine);

    const amended = await t.request('POST', `/api/incidents/${id}/public-warning`, { ...WARNING, instruction: 'Stay indoors.' }, supervisor);
    expect(amended.status).toBe(200);
    expect(tag(alertsInFeed(await feed()).find((a) => a.includes(id))!, 'msgType')).toEqual(['Update']);

    const withdrawn = await t.request('POST', `/api/incidents/${id}/public-warning/withdraw`, { reason: 'leak fixed' }, supervisor);
    expect(withdrawn.status, withdrawn.text).toBe(200);
    expect(alertsInFeed(await feed()).some((a) => a.includes(id))).toBe(false);
    const cancel = await cap(id);
    expect({ msgType: tag(cancel, 'msgType'), scope: tag(cancel, 'scope') }).toEqual({ msgType: ['Cancel'], scope: ['Public'] });
    expectError(await t.request('POST', `/api/incidents/${id}/public-warning/withdraw`, {}, supervisor), 409, 'NoPublicWarning');
  });

  it('refuses bad warnings with a 4xx and a code, never a 5xx', async () => {
    const id = await createIncident(t, { location: CIVIC_CENTER, nature: 'hazmat' });
    expectError(await t.request('POST', `/api/incidents/${id}/public-warning`, { ...WARNING, headline: '   ' }, supervisor), 400, 'InvalidPublicWarning');
    expectError(await t.request('POST', `/api/incidents/${id}/public-warning`, { ...WARNING, radiusM: 5 }, supervisor), 400, 'ValidationFailed');
    expectError(await t.request('POST', `/api/incidents/${id}/public-warning`, { headline: 'x' }, supervisor), 400, 'ValidationFailed');
    expectError(await t.request('POST', '/api/incidents/I000000-NOPE00/public-warning', WARNING, supervisor), 404, 'UnknownIncident');
    expectError(await t.request('GET', '/api/incidents/I000000-NOPE00/cap'), 404, 'UnknownIncident');
    expectError(await t.request('GET', `/api/cap/warnings/${id}`, undefined, anonymous), 404, 'UnknownIncident');
    expectError(await t.request('GET', `/api/incidents/${id}/cap`, undefined, anonymous), 401, 'Unauthenticated');
  });

  it('every CAP route is in /openapi.json', async () => {
    const paths = Object.keys((await t.request('GET', '/openapi.json')).body.paths as object);
    for (const p of ['/api/incidents/{id}/cap', '/api/cap/feed', '/api/cap/warnings/{id}', '/api/incidents/{id}/public-warning', '/api/incidents/{id}/public-warning/withdraw']) {
      expect(paths).toContain(p);
    }
  });
});
