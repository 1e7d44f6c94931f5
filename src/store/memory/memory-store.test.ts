import { describeStoreContract } from '../contract.ts';
import { openMemoryStore } from './open-memory.ts';

// Nothing is kept once the store is closed: the rules that reopen it are skipped (durable: false).
describeStoreContract('memory', (_dir, projector, clock) => openMemoryStore(projector, clock), { durable: false });

// The simulator's mode: values kept frozen, not as text. Reads share objects that cannot be changed.
describeStoreContract('memory (frozen values)', (_dir, projector, clock) => openMemoryStore(projector, clock, { frozen: true }), { durable: false });
