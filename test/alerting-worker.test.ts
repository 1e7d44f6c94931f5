import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemActor } from '../src/core/actor.ts';
import type { StoredEvent } from '../src/core/events.ts';
import type { StreamState } from '../src/core/loaded.ts';
import type { Channel, ChannelName, Frame, OutboxMessage, SendResult, Target } from '../src/alerting/messages.ts';
import { Receipts } from '../src/alerting/receipts.ts';
import { parseClientFrame, ResponderSockets, type SocketLike } from '../src/alerting/websocket.ts';
import { DeliveryWorker, type GateAnswer } from '../src/alerting/worker.ts';
import { domainProjector } from '../src/log/projector.ts';
import type { OutboxStore } from '../src/store/outbox-store.ts';
import { openSqliteStore } from '../src/store/sqlite/open-sqlite.ts';
import type { Store } from '../src/store/store.ts';
import { ManualClock } from '../src/time/clock.ts';
import { backoffDelay } from '../src/time/retry-backoff.ts';

/**
 * The queue's worker and the socket hub on their own: the SQLite store in a temporary directory,
 * receipts appended to its log with their queue changes, scripted channels, a manual clock.
 */

/** The jitter of the worker's retries, fixed so that the waits are known. */
const JITTER = () => 0.9;

class ScriptedChannel implements Channel {
  readonly sent: { frame: Frame; at: number }[] = [];
  readonly script: SendResult[] = [];
  reach = true;
  constructor(
    readonly name: ChannelName,
    readonly tier: 'app' | 'fallback',
    private readonly clock: ManualClock,
  ) {}
  reaches(_t: Target): boolean {
    return this.reach;
  }
  async send(frame: Frame): Promise<SendResult> {
    this.sent.push({ frame, at: this.clock.now() });
    return this.script.shift() ?? { ok: true, delivered: this.name !== 'websocket' };
  }
}

describe('the delivery worker', () => {
  let clock: ManualClock;
  let dir: string;
  let store: Store<StreamState>;
  let outbox: OutboxStore;
  let events: StoredEvent[];
  let gate: (m: OutboxMessage) => GateAnswer;
  let app: ScriptedChannel;
  let sms: ScriptedChannel;
  let worker: DeliveryWorker;
  const target = (volunteerId: string): Target => ({ volunteerId, credentials: new Set(['dev1']) });
  const message = (seq: number, volunteerId: string, kind: OutboxMessage['kind'] = 'alert') => ({
    seq,
    kind,
    incidentId: 'I1',
    volunteerId,
    alertId: `I1.${volunteerId}`,
    body: { n: seq },
  });

  beforeEach(() => {
    clock = new ManualClock(1_000_000);
    dir = mkdtempSync(join(tmpdir(), 'samaritan-worker-'));
    store = openSqliteStore<StreamState>(dir, domainProjector, () => clock.now());
    outbox = store.outbox;
    events = [];
    // The writer's `record` in small: the receipt events and the queue changes in one append.
    const receipts = new Receipts(outbox, {
      write: async (e, records) => {
        const outcome = await store.events.append({ expected: new Map(), events: e, actor: systemActor('test'), records });
        if (!outcome.ok && outcome.code === 'RecordConflict') return false;
        if (!outcome.ok) throw new Error(`receipt: ${outcome.message}`);
        events.push(...outcome.events);
        return true;
      },
    });
    gate = (m) => ({ deliver: true, target: target(m.volunteerId) });
    app = new ScriptedChannel('web_push', 'app', clock);
    sms = new ScriptedChannel('webhook', 'fallback', clock);
    worker = new DeliveryWorker(outbox, [app, sms], { check: (m) => gate(m) }, receipts, clock, { backoffMs: 1000, maxBackoffMs: 8000, maxAttempts: 4, random: JITTER });
  });
  afterEach(async () => {
    await worker.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends each volunteer’s messages in order, on the app channel, and the fallback only when no app channel took it', async () => {
    await outbox.enqueue([message(1, 'a'), message(2, 'b'), message(3, 'a', 'stand_down')], 3, clock.now());
    await worker.drain();
    expect(app.sent.map((s) => [s.frame.alertId, s.frame.type])).toEqual([
      ['I1.a', 'alert'],
      ['I1.b', 'alert'],
      ['I1.a', 'stand_down'],
    ]);
    expect(sms.sent).toEqual([]);
    app.reach = false;
    await outbox.enqueue([message(4, 'c')], 4, clock.now());
    await worker.drain();
    expect(sms.sent.map((s) => s.frame.alertId)).toEqual(['I1.c']);
    expect(events.filter((e) => e.type === 'VolunteerAlertSent').map((e) => (e.data as { channels: string[] }).channels)).toEqual([
      ['web_push'],
      ['web_push'],
      ['web_push'],
      ['webhook'],
    ]);
    expect(events.every((e) => e.stream === 'delivery-I1')).toBe(true);
  });

  it('retries with exponential backoff, then gives up as undelivered; a message is queued once per event', async () => {
    app.reach = false;
    sms.script.push(...Array.from({ length: 4 }, () => ({ ok: false as const, retry: true, error: 'gateway answered 503' })));
    expect(await outbox.enqueue([message(1, 'a')], 1, clock.now())).toBe(1);
    expect(await outbox.enqueue([message(1, 'a')], 1, clock.now())).toBe(0);
    const started = clock.now();
    for (let i = 0; i < 4; i++) {
      await worker.drain();
      const next = await outbox.nextDueAt();
      if (next !== undefined) clock.advance(next - clock.now());
    }
    const gaps = sms.sent.map((s) => s.at - started);
    expect(gaps[0]).toBe(0);
    // The same waits as all background work: 1, 2, 4 s, each jittered within its upper half.
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]! - gaps[i - 1]!).toBe(backoffDelay(i, { baseMs: 1000, maxMs: 8000, random: JITTER }));
    expect(gaps.slice(1).map((g, i) => g - gaps[i]!)).toEqual([950, 1900, 3800]);
    expect(sms.sent).toHaveLength(4);
    expect(events.map((e) => e.type)).toEqual(['VolunteerAlertUndelivered']);
    expect((await outbox.ofVolunteer('a'))[0]).toMatchObject({ state: 'undelivered', attempts: 4, body: {} });
  });

  it('asks the gate before every attempt: a refusal is recorded once and never sent; a skip leaves no receipt', async () => {
    gate = (m) => (m.volunteerId === 'off' ? { deliver: false, reason: 'off duty', rule: 'volunteer.availability' } : { deliver: false, skip: true, reason: 'nothing to tell' });
    await outbox.enqueue([message(1, 'off'), message(2, 'x', 'expired')], 2, clock.now());
    await worker.drain();
    expect(app.sent).toEqual([]);
    expect(events.map((e) => [e.type, (e.data as { rule?: string }).rule])).toEqual([['VolunteerAlertSuppressed', 'volunteer.availability']]);
    expect((await outbox.ofVolunteer('x'))[0]!.state).toBe('skipped');
  });

  it('pauses and resumes', async () => {
    worker.pause();
    await outbox.enqueue([message(1, 'a')], 1, clock.now());
    worker.kick();
    await worker.drain();
    expect(app.sent).toEqual([]);
    worker.resume();
    await worker.drain();
    expect(app.sent).toHaveLength(1);
  });
});

