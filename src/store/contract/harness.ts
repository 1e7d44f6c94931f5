import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import type { EventStore, Projector } from '../event-store.ts';
import type { Store } from '../store.ts';
import { type TestState, testProjector } from './test-model.ts';

/**
 * Opens (or reopens) the store kept in `dir`, on `clock` (epoch ms). A store that keeps nothing on
 * disk may ignore `dir`.
 */
export type OpenStore = (dir: string, projector: Projector<TestState>, clock: () => number) => Store<TestState> | Promise<Store<TestState>>;

export interface StoreContractOptions {
  /**
   * False for a store that keeps nothing once closed (the memory store): the rules that close and
   * reopen it are skipped, there being nothing to reopen. Default true.
   */
  readonly durable?: boolean;
  /**
   * Deletes snapshots behind the store's back (all, or those of `streams`), as an operator might.
   * A durable store must pass it: the rules that snapshots are rebuilt from the log use it.
   */
  dropSnapshots?(store: Store<TestState>, streams?: readonly string[]): void | Promise<void>;
}

/** A fresh store for each test, in a directory of its own, closed and removed after it. */
export interface Harness {
  readonly store: Store<TestState>;
  /** `store.events` */
  readonly events: EventStore<TestState>;
  readonly durable: boolean;
  /** The store's clock: it moves only when a rule moves it. */
  readonly clock: { now(): number; advance(ms: number): void };
  /** Closes the store (unless the test already did) and opens it again on the same directory. */
  reopen(projector?: Projector<TestState>): Promise<Store<TestState>>;
  close(): Promise<void>;
  dropSnapshots(streams?: readonly string[]): Promise<void>;
}

/** Registers the harness's beforeEach/afterEach in the calling describe block. */
export function useHarness(name: string, open: OpenStore, options: StoreContractOptions): Harness {
  let dir = '';
  let store: Store<TestState> | undefined;
  let closed = false;
  let now = Date.now();
  const clock = { now: () => now, advance: (ms: number) => void (now += ms) };
  const current = () => {
    if (!store) throw new Error('the store is opened for each test: use it inside a test');
    return store;
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'samaritan-contract-'));
    now = Date.now();
    store = await open(dir, testProjector, clock.now);
    closed = false;
  });
  afterEach(async () => {
    if (store && !closed) await store.close();
    store = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  return {
    get store() {
      return current();
    },
    get events() {
      return current().events;
    },
    durable: options.durable ?? true,
    clock,
    async reopen(projector = testProjector) {
      if (!closed) await current().close();
      store = await open(dir, projector, clock.now);
      closed = false;
      return store;
    },
    async close() {
      await current().close();
      closed = true;
    },
    async dropSnapshots(streams) {
      if (!options.dropSnapshots) throw new Error(`${name}: pass options.dropSnapshots to run the rebuild rules`);
      await options.dropSnapshots(current(), streams);
    },
  };
}
