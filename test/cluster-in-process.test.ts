import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamState } from '../src/core/loaded.ts';
import type { StoredEvent } from '../src/core/events.ts';
import type { SamaritanOptions } from '../src/composition/samaritan.ts';
import { RELAY_EVERY_MS } from '../src/geo/position-relay.ts';
import type { EventStore } from '../src/store/event-store.ts';
import { LocalHub } from '../src/store/local-cluster.ts';
import { openMemoryStore } from '../src/store/memory/open-memory.ts';
import type { Store } from '../src/store/store.ts';
import { ManualClock } from '../src/time/clock.ts';
import { connectApp, startEndpoint, type LocalEndpoint } from './support/channels.ts';
import { addVolunteer, bearer, CITY_HALL, eventually, offset, ofType, postIncident } from './support/responders.ts';
import { startTestServer, type TestServer } from './support/server.ts';

/**
 * Two nodes in one process on ONE store, joined by a LocalHub as PostgreSQL joins processes: each
 * commit is announced to both (as NOTIFY would), and whatever else they share goes through the
 * Cluster port: the leader's work, timer claims, positions and WebSocket frames.
 */
function sharedStore(hub: LocalHub): { factory: NonNullable<SamaritanOptions['store']>; close(): Promise<void> } {
  let base: Store<StreamState> | undefined;
  let shared: Store<StreamState> | undefined;
  const factory: NonNullable<SamaritanOptions['store']> = (projector, clock) => {
    if (shared !== undefined) return shared;
    base = openMemoryStore<StreamState>(projector, clock);
    const log = base.events;
    const events: EventStore<StreamState> = {
      append: async (request) => {
        const outcome = await log.append(request);
        hub.appended(await log.headSeq());
        return outcome;
      },
      readAfter: (after, limit) => log.readAfter(after, limit),
      readIncidentTimeline: (id) => log.readIncidentTimeline(id),
      load: (streams) => log.load(streams),
      list: (kind, statuses, limit) => log.list(kind, statuses, limit),
      idempotency: (key) => log.idempotency(key),
      headSeq: () => log.headSeq(),
      close: async () => {},
    };
    // Each node closes its own view; the store itself is closed once both are gone.
    shared = { ...base, events, close: async () => {} };
    return shared;
  };
  return { factory, close: async () => base?.close() };
}

const SECRET = 'gateway-shared-secret-0123456789';

