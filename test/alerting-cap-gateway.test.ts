import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/time/clock.ts';
import { capErrors } from './support/cap-check.ts';
import { startEndpoint, type LocalEndpoint, type Received } from './support/channels.ts';
import { addVolunteer, CITY_HALL, eventually, offset, ofType, postIncident, startResponderServer, type ResponderServer } from './support/responders.ts';

/** Volunteer alerts out as OASIS CAP 1.2 to an alerting gateway: a real HTTP server on 127.0.0.1. */
const SECRET = 'cap-gateway-shared-secret-0123456789';
const tag = (xml: string, name: string) => [...xml.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, 'g'))].map((m) => m[1]);
const param = (xml: string, name: string) =>
  [...xml.matchAll(/<parameter>\s*<valueName>([^<]*)<\/valueName>\s*<value>([^<]*)<\/value>\s*<\/parameter>/g)].filter((m) => m[1] === name).map((m) => m[2]);

describe('the CAP gateway channel', () => {
  const clock = new ManualClock();
  let t: ResponderServer;
  let gateway: LocalEndpoint;
  beforeAll(async () => {
    gateway = await startEndpoint(200);
    t = await startResponderServer({
      clock,
      responders: { webhook: null, capGateway: { url: `${gateway.url}/cap`, secret: SECRET }, firstUnitEtaS: async () => 400, worker: { backoffMs: 1000 } },
    });
  });
  afterAll(async () => {
    await t?.close();
    await gateway?.close();
  });

  const forVolunteer = (id: string): Received[] => gateway.received.filter((r) => r.body.toString('utf8').includes(`<addresses>${id}</addresses>`));
  const checkSigned = (r: Received) => {
    const ts = String(r.headers['x-samaritan-timestamp']);
    const body = r.body.toString('utf8');
    expect(r.headers['x-samaritan-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(`${ts}.${body}`).digest('hex')}`);
    expect(r.headers['content-type']).toBe('application/cap+xml');
    expect(r.path).toBe('/cap');
  };

  it('an alert goes out as a signed, valid Private CAP alert with the area only; a gateway failure is retried with the same delivery id', async () => {
    const v = await addVolunteer(t, { at: offset(CITY_HALL, 60, 30) });
    gateway.script.push(503);
    const before = await t.head();
    const id = await postIncident(t, { location: CITY_HALL, nature: 'cardiac_arrest', place: 'public', address: '1 Dr Carlton B Goodlett Pl', floor: '2', access: 'code 5555', callerName: 'Ada Caller' });
    await t.settle();
    clock.advance(2000);
    await t.app.responders.worker.drain();
    const got = forVolunteer(v.id);
    expect(got).toHaveLength(2);
    expect(got[0]!.headers['x-samaritan-delivery']).toBe(got[1]!.headers['x-samaritan-delivery']);
    expect(got[0]!.body.toString('utf8')).toBe(got[1]!.body.toString('utf8'));
    const xml = got[1]!.body.toString('utf8');
    checkSigned(got[1]!);
    expect(await capErrors(xml)).toEqual({ plain: [], extended: [] });
    expect({ msgType: tag(xml, 'msgType'), scope: tag(xml, 'scope'), category: tag(xml, 'category'), id: tag(xml, 'identifier'), incidents: tag(xml, 'incidents') }).toEqual({
      msgType: ['Alert'],
      scope: ['Private'],
      category: ['Health'],
      id: [`${id}.${v.id}.alert`],
      incidents: [id],
    });
    expect(tag(xml, 'areaDesc')).toEqual(['Within 100 m of this point']);
    expect(tag(xml, 'sent')[0]).toMatch(/-00:00$/);
    expect(xml).not.toMatch(/Goodlett|code 5555|Ada Caller|floor 2/);
    const events = (await t.eventsAfter(before)).filter((e) => (e.data as { volunteerId?: string }).volunteerId === v.id);
    expect(ofType(events, 'VolunteerAlertSent')[0]!.data).toMatchObject({ message: 'alert', channels: ['cap_gateway'], attempt: 2 });
    expect(ofType(events, 'VolunteerAlertDelivered')[0]!.data).toMatchObject({ channel: 'cap_gateway' });
  });

  it('once accepted, the role carries the place; the door code only for a volunteer the scene rule shows it to', async () => {
    const cases = [
      { quals: [['cpr', 'verified']] as const, seesCode: true },
      { quals: [['cpr', 'declared']] as const, seesCode: false },
    ];
    for (const [n, c] of cases.entries()) {
      const at = offset(CITY_HALL, 800 + n * 900, -600);
      const v = await addVolunteer(t, { at, quals: c.quals });
      const id = await postIncident(t, { location: offset(at, 40, 0), nature: 'cardiac_arrest', place: 'public', address: `${n + 10} Grove St`, floor: '3', access: `DOOR-${n}77` });
      await t.settle();
      const alert = await eventually(() => forVolunteer(v.id).find((r) => r.headers['x-samaritan-event'] === 'alert'));
      expect(alert.body.toString('utf8')).not.toContain(`DOOR-${n}77`);
      const res = await t.request('POST', `/api/volunteers/me/alerts/${id}.${v.id}/accept`, undefined, { authorization: `Bearer ${v.token}` });
      expect(res.status, res.text).toBe(200);
      await t.settle();
      const role = await eventually(() => forVolunteer(v.id).find((r) => r.headers['x-samaritan-event'] === 'role'));
      const xml = role.body.toString('utf8');
      checkSigned(role);
      expect(await capErrors(xml)).toEqual({ plain: [], extended: [] });
      expect(tag(xml, 'msgType')).toEqual(['Update']);
      expect(tag(xml, 'references')[0]).toMatch(new RegExp(`,${id}\\.${v.id}\\.alert,\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d-00:00$`));
      expect(tag(xml, 'areaDesc')).toEqual([`${n + 10} Grove St, floor 3`]);
      expect(param(xml, 'samaritan:access')).toEqual(c.seesCode ? [`DOOR-${n}77`] : []);
      expect(xml.includes(`DOOR-${n}77`)).toBe(c.seesCode);
    }
  });

  it('a stand-down is a Cancel; a gateway that refuses (4xx) is not retried', async () => {
    const v = await addVolunteer(t, { at: offset(CITY_HALL, -900, 900) });
    const id = await postIncident(t, { location: offset(CITY_HALL, -900, 940), nature: 'cardiac_arrest', place: 'public' });
    await t.settle();
    await eventually(() => forVolunteer(v.id).find((r) => r.headers['x-samaritan-event'] === 'alert'));
    expect((await t.request('POST', `/api/incidents/${id}/cancel`, {})).status).toBe(200);
    await t.settle();
    const down = await eventually(() => forVolunteer(v.id).find((r) => r.headers['x-samaritan-event'] === 'stand_down'));
    const xml = down.body.toString('utf8');
    expect(await capErrors(xml)).toEqual({ plain: [], extended: [] });
    expect({ msgType: tag(xml, 'msgType'), responseType: tag(xml, 'responseType') }).toEqual({ msgType: ['Cancel'], responseType: ['AllClear'] });

    const w = await addVolunteer(t, { at: offset(CITY_HALL, 1500, 1500) });
    gateway.script.push(400);
    const before = await t.head();
    await postIncident(t, { location: offset(CITY_HALL, 1500, 1540), nature: 'cardiac_arrest', place: 'public' });
    const undelivered = await eventually(async () => {
      await t.settle();
      const e = ofType(await t.eventsAfter(before), 'VolunteerAlertUndelivered').filter((x) => x.data.volunteerId === w.id);
      return e.length > 0 ? e : undefined;
    });
    expect(undelivered[0]!.data).toMatchObject({ attempts: 1, reason: 'cap_gateway: CAP gateway answered 400' });
  });
});
