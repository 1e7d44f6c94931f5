import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { systemActor } from '../src/core/actor.ts';
import { ManualClock } from '../src/time/clock.ts';
import { utcOffsetMinAt } from '../src/time/time-zone.ts';
import { connectApp, pushClient, startEndpoint, type AppSocket, type LocalEndpoint } from './support/channels.ts';
import { addVolunteer, bearer, CITY_HALL, offset, ofType, postIncident, startResponderServer, type ResponderServer, type TestVolunteer } from './support/responders.ts';

/**
 * Suppression, end to end: volunteers who are off duty, logged out or deleted never receive an
 * alert, on any channel, even when they were alerted while still on duty and changed before the
 * queue got to them (the worker is paused in between), or between two attempts of a retry.
 */
describe('off-duty, logged-out and deleted volunteers never receive an alert', () => {
  const clock = new ManualClock();
  let t: ResponderServer;
  let pushService: LocalEndpoint;
  let gateway: LocalEndpoint;
  beforeAll(async () => {
    pushService = await startEndpoint(201);
    gateway = await startEndpoint(200);
    t = await startResponderServer({
      clock,
      responders: {
        paused: true,
        firstUnitEtaS: async () => 400,
        webhook: { url: `${gateway.url}/sms`, secret: 'suppression-test-secret-0123' },
        pushServices: { hosts: ['127.0.0.1'], allowHttp: true, allowLoopback: true },
        worker: { backoffMs: 1000 },
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await pushService?.close();
    await gateway?.close();
  });

  /**
   * Resolves once every frame the server wrote to this socket before now has arrived: the answer
   * to a ping, or the close (a socket the queue closed as signed out answers no ping).
   */
  async function flushed(app: AppSocket): Promise<void> {
    if (app.socket.readyState !== WebSocket.OPEN) return void (await app.closed);
    const before = app.frames.filter((f) => f['type'] === 'pong').length;
    let pongs = 0;
    const pong = app.next((f) => f['type'] === 'pong' && ++pongs > before);
    pong.catch(() => {}); // the close may come instead
    app.send({ type: 'ping' });
    await Promise.race([pong, app.closed]);
  }

  /** A volunteer with the app connected and a push subscription: every channel could reach them. */
  async function reachable(n: number): Promise<{ v: TestVolunteer; app: AppSocket }> {
    const v = await addVolunteer(t, { at: offset(CITY_HALL, 40 + n * 40, 50) });
    const app = await connectApp(t.base, v.token);
    const res = await t.request('POST', '/api/volunteers/me/push-subscription', { endpoint: `${pushService.url}/push/${v.id}`, keys: pushClient().keys }, bearer(v.token));
    expect(res.status).toBe(201);
    return { v, app };
  }

  it('checks each alert again right before sending: only the volunteer who is still on duty and signed in gets it', async () => {
    const ok = await reachable(0);
    const off = await reachable(1);
    const out = await reachable(2);
    const gone = await reachable(3);
    const quiet = await reachable(4);
    const before = await t.head();
    const id = await postIncident(t, { location: CITY_HALL, nature: 'cardiac_arrest', place: 'public' });
    await t.settle();
    const alerted = ofType(await t.eventsAfter(before), 'VolunteerAlerted').map((e) => e.data.volunteerId);
    expect(new Set(alerted)).toEqual(new Set([ok, off, out, gone, quiet].map((x) => x.v.id)));
    expect(pushService.received).toEqual([]); // decided, not sent: the queue is paused

    // Between the decision and the delivery:
    const meta = { actor: systemActor('test') };
    expect((await t.app.volunteers.update(off.v.id, { available: false }, meta)).ok).toBe(true); // goes off duty
    const token = (await t.app.accounts.tokens('device')).find((x) => x.subject === out.v.id)!;
    await t.app.accounts.revokeToken(token.id, 'test'); // signs out
    expect((await t.app.volunteers.erase(gone.v.id, 'self', meta)).ok).toBe(true); // deletes the account
    const local = new Date(clock.now() + utcOffsetMinAt('America/Los_Angeles', clock.now()) * 60_000);
    const hhmm = (d: Date) => `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
    const quietHours = { from: hhmm(new Date(local.getTime() - 3600_000)), to: hhmm(new Date(local.getTime() + 3600_000)) };
    expect((await t.app.volunteers.update(quiet.v.id, { quietHours }, meta)).ok).toBe(true); // enters quiet hours, still on duty

    t.app.responders.worker.resume();
    await ok.app.next((f) => f['type'] === 'alert' && f['alertId'] === `${id}.${ok.v.id}`);
    // The queue has nothing in flight: every frame it wrote is on its way. A round trip on each
    // socket (or its close) comes after anything written to it before, so none is still to come.
    await t.settle();
    await Promise.all([ok, off, out, gone, quiet].map((x) => flushed(x.app)));

    for (const x of [off, out, gone, quiet]) {
      expect(x.app.frames.filter((f) => f['type'] !== 'ready' && f['type'] !== 'pong'), x.v.id).toEqual([]);
      expect(pushService.received.filter((r) => r.path === `/push/${x.v.id}`)).toEqual([]);
    }
    expect(pushService.received.map((r) => r.path)).toEqual([`/push/${ok.v.id}`]);
    expect(gateway.received).toEqual([]);
    const events = await t.eventsAfter(before);
    expect(ofType(events, 'VolunteerAlertSent').map((e) => e.data.volunteerId)).toEqual([ok.v.id]);
    const suppressed = new Map(ofType(events, 'VolunteerAlertSuppressed').map((e) => [e.data.volunteerId, e.data]));
    expect(suppressed.get(off.v.id)).toMatchObject({ message: 'alert', reason: 'the alert is stood down' });
    expect(suppressed.get(out.v.id)).toMatchObject({ message: 'alert', rule: 'delivery.logged_out' });
    expect(suppressed.get(gone.v.id)).toMatchObject({ message: 'alert', rule: 'volunteer.deleted' });
    expect(suppressed.get(quiet.v.id)).toMatchObject({ message: 'alert', rule: 'volunteer.quiet_hours' });
    // Off duty and deletion withdrew the alerts; nobody is told about what they did themselves.
    const withdrawn = ofType(events, 'VolunteerStoodDown').filter((e) => e.data.reason === 'volunteer_withdrew');
    expect(withdrawn.map((e) => e.data.volunteerId).sort()).toEqual([off.v.id, gone.v.id].sort());
    expect((await t.app.responders.outbox.ofVolunteer(off.v.id)).map((m) => [m.kind, m.state])).toEqual([['alert', 'suppressed']]);
    for (const x of [ok, off, out, gone, quiet]) x.app.close();
  });

  it('checks again before each retry: a volunteer who went off duty after a failed attempt is not retried', async () => {
    const v = await addVolunteer(t, { at: offset(CITY_HALL, -600, 700) }); // no app, no push: the gateway only
    gateway.script.push(503);
    const before = await t.head();
    await postIncident(t, { location: offset(CITY_HALL, -600, 740), nature: 'cardiac_arrest', place: 'public' });
    await t.settle();
    expect(gateway.received).toHaveLength(1);
    expect((await t.app.volunteers.update(v.id, { available: false }, { actor: systemActor('test') })).ok).toBe(true);
    clock.advance(5000);
    await t.app.responders.worker.drain();
    expect(gateway.received).toHaveLength(1);
    const events = (await t.eventsAfter(before)).filter((e) => (e.data as { volunteerId?: string }).volunteerId === v.id);
    expect(ofType(events, 'VolunteerAlertSent')).toEqual([]);
    expect(ofType(events, 'VolunteerAlertSuppressed')[0]!.data).toMatchObject({ attempt: 2, reason: 'the alert is stood down' });
  });

  it('alerts nobody who is off duty, signed out or deleted when the incident comes in', async () => {
    const scene = offset(CITY_HALL, 800, -800);
    const off = await addVolunteer(t, { at: offset(scene, 50, 0) });
    const out = await addVolunteer(t, { at: offset(scene, 90, 0) });
    const gone = await addVolunteer(t, { at: offset(scene, 130, 0) });
    await t.app.volunteers.update(off.id, { available: false }, { actor: systemActor('test') });
    await t.app.accounts.revokeToken((await t.app.accounts.tokens('device')).find((x) => x.subject === out.id)!.id, 'test');
    await t.app.volunteers.erase(gone.id, 'self', { actor: systemActor('test') });
    const before = await t.head();
    await postIncident(t, { location: scene, nature: 'cardiac_arrest', place: 'public' });
    await t.settle();
    const events = await t.eventsAfter(before);
    const alerted = ofType(events, 'VolunteerAlerted').map((e) => e.data.volunteerId);
    expect(alerted).not.toContain(off.id);
    expect(alerted).not.toContain(gone.id);
    // Signing out is not the policy's business: the alert is decided, but the queue never sends it.
    expect(ofType(events, 'VolunteerAlertSent').map((e) => e.data.volunteerId)).not.toContain(out.id);
    if (alerted.includes(out.id)) {
      expect(ofType(events, 'VolunteerAlertSuppressed').find((e) => e.data.volunteerId === out.id)?.data.rule).toBe('delivery.logged_out');
    }
  });
});
