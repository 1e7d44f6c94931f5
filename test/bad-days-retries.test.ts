import { afterEach, describe, expect, it } from 'vitest';
import type { StreamState } from '../src/core/loaded.ts';
import { seededRandom } from '../src/core/seeded-random.ts';
import type { AppendRequest, Projector } from '../src/store/event-store.ts';
import { openMemoryStore } from '../src/store/memory/open-memory.ts';
import type { OutboxStore } from '../src/store/outbox-store.ts';
import { StorageUnavailable } from '../src/store/storage-unavailable.ts';
import type { Store } from '../src/store/store.ts';
import { ManualClock } from '../src/time/clock.ts';
import { addVolunteer, CITY_HALL, offset, ofType, postIncident, startResponderServer, type ResponderServer } from './support/responders.ts';

/**
 * A disk that refuses writes for a while, under the timers, the delivery queue and the response
 * engine. Time is a manual clock moved a second at a time for ten minutes: a retry loop without
 * backoff makes hundreds of attempts in that span (one or more each second), backoff a few dozen.
 */

const OUTBOX_WRITES = new Set(['enqueue', 'finish', 'retry', 'hurry', 'purgeAlertPositions']);
const TEN_MINUTES_S = 600;
/** Backoff from 0.5 s doubling to 30 s, the waits jittered down to half: at most this many attempts in ten minutes. */
const MOST_ATTEMPTS = 50;

/** The memory store, whose writes fail with StorageUnavailable while `refuses` says so, noting who was refused when. */
function flakyStore(clock: ManualClock) {
  const s = {
    refuses: (_who: string): boolean => false,
    refused: [] as { readonly who: string; readonly at: number }[],
  };
  const refuse = (who: string) => {
    s.refused.push({ who, at: clock.now() });
    return Promise.reject(new StorageUnavailable('the disk is full (a test)', 'full'));
  };
  const open = (projector: Projector<StreamState>, clock: () => number): Store<StreamState> => {
    const store = openMemoryStore(projector, clock);
    const events = new Proxy(store.events, {
      get(t, key) {
        const value: unknown = Reflect.get(t, key, t);
        if (key !== 'append' || typeof value !== 'function') return typeof value === 'function' ? value.bind(t) : value;
        return (r: AppendRequest) => (s.refuses(r.actor.id) ? refuse(r.actor.id) : t.append(r));
      },
    });
    const outbox = new Proxy(store.outbox, {
      get(t, key) {
        const value: unknown = Reflect.get(t, key, t);
        if (typeof value !== 'function') return value;
        const fn = value as (...a: unknown[]) => unknown;
        if (!OUTBOX_WRITES.has(String(key))) return fn.bind(t);
        return (...args: unknown[]) => (s.refuses('outbox') ? refuse('outbox') : fn.apply(t, args));
      },
    }) as OutboxStore;
    return { ...store, events, outbox, writable: () => Promise.resolve(!s.refuses('probe')) };
  };
  return { s, open };
}

/** The instants at which `who` tried a write (the queue tries one per volunteer at each of them). */
const attemptsOf = (refused: readonly { who: string; at: number }[], who: string) => new Set(refused.filter((r) => r.who === who).map((r) => r.at)).size;

