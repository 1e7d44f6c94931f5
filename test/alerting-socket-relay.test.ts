import { describe, expect, it } from 'vitest';
import { PRESENCE_EXPIRES_MS, SocketRelay } from '../src/alerting/socket-relay.ts';
import { ResponderSockets, type SocketLike } from '../src/alerting/websocket.ts';
import type { Frame, OutboxMessage } from '../src/alerting/messages.ts';
import { BROADCAST_MAX_BYTES } from '../src/store/cluster.ts';
import { LocalHub } from '../src/store/local-cluster.ts';
import { ManualClock } from '../src/time/clock.ts';

/** A socket that keeps what is written to it. */
function phone(): SocketLike & { readonly written: string[] } {
  const written: string[] = [];
  return { readyState: 1, written, send: (data, cb) => (written.push(data), cb?.()), close: () => {} };
}

const turn = () => new Promise((r) => setImmediate(r));

describe('the WebSocket channel across nodes', () => {
  it('a frame larger than one broadcast reaches the socket held by the other node whole; a signed-out device gets nothing', async () => {
    const clock = new ManualClock();
    const hub = new LocalHub();
    const [a, b] = [hub.join(), hub.join()];
    const [socketsA, socketsB] = [new ResponderSockets(clock), new ResponderSockets(clock)];
    const relayA = new SocketRelay(socketsA, a, clock);
    const relayB = new SocketRelay(socketsB, b, clock);
    relayA.start();
    relayB.start();
    const held = phone();
    socketsB.attach('V1', 'device-1', held);
    await turn();

    const target = { volunteerId: 'V1', credentials: new Set(['device-1']) };
    expect(relayA.reaches(target)).toBe(true);
    expect(relayA.reaches({ volunteerId: 'V1', credentials: new Set(['device-2']) })).toBe(false);
    // A role with its walking route: several times what one broadcast carries, with text beyond ASCII.
    const route = Array.from({ length: 2_000 }, (_, i) => [37.77 + i / 1e5, -122.41 - i / 1e5]);
    const frame = { type: 'role', id: 7, alertId: 'I1.V1', incidentId: 'I1', route, note: 'Rue de l’Église — 2ᵉ étage' } as unknown as Frame;
    expect(JSON.stringify(frame).length).toBeGreaterThan(3 * BROADCAST_MAX_BYTES);
    const sent = await relayA.send(frame, {} as OutboxMessage, target);
    expect(sent).toMatchObject({ ok: true, delivered: false });
    await turn();
    expect(held.written).toEqual([JSON.stringify(frame)]);

    // The device held there was signed out: nothing is relayed for it.
    expect(await relayA.send(frame, {} as OutboxMessage, { volunteerId: 'V1', credentials: new Set(['device-2']) })).toMatchObject({ ok: false });
    await turn();
    expect(held.written).toHaveLength(1);

    // A node that closes tells the others its sockets are gone.
    relayB.close();
    await turn();
    expect(relayA.reaches(target)).toBe(false);
    relayA.close();
  });

  it('a node that goes quiet (died, lost its database) is forgotten after PRESENCE_EXPIRES_MS', async () => {
    const clock = new ManualClock();
    const hub = new LocalHub();
    const [a, b] = [hub.join(), hub.join()];
    const relayA = new SocketRelay(new ResponderSockets(clock), a, clock);
    const socketsB = new ResponderSockets(clock);
    relayA.start();
    new SocketRelay(socketsB, b, clock).start();
    socketsB.attach('V1', 'device-1', phone());
    await turn();
    const target = { volunteerId: 'V1', credentials: new Set(['device-1']) };
    clock.advance(PRESENCE_EXPIRES_MS);
    await turn();
    expect(relayA.reaches(target)).toBe(true);
    await b.close();
    clock.advance(PRESENCE_EXPIRES_MS + 1);
    expect(relayA.reaches(target)).toBe(false);
    relayA.close();
  });
});