describe('the responder app’s sockets', () => {
  const fake = () => {
    const s = { readyState: 1, frames: [] as string[], closed: undefined as number | undefined, pings: 0, terminated: false };
    const socket: SocketLike = {
      get readyState() {
        return s.readyState;
      },
      send: (data, cb) => {
        s.frames.push(data);
        cb?.();
      },
      close: (code) => {
        s.closed = code;
        s.readyState = 3;
      },
      ping: () => {
        s.pings++;
      },
      terminate: () => {
        s.terminated = true;
        s.readyState = 3;
      },
    };
    return { s, socket };
  };

  it('sends only to sockets of valid device tokens and closes the others (4401)', async () => {
    const hub = new ResponderSockets(new ManualClock());
    const a = fake();
    const b = fake();
    hub.attach('v1', 'tok-a', a.socket);
    hub.attach('v1', 'tok-b', b.socket);
    const target = { volunteerId: 'v1', credentials: new Set(['tok-a']) };
    const r = await hub.send({ type: 'alert', id: 1, alertId: 'I.v1', incidentId: 'I' }, {} as OutboxMessage, target);
    expect(r).toMatchObject({ ok: true, delivered: false });
    expect(a.s.frames).toHaveLength(1);
    expect(b.s.frames).toEqual([]);
    expect(b.s.closed).toBe(4401);
    expect(hub.reaches({ volunteerId: 'v2', credentials: new Set(['tok-a']) })).toBe(false);
  });

  it('terminates a socket that stops answering pings', () => {
    const clock = new ManualClock();
    const hub = new ResponderSockets(clock);
    const live = fake();
    const dead = fake();
    hub.attach('v1', 't', live.socket);
    hub.attach('v2', 't', dead.socket);
    hub.startHeartbeat(1000);
    clock.advance(999);
    expect([live.s.pings, dead.s.pings]).toEqual([0, 0]);
    clock.advance(1);
    expect([live.s.pings, dead.s.pings]).toEqual([1, 1]);
    hub.heard('v1', live.socket);
    clock.advance(1000);
    expect(live.s.terminated).toBe(false);
    expect(dead.s.terminated).toBe(true);
    expect(hub.connections).toBe(1);
    hub.closeAll();
    expect(clock.pending).toBe(0);
  });

  it('reads only the frames the app may send', () => {
    expect(parseClientFrame(Buffer.from('{"type":"ack","id":7}'))).toEqual({ type: 'ack', id: 7 });
    expect(parseClientFrame('{"type":"seen","alertId":"I.v"}')).toEqual({ type: 'seen', alertId: 'I.v' });
    expect(parseClientFrame('{"type":"ack","id":"7"}')).toBeUndefined();
    expect(parseClientFrame('{"type":"accept","alertId":"I.v"}')).toBeUndefined();
    expect(parseClientFrame('not json')).toBeUndefined();
  });
});
