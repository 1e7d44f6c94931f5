import { describe, expect, it } from 'vitest';
import { BROADCAST_MAX_BYTES } from './cluster.ts';
import { LocalCluster, LocalHub } from './local-cluster.ts';

/** Records what a node's leadership handlers were told, in order. */
function leadership(events: string[], name: string): { onGained(): void; onLost(): void } {
  return { onGained: () => events.push(`${name} gained`), onLost: () => events.push(`${name} lost`) };
}

function nextMessage(node: LocalCluster, topic: string): Promise<{ payload: unknown; from: string }> {
  return new Promise((resolve) => {
    const off = node.onMessage(topic, (payload, from) => {
      off();
      resolve({ payload, from });
    });
  });
}

describe('LocalCluster alone', () => {
  it('leads as soon as it campaigns, and runs every claim', async () => {
    const node = new LocalCluster();
    const events: string[] = [];
    node.lead(leadership(events, 'a'));
    expect(node.isLeader).toBe(true);
    expect(await node.claim('timer:1', () => Promise.resolve(7))).toEqual({ claimed: true, value: 7 });
    await node.close();
    expect(events).toEqual(['a gained', 'a lost']);
  });
});

describe('LocalHub', () => {
  it('delivers a broadcast to the other nodes, as a copy, and not to the sender', async () => {
    const hub = new LocalHub();
    const [a, b, c] = [hub.join(), hub.join(), hub.join()];
    const heardByA: unknown[] = [];
    a.onMessage('positions', (p) => heardByA.push(p));
    const sent = { unit: 'E1', lat: 37.77 };
    const atB = nextMessage(b, 'positions');
    const atC = nextMessage(c, 'positions');
    a.broadcast('positions', sent);
    const [gotB, gotC] = await Promise.all([atB, atC]);
    expect(gotB).toEqual({ payload: sent, from: a.nodeId });
    expect(gotC.payload).toEqual(sent);
    expect(gotB.payload).not.toBe(sent);
    await new Promise((r) => setImmediate(r));
    expect(heardByA).toEqual([]);
  });

  it('keeps the order of one sender’s broadcasts', async () => {
    const hub = new LocalHub();
    const [a, b] = [hub.join(), hub.join()];
    const heard: unknown[] = [];
    b.onMessage('frames', (p) => heard.push(p));
    for (let i = 0; i < 20; i++) a.broadcast('frames', i);
    await new Promise((r) => setImmediate(r));
    expect(heard).toEqual([...Array(20).keys()]);
  });

  it('refuses a broadcast over BROADCAST_MAX_BYTES', () => {
    const a = new LocalHub().join();
    expect(() => a.broadcast('big', 'x'.repeat(BROADCAST_MAX_BYTES))).toThrow(/bytes/);
  });

  it('has one leader; a node campaigning later does not take over, and takes over when the leader closes', async () => {
    const hub = new LocalHub();
    const [a, b] = [hub.join(), hub.join()];
    const events: string[] = [];
    b.lead(leadership(events, 'b'));
    a.lead(leadership(events, 'a'));
    expect([a.isLeader, b.isLeader]).toEqual([false, true]);
    await b.close();
    expect([a.isLeader, b.isLeader]).toEqual([true, false]);
    expect(events).toEqual(['b gained', 'b lost', 'a gained']);
  });

  it('lets one node hold a claim at a time', async () => {
    const hub = new LocalHub();
    const [a, b] = [hub.join(), hub.join()];
    let release!: () => void;
    const held = a.claim('timer:1', () => new Promise<string>((r) => (release = () => r('fired'))));
    expect(await b.claim('timer:1', () => Promise.resolve('twice'))).toEqual({ claimed: false });
    expect(await b.claim('timer:2', () => Promise.resolve('other'))).toEqual({ claimed: true, value: 'other' });
    release();
    expect(await held).toEqual({ claimed: true, value: 'fired' });
    expect(await b.claim('timer:1', () => Promise.resolve('later'))).toEqual({ claimed: true, value: 'later' });
  });

  it('frees a claim when its fn throws, and passes the error on', async () => {
    const a = new LocalHub().join();
    await expect(a.claim('k', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await a.claim('k', () => Promise.resolve(1))).toEqual({ claimed: true, value: 1 });
  });

  it('runs exclusives of one name one after the other', async () => {
    const hub = new LocalHub();
    const [a, b] = [hub.join(), hub.join()];
    const trace: string[] = [];
    const run = (name: string) => async () => {
      trace.push(`${name} in`);
      await new Promise((r) => setTimeout(r, 5));
      trace.push(`${name} out`);
      return name;
    };
    const results = await Promise.all([a.exclusive('start', run('a')), b.exclusive('start', run('b'))]);
    expect(results).toEqual(['a', 'b']);
    expect(trace).toEqual(['a in', 'a out', 'b in', 'b out']);
  });

  it('tells every node that the log grew', () => {
    const hub = new LocalHub();
    const [a, b] = [hub.join(), hub.join()];
    const heard: string[] = [];
    a.onAppended((seq) => heard.push(`a ${seq}`));
    b.onAppended((seq) => heard.push(`b ${seq}`));
    hub.appended(5);
    expect(heard).toEqual(['a 5', 'b 5']);
  });
});