describe('two nodes on one store', () => {
  const clock = new ManualClock();
  const hub = new LocalHub();
  const store = sharedStore(hub);
  let gateway: LocalEndpoint;
  let leader: TestServer;
  let other: TestServer;
  let both: TestServer[];

  /** The positions held for RELAY_EVERY_MS go out, and every node has indexed what it received. */
  const relayNow = async () => {
    clock.advance(RELAY_EVERY_MS);
    await new Promise((r) => setImmediate(r));
    for (const t of both) await t.app.positionRelay?.idle();
  };
  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      for (const t of both) {
        await t.app.tail.idle();
        await t.app.responders.settle();
      }
    }
  };
  const log = async (): Promise<StoredEvent[]> => {
    const out: StoredEvent[] = [];
    for (;;) {
      const page = await leader.app.store.readAfter(out.at(-1)?.seq ?? 0, 1000);
      if (page.length === 0) return out;
      out.push(...page);
    }
  };
  const smsTo = (volunteerId: string) =>
    gateway.received.map((r) => JSON.parse(r.body.toString('utf8')) as { volunteerId: string; message: { alertId: string } }).filter((m) => m.volunteerId === volunteerId);

  beforeAll(async () => {
    gateway = await startEndpoint(200);
    const node = () =>
      startTestServer({
        clock,
        store: store.factory,
        cluster: hub.join(),
        responders: { webhook: { url: `${gateway.url}/sms`, secret: SECRET }, firstUnitEtaS: async () => 400 },
      });
    // Both at once on an empty store: one seeds the demo city, the other finds it.
    const started = await Promise.all([node(), node()]);
    for (const t of started) await t.app.leader.idle();
    leader = started.find((t) => t.app.cluster.isLeader)!;
    other = started.find((t) => !t.app.cluster.isLeader)!;
    both = [leader, other];
  });
  afterAll(async () => {
    for (const t of both ?? []) await t.close();
    await store.close();
    await gateway?.close();
  });

  it('seeds the demo city once; one node leads and runs the leader’s work, the other does not', async () => {
    expect(both.filter((t) => t.app.demoCityLoaded)).toHaveLength(1);
    const stations = ofType(await log(), 'StationOpened').map((e) => e.data.stationId);
    expect(stations.length).toBeGreaterThan(0);
    expect(new Set(stations).size).toBe(stations.length);
    expect(leader.app.leader.active).toBe(true);
    expect(other.app.leader.active).toBe(false);
  });

  it('an incident received on one node is in the other’s log tail and queries', async () => {
    const id = await postIncident(other, { location: offset(CITY_HALL, 900, 900), nature: 'structure_fire', priority: 2 });
    const seq = await other.app.store.headSeq();
    await eventually(() => (leader.app.tail.position >= seq ? true : undefined), 5000, 'the leader follows the other’s commit');
    const res = await leader.request('GET', `/api/incidents/${id}`);
    expect(res.status, res.text).toBe(200);
    expect(res.body.id).toBe(id);
  });

  it('a unit fix taken by one node is in the other’s live index, with the word that node gives the unit, and its routes show it', async () => {
    const unit = leader.app.fleet.units()[0]!;
    const at = offset(CITY_HALL, -321, 123);
    const res = await leader.request('POST', `/api/units/${unit.id}/position`, at);
    expect(res.status, res.text).toBe(202);
    await relayNow();
    const held = other.app.positions.index.get(unit.id);
    expect(held).toMatchObject({ lat: at.lat, lon: at.lon });
    const u = other.app.fleet.unit(unit.id)!;
    expect(held?.attrs).toBe(other.app.positions.attrs.unit(u.status, u.capabilities));
    // What the other node's routes show and recommend from, not only its index.
    const shown = await other.request('GET', `/api/units/${unit.id}`);
    expect(shown.status, shown.text).toBe(200);
    expect(shown.body.livePosition).toMatchObject({ lat: at.lat, lon: at.lon, stale: false });
  });

  it('a volunteer’s position taken by the other node is in the leader’s index and never in the log; off duty, it leaves both', async () => {
    const v = await addVolunteer(other, { at: offset(CITY_HALL, 123, -77) });
    await relayNow();
    const held = leader.app.positions.index.get(v.id);
    expect(held).toMatchObject({ lat: v.at.lat, lon: v.at.lon });
    expect(held?.attrs).toBe(other.app.positions.index.get(v.id)?.attrs);
    const text = JSON.stringify(await log());
    expect(text).not.toContain(String(v.at.lat));
    expect(text).not.toContain(String(v.at.lon));

    const off = await other.request('PATCH', '/api/volunteers/me', { available: false }, bearer(v.token));
    expect(off.status, off.text).toBe(200);
    await relayNow();
    await leader.app.tail.idle();
    await eventually(() => (leader.app.positions.index.get(v.id) === undefined ? true : undefined), 5000, 'off duty on the leader');
    expect(other.app.positions.index.get(v.id)).toBeUndefined();
  });

  let alerted: { incidentId: string; volunteers: string[] };
  it('only the leader delivers: each volunteer alerted gets one message, whichever node took the incident', async () => {
    const near = offset(CITY_HALL, 2000, -1500);
    const vs = [
      await addVolunteer(other, { at: offset(near, 60, 30) }),
      await addVolunteer(leader, { at: offset(near, -50, 40) }),
      await addVolunteer(other, { at: offset(near, 30, -70) }),
    ];
    await relayNow();
    const incidentId = await postIncident(other, { location: near, nature: 'cardiac_arrest', place: 'public', address: 'near', priority: 1 });
    await eventually(() => (vs.every((v) => smsTo(v.id).length > 0) ? true : undefined), 10_000, 'every volunteer texted');
    await settle();
    const alerts = ofType(await log(), 'VolunteerAlerted').filter((e) => e.data.incidentId === incidentId);
    expect(alerts.map((e) => e.data.volunteerId).sort()).toEqual(vs.map((v) => v.id).sort());
    for (const v of vs) expect(smsTo(v.id).map((m) => m.message.alertId)).toEqual([`${incidentId}.${v.id}`]);
    alerted = { incidentId, volunteers: vs.map((v) => v.id) };
  });

  it('a volunteer whose socket is on the other node gets the alert frame from the leader, and the ack is recorded', async () => {
    const place = offset(CITY_HALL, -2500, 1800);
    const v = await addVolunteer(other, { at: offset(place, 40, 40) });
    await relayNow();
    const phone = await connectApp(other.base, v.token);
    try {
      await eventually(() => (leader.app.responders.relay?.remoteVolunteers().includes(v.id) ? true : undefined), 5000, 'the leader hears of the socket');
      expect(leader.app.responders.sockets.connections).toBe(0);
      const incidentId = await postIncident(leader, { location: place, nature: 'cardiac_arrest', place: 'public', address: 'far', priority: 1 });
      const frame = await phone.next((f) => f['type'] === 'alert' && f['incidentId'] === incidentId, 10_000);
      expect(frame['alertId']).toBe(`${incidentId}.${v.id}`);
      phone.send({ type: 'ack', id: frame['id'] });
      await eventually(
        async () => ((await log()).some((e) => e.type === 'VolunteerAlertDelivered' && e.data.alertId === frame['alertId'] && e.data.channel === 'websocket') ? true : undefined),
        5000,
        'the delivered receipt',
      );
      await settle();
      expect(smsTo(v.id)).toEqual([]);
    } finally {
      phone.close();
      await phone.closed;
    }
  });

  it('a due expiry is armed on both nodes and fires once', async () => {
    const { incidentId, volunteers } = alerted;
    for (const t of both) expect(t.app.responders.timers.armed()).toHaveProperty(incidentId);
    // Past every alert's expiry (2 min) and the later waves, a few seconds at a time.
    for (let i = 0; i < 40; i++) {
      clock.advance(5_000);
      await settle();
    }
    const events = await log();
    const everyAlert = ofType(events, 'VolunteerAlerted').filter((e) => e.data.incidentId === incidentId).map((e) => e.data.alertId);
    expect(everyAlert).toEqual(expect.arrayContaining(volunteers.map((v) => `${incidentId}.${v}`)));
    const expired = ofType(events, 'VolunteerAlertExpired').filter((e) => e.data.incidentId === incidentId).map((e) => e.data.alertId);
    expect(expired.sort()).toEqual(everyAlert.sort());
    const waves = ofType(events, 'VolunteerWaveSent').filter((e) => e.data.incidentId === incidentId).map((e) => e.data.wave);
    expect(new Set(waves).size).toBe(waves.length);
  });

  it('when the leader closes, the other node takes over its work', async () => {
    const was = leader;
    await was.close();
    both = [other];
    await other.app.leader.idle();
    expect(other.app.cluster.isLeader).toBe(true);
    expect(other.app.leader.active).toBe(true);
    const place = offset(CITY_HALL, 1500, 2500);
    const v = await addVolunteer(other, { at: offset(place, 30, 30) });
    const incidentId = await postIncident(other, { location: place, nature: 'cardiac_arrest', place: 'public', address: 'east', priority: 1 });
    await eventually(() => (smsTo(v.id).length > 0 ? true : undefined), 10_000, 'the new leader delivers');
    await settle();
    expect(smsTo(v.id).map((m) => m.message.alertId)).toEqual([`${incidentId}.${v.id}`]);
  });
});
