import { describe, expect, it } from 'vitest';
import { describeStoreContract } from '../contract.ts';
import { AT, added, req, testProjector } from '../contract/test-model.ts';
import { openMemoryStore } from './open-memory.ts';

// Nothing is kept once the store is closed: the rules that reopen it are skipped (durable: false).
describeStoreContract('memory', (_dir, projector, clock) => openMemoryStore(projector, clock), { durable: false });

// The simulator's mode: values kept frozen, not as text. Reads share objects that cannot be changed.
describeStoreContract('memory (frozen values)', (_dir, projector, clock) => openMemoryStore(projector, clock, { frozen: true }), { durable: false });

describe('memory store with frozen values', () => {
  it('every read of a snapshot gives the one frozen state, which cannot be changed, and the next append folds a new one', async () => {
    const store = openMemoryStore(testProjector, () => Date.parse(AT), { frozen: true });
    await store.events.append(req([added('box-1', 'a')]));
    const first = (await store.events.load(['box-1'])).get('box-1')!.state;
    expect((await store.events.load(['box-1'])).get('box-1')!.state).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(() => {
      (first as unknown as { items: string[] }).items.push('b');
    }).toThrow(TypeError);
    await store.events.append(req([added('box-1', 'b')], { 'box-1': 1 }));
    const second = (await store.events.load(['box-1'])).get('box-1')!.state;
    expect(second).not.toBe(first);
    expect(second.items).toEqual(['a', 'b']);
    expect(first.items).toEqual(['a']);
    await store.close();
  });
});