describe('background work on a disk that refuses writes for a while', () => {
  let t: ResponderServer | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  const start = async (clock: ManualClock, flaky: ReturnType<typeof flakyStore>, lines: string[]) => {
    t = await startResponderServer({
      clock,
      store: flaky.open,
      responders: { firstUnitEtaS: async () => 600, webhook: null, random: seededRandom(7), log: (line) => lines.push(line) },
    });
    return t;
  };
  /** Lets what the clock woke run to its end, without starting anything the product did not. */
  const quiet = async (server: ResponderServer) => {
    for (let i = 0; i < 3; i++) {
      await server.app.responders.timers.idle();
      await server.app.responders.engine.idle();
      await server.app.responders.worker.idle();
      await new Promise((r) => setImmediate(r));
    }
  };
  const seconds = async (server: ResponderServer, clock: ManualClock, n: number) => {
    for (let i = 0; i < n; i++) {
      clock.advance(1000);
      await quiet(server);
    }
  };

  it('timers and the delivery queue retry with backoff, log once when they fail and once when they work again, and fire what fell due', async () => {
    const clock = new ManualClock();
    const flaky = flakyStore(clock);
    const lines: string[] = [];
    const server = await start(clock, flaky, lines);
    for (let i = 0; i < 9; i++) await addVolunteer(server, { at: offset(CITY_HALL, 40 + i * 30, -40) });
    const before = await server.head();
    const id = await postIncident(server, { location: CITY_HALL, nature: 'cardiac_arrest', place: 'public' });
    await server.settle();
    const alerted = ofType(await server.eventsAfter(before), 'VolunteerAlerted');
    expect(alerted).toHaveLength(5);

    flaky.s.refuses = () => true; // wave 2 falls due at 30 s, the alerts expire at 120 s
    await seconds(server, clock, TEN_MINUTES_S);
    const timerAttempts = attemptsOf(flaky.s.refused, 'timer');
    const queueAttempts = attemptsOf(flaky.s.refused, 'outbox');
    expect(timerAttempts).toBeGreaterThan(1);
    expect(timerAttempts).toBeLessThanOrEqual(MOST_ATTEMPTS);
    expect(queueAttempts).toBeGreaterThan(1);
    expect(queueAttempts).toBeLessThanOrEqual(MOST_ATTEMPTS);
    expect(lines.filter((l) => l.startsWith('volunteer timers failing'))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('alert delivery failing'))).toHaveLength(1);
    expect(lines.find((l) => l.startsWith('volunteer timers failing'))).toContain('the disk is full');
    expect(lines.some((l) => l.includes('working again'))).toBe(false);
    expect(ofType(await server.eventsAfter(before), 'VolunteerWaveSent').map((w) => w.data.wave)).toEqual([1]);

    flaky.s.refuses = () => false;
    await seconds(server, clock, 60);
    const events = await server.eventsAfter(before);
    expect(ofType(events, 'VolunteerWaveSent').map((w) => w.data.wave)).toEqual([1, 2]);
    const expired = ofType(events, 'VolunteerAlertExpired');
    expect(expired.map((e) => e.data.alertId).sort()).toEqual(alerted.map((a) => a.data.alertId).sort());
    expect(expired.every((e) => e.data.incidentId === id)).toBe(true);
    expect(lines.filter((l) => l.startsWith('volunteer timers working again'))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('alert delivery working again'))).toHaveLength(1);
    expect(lines.filter((l) => l.includes('failing'))).toHaveLength(2);
  });

  it('the hourly sweep of alert positions on a refusing disk is a failing line and a working-again line, not a fault each hour', async () => {
    const clock = new ManualClock();
    const flaky = flakyStore(clock);
    const lines: string[] = [];
    const faults: string[] = [];
    t = await startResponderServer({
      clock,
      store: flaky.open,
      responders: { firstUnitEtaS: async () => 600, webhook: null, random: seededRandom(7), log: (line) => lines.push(line), onError: (what) => faults.push(what) },
    });
    const server = t;
    flaky.s.refuses = (who) => who === 'outbox';
    for (let hour = 0; hour < 3; hour++) {
      clock.advance(60 * 60_000);
      await quiet(server);
    }
    expect(attemptsOf(flaky.s.refused, 'outbox')).toBe(3);
    expect(faults).toEqual([]);
    expect(lines.filter((l) => l.startsWith('volunteer timers failing'))).toHaveLength(1);
    flaky.s.refuses = () => false;
    clock.advance(60 * 60_000);
    await quiet(server);
    expect(lines.filter((l) => l.startsWith('volunteer timers working again'))).toHaveLength(1);
  });

  it('a reaction of the response engine that fails for a reason other than the disk (a fault) is not retried: it goes to onError once', async () => {
    const clock = new ManualClock();
    const lines: string[] = [];
    const faults: { what: string; e: unknown }[] = [];
    let asked = 0;
    t = await startResponderServer({
      clock,
      responders: {
        firstUnitEtaS: async () => {
          asked++;
          throw new TypeError('a fault in the code');
        },
        webhook: null,
        random: seededRandom(7),
        log: (line) => lines.push(line),
        onError: (what, e) => faults.push({ what, e }),
      },
    });
    const server = t;
    await addVolunteer(server, { at: offset(CITY_HALL, 40, -40) });
    await postIncident(server, { location: CITY_HALL, nature: 'cardiac_arrest', place: 'public' });
    await quiet(server);
    await seconds(server, clock, 120);
    expect(asked).toBe(1);
    expect(faults).toHaveLength(1);
    expect(faults[0]!.what).toBe('volunteer response');
    expect(faults[0]!.e).toBeInstanceOf(TypeError);
    expect(lines.filter((l) => l.startsWith('volunteer response failing'))).toHaveLength(0);
  });

  it('the response engine retries a start the disk refused with backoff, logs once each way, and starts the response when the disk recovers', async () => {
    const clock = new ManualClock();
    const flaky = flakyStore(clock);
    const lines: string[] = [];
    const server = await start(clock, flaky, lines);
    for (let i = 0; i < 3; i++) await addVolunteer(server, { at: offset(CITY_HALL, 40 + i * 30, -40) });
    const before = await server.head();
    flaky.s.refuses = (who) => who === 'response-engine';
    await postIncident(server, { location: CITY_HALL, nature: 'cardiac_arrest', place: 'public' });
    await quiet(server);
    await seconds(server, clock, TEN_MINUTES_S);
    const attempts = attemptsOf(flaky.s.refused, 'response-engine');
    expect(attempts).toBeGreaterThan(1);
    expect(attempts).toBeLessThanOrEqual(MOST_ATTEMPTS);
    expect(ofType(await server.eventsAfter(before), 'VolunteerResponseStarted')).toHaveLength(0);
    expect(lines.filter((l) => l.startsWith('volunteer response failing'))).toHaveLength(1);

    flaky.s.refuses = () => false;
    await seconds(server, clock, 30);
    expect(ofType(await server.eventsAfter(before), 'VolunteerResponseStarted')).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('volunteer response working again'))).toHaveLength(1);
  });
});
