import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryAedDirectory } from '../src/volunteers/aed-directory.ts';
import { ManualClock } from '../src/time/clock.ts';
import { connectApp } from './support/channels.ts';
import { addVolunteer, bearer, CITY_HALL, eventually, offset, ofType, postIncident, startResponderServer, type ResponderServer } from './support/responders.ts';
import WebSocket from 'ws';
import { systemActor } from '../src/core/actor.ts';
import { responseStream } from '../src/core/streams.ts';

/** The WebSocket channel with a real `ws` client, as the responder app connects. */
describe('alerts over the responder app’s WebSocket', () => {
  const clock = new ManualClock();
  let t: ResponderServer;
  beforeAll(async () => {
    t = await startResponderServer({
      clock,
      responders: {
        webhook: null,
        firstUnitEtaS: async () => 400,
        aeds: new InMemoryAedDirectory([
          {
            id: 'aed-1',
            location: offset(CITY_HALL, 80, -60),
            placeName: 'City Hall rotunda',
            openingHours: { utcOffsetMin: -420, always: true, weekly: {} },
            status: 'in_service',
          },
        ]),
      },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses a socket without a valid device token, and answers a plain GET with 426', async () => {
    const refused = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const s = new WebSocket(`${t.base.replace('http', 'ws')}/api/volunteers/me/stream`, { headers });
        s.once('unexpected-response', (req, res) => {
          req.destroy();
          resolve(res.statusCode ?? 0);
        });
        s.once('open', () => reject(new Error('opened')));
        s.once('error', () => undefined);
      });
    expect(await refused({})).toBe(401);
    expect(await refused({ authorization: `Bearer ${t.dispatcherToken}` })).toBe(403);
    const v = await addVolunteer(t, { at: offset(CITY_HALL, 500, 500), available: false });
    const plain = await t.request('GET', '/api/volunteers/me/stream', undefined, bearer(v.token));
    expect(plain.status).toBe(426);
    expect(plain.body.error.code).toBe('UpgradeRequired');
  });

  it('sends the alert, the role with its route and the stand-down as frames; acks and seen become receipts', async () => {
    const a = await addVolunteer(t, { at: offset(CITY_HALL, 50, 40), quals: [['first_aid', 'declared']] });
    const b = await addVolunteer(t, { at: offset(CITY_HALL, 120, 40) });
    const appA = await connectApp(t.base, a.token);
    const appB = await connectApp(t.base, b.token);
    const before = await t.head();
    const id = await postIncident(t, { location: CITY_HALL, nature: 'cardiac_arrest', place: 'public', floor: '4', access: 'code 1234', callerName: 'Ann Caller' });

    // Before accepting: the nature, the walk and the area to about 100 m; not the place, floor or door code.
    const alert = await appA.next((f) => f['type'] === 'alert');
    expect(alert).toMatchObject({
      type: 'alert',
      alertId: `${id}.${a.id}`,
      incidentId: id,
      nature: 'cardiac_arrest',
      place: 'public',
      area: { withinM: 100 },
      wave: 1,
      policyRule: 'nature.cardiac_arrest+place.public',
    });
    for (const field of ['location', 'address', 'floor', 'access']) expect(alert).not.toHaveProperty(field);
    expect(typeof alert['etaS']).toBe('number');
    expect(JSON.stringify(appA.frames)).not.toMatch(/Ann Caller|code 1234/);
    await appB.next((f) => f['type'] === 'alert' && f['alertId'] === `${id}.${b.id}`);
    expect(appA.frames.filter((f) => f['type'] === 'alert').map((f) => f['alertId'])).toEqual([`${id}.${a.id}`]);

    appA.send({ type: 'ack', id: alert['id'] });
    appA.send({ type: 'seen', alertId: alert['alertId'] });
    const receipts = await eventually(async () => {
      const events = await t.eventsAfter(before);
      const mine = events.filter((e) => (e.data as { alertId?: string }).alertId === `${id}.${a.id}`);
      return ofType(mine, 'VolunteerAlertDelivered').length > 0 && ofType(mine, 'VolunteerAlertSeen').length > 0 ? mine : undefined;
    });
    expect(ofType(receipts, 'VolunteerAlertSent')[0]!.data).toMatchObject({ message: 'alert', channels: ['websocket'] });
    expect(ofType(receipts, 'VolunteerAlertDelivered')[0]!.data).toMatchObject({ message: 'alert', channel: 'websocket' });
    expect(ofType(receipts, 'VolunteerAlertSeen')[0]!.data).toMatchObject({ via: 'websocket' });
    appA.send({ type: 'ack', id: alert['id'] });
    await t.settle();
    expect(ofType(await t.eventsAfter(before), 'VolunteerAlertDelivered').filter((e) => e.data.volunteerId === a.id)).toHaveLength(1);

    // A accepts over HTTP: not CPR-qualified, so they fetch the AED; the role frame carries the route,
    // the place and the floor, but not the door code: A's first aid is self-declared.
    expect((await t.request('POST', `/api/volunteers/me/alerts/${id}.${a.id}/accept`, undefined, bearer(a.token))).status).toBe(200);
    const role = await appA.next((f) => f['type'] === 'role');
    expect(role).toMatchObject({ role: 'fetch_aed', aed: { aedId: 'aed-1' }, location: CITY_HALL, floor: '4' });
    expect(role).not.toHaveProperty('access');
    expect(JSON.stringify(appA.frames)).not.toMatch(/code 1234/);
    const legs = role['route'] as { to: string; geometry: { coordinates: unknown[] } }[];
    expect(legs.map((l) => l.to)).toEqual(['aed', 'scene']);
    expect(legs[0]!.geometry.coordinates.length).toBeGreaterThan(1);

    // B's CPR is verified: their role frame carries the door code.
    expect((await t.request('POST', `/api/volunteers/me/alerts/${id}.${b.id}/accept`, undefined, bearer(b.token))).status).toBe(200);
    expect(await appB.next((f) => f['type'] === 'role')).toMatchObject({ role: 'cpr', location: CITY_HALL, floor: '4', access: 'code 1234' });

    // The incident is cancelled: both are told to stand down.
    await t.request('POST', `/api/incidents/${id}/cancel`, {});
    expect(await appA.next((f) => f['type'] === 'stand_down')).toMatchObject({ reason: 'incident_cancelled', wasAccepted: true });
    expect(await appB.next((f) => f['type'] === 'stand_down')).toMatchObject({ reason: 'incident_cancelled', wasAccepted: true });
    expect(JSON.stringify([...appA.frames, ...appB.frames])).not.toMatch(/Ann Caller/);
    appA.close();
    appB.close();
  });

  it('a role event written by an older version, carrying the door code for a self-declared volunteer, becomes a role frame without it', async () => {
    const c = await addVolunteer(t, { at: offset(CITY_HALL, 700, 60), quals: [['first_aid', 'declared']] });
    const appC = await connectApp(t.base, c.token);
    const id = await postIncident(t, { location: offset(CITY_HALL, 700, 0), nature: 'cardiac_arrest', place: 'public', floor: '2', access: 'code 9876' });
    const alertId = `${id}.${c.id}`;
    await appC.next((f) => f['type'] === 'alert' && f['alertId'] === alertId);
    expect((await t.request('POST', `/api/volunteers/me/alerts/${alertId}/accept`, undefined, bearer(c.token))).status).toBe(200);
    await appC.next((f) => f['type'] === 'role' && f['alertId'] === alertId);

    // Older versions put the access notes on every role event; the API would not show them to C.
    const written = await t.app.writer.record(
      [
        {
          stream: responseStream(id),
          at: new Date(clock.now()).toISOString(),
          type: 'VolunteerRoleAssigned',
          data: { incidentId: id, volunteerId: c.id, alertId, role: 'meet_crew', fills: 'meet_crew', reason: 'older event', floor: '2', access: 'code 9876' },
        },
      ],
      { actor: systemActor('test') },
    );
    expect(written.ok).toBe(true);
    const old = await appC.next((f) => f['type'] === 'role' && f['reason'] === 'older event');
    expect(old).toMatchObject({ role: 'meet_crew', floor: '2', location: offset(CITY_HALL, 700, 0) });
    expect(old).not.toHaveProperty('access');
    expect(JSON.stringify(appC.frames)).not.toMatch(/code 9876/);
    // The same answer as the API's.
    const view = await t.request('GET', '/api/volunteers/me/alerts', undefined, bearer(c.token));
    expect(view.status).toBe(200);
    expect(JSON.stringify(view.body)).toContain(alertId);
    expect(JSON.stringify(view.body)).not.toMatch(/code 9876/);
    appC.close();
  });

  it('closes a socket whose device token was revoked instead of sending to it', async () => {
    const v = await addVolunteer(t, { at: offset(CITY_HALL, -300, -300) });
    const app = await connectApp(t.base, v.token);
    const tokenId = (await t.app.accounts.tokens('device')).find((x) => x.subject === v.id)!.id;
    await t.app.accounts.revokeToken(tokenId, 'test');
    const before = await t.head();
    await postIncident(t, { location: offset(CITY_HALL, -300, -250), nature: 'cardiac_arrest', place: 'public' });
    await t.settle();
    expect(await app.closed).toBe(4401);
    expect(app.frames.filter((f) => f['type'] === 'alert')).toEqual([]);
    const suppressed = ofType(await t.eventsAfter(before), 'VolunteerAlertSuppressed').filter((e) => e.data.volunteerId === v.id);
    expect(suppressed[0]!.data).toMatchObject({ rule: 'delivery.logged_out' });
  });
});
