import type { Actor } from '../core/actor.ts';
import type { Command } from '../core/commands.ts';
import { decide, streamsNeeded, type DecideRules } from '../core/decide.ts';
import type { PendingEvent, StoredEvent } from '../core/events.ts';
import { alsoAffects, evolve } from '../core/evolve.ts';
import type { StreamState } from '../core/loaded.ts';
import type { Rejection } from '../core/rejection.ts';
import type { AppendOutcome, EventStore } from '../store/event-store.ts';
import type { RecordWrite } from '../store/record-writes.ts';
import type { LogTail } from './log-tail.ts';

/** Who is writing, and for which request. */
export interface WriteContext {
  readonly actor: Actor;
  readonly requestId?: string;
}

export interface ExecuteOptions extends WriteContext {
  /** Idempotency-Key with a fingerprint of the request, and the result to remember under it. */
  readonly idempotency?: { readonly key: string; readonly fingerprint: string; readonly result: unknown };
  /** Table changes that commit with the decision or not at all (a profile with its registration). */
  readonly records?: readonly RecordWrite[];
  /** Facts observed at the edge that commit with the decision (the tokens an erasure revokes). */
  readonly observed?: readonly PendingEvent[];
}

/** Why the writer could not write, beyond the domain's own rejections. */
export type WriteFailure = {
  readonly ok: false;
  readonly code: 'VersionConflict' | 'IdempotencyKeyMismatch' | 'RecordConflict';
  readonly message: string;
};

export type Outcome =
  | { readonly ok: true; readonly events: readonly StoredEvent[]; readonly replayed?: undefined }
  | { readonly ok: true; readonly replayed: unknown; readonly events?: undefined }
  | Rejection
  | WriteFailure;

/** What became of each command of a batch: its events, or the domain's rejection. */
export type BatchResult = { readonly ok: true; readonly events: readonly StoredEvent[] } | Rejection;

const MAX_LOAD_ROUNDS = 4;
/** A version conflict means another writer got there first: the command is decided again. */
const MAX_ATTEMPTS = 5;

/**
 * The one door into the log. A command is decided against the states it needs; its events (with
 * any facts and table changes that go with them) are appended in one transaction; only after the
 * commit are they handed to the log tail, which evolves the projections and wakes the reactors.
 * Facts observed at the edge, which need no decision (a sign-in, a delivery receipt), come in
 * through `record` and take the same path from the append on.
 */
export class Writer {
  constructor(
    private readonly store: EventStore<StreamState>,
    private readonly tail: LogTail,
    private readonly rules: DecideRules,
  ) {}

  async execute(command: Command, options: ExecuteOptions): Promise<Outcome> {
    const { idempotency } = options;
    if (idempotency) {
      const prior = await this.store.idempotency(idempotency.key);
      if (prior) return replay(prior.fingerprint, prior.result, idempotency.fingerprint);
    }
    for (let attempt = 1; ; attempt++) {
      const loaded = new Map<string, StreamState | undefined>();
      const versions = new Map<string, number>();
      await this.load(command, loaded, versions);
      const decision = decide(command, loaded, this.rules);
      if (!decision.ok) return decision;
      const events = [...decision.events, ...(options.observed ?? [])];
      const outcome = await this.store.append({
        expected: expectedFor(decision.events, versions),
        events,
        ...context(options),
        ...(idempotency ? { idempotency } : {}),
        ...(options.records ? { records: options.records } : {}),
      });
      if (outcome.ok) {
        this.tail.publish(outcome.events);
        return { ok: true, events: outcome.events };
      }
      if (outcome.code === 'IdempotencyKeyReplayed') {
        const prior = await this.store.idempotency(idempotency?.key ?? '');
        return replay(prior?.fingerprint ?? '', outcome.result, idempotency?.fingerprint ?? '');
      }
      if (outcome.code === 'RecordConflict' || attempt >= MAX_ATTEMPTS) return failure(outcome);
    }
  }

  /**
   * Decides many commands against one load of their states, each seeing the ones before it, and
   * appends every accepted event in one transaction (the demo city, an import, a batch of unit
   * fixes). A rejected command is reported in its place and the others go on.
   */
  async executeAll(commands: readonly Command[], options: WriteContext & { readonly records?: readonly RecordWrite[] }): Promise<BatchResult[]> {
    for (let attempt = 1; ; attempt++) {
      const loaded = new Map<string, StreamState | undefined>();
      const versions = new Map<string, number>();
      const decided: (readonly PendingEvent[] | Rejection)[] = [];
      for (const command of commands) {
        await this.load(command, loaded, versions);
        const d = decide(command, loaded, this.rules);
        if (!d.ok) {
          decided.push(d);
          continue;
        }
        decided.push(d.events);
        for (const e of d.events) {
          for (const stream of [e.stream, ...alsoAffects(e)]) {
            if (loaded.has(stream) || stream === e.stream) loaded.set(stream, evolve(loaded.get(stream), e, stream));
          }
        }
      }
      const events = decided.flatMap((d) => ('ok' in d ? [] : d));
      if (events.length === 0 && (options.records?.length ?? 0) === 0) return decided.map((d) => ('ok' in d ? d : { ok: true, events: [] }));
      const outcome = await this.store.append({
        expected: expectedFor(events, versions),
        events,
        ...context(options),
        ...(options.records ? { records: options.records } : {}),
      });
      if (outcome.ok) {
        this.tail.publish(outcome.events);
        let next = 0;
        return decided.map((d) => {
          if ('ok' in d) return d;
          const mine = outcome.events.slice(next, next + d.length);
          next += d.length;
          return { ok: true, events: mine };
        });
      }
      if (outcome.code !== 'VersionConflict' || attempt >= MAX_ATTEMPTS) throw new Error(`batch write: ${outcome.message}`);
    }
  }

  /** Appends facts observed at the edge (audit records, delivery receipts) with their table changes. */
  async record(events: readonly PendingEvent[], options: WriteContext & { readonly records?: readonly RecordWrite[] }): Promise<Outcome> {
    const outcome = await this.store.append({ expected: new Map(), events, ...context(options), ...(options.records ? { records: options.records } : {}) });
    if (!outcome.ok) return failure(outcome);
    this.tail.publish(outcome.events);
    return { ok: true, events: outcome.events };
  }

  /** Loads the streams a command needs that `loaded` does not hold yet, with their versions. */
  private async load(command: Command, loaded: Map<string, StreamState | undefined>, versions: Map<string, number>): Promise<void> {
    for (let round = 0; round < MAX_LOAD_ROUNDS; round++) {
      const missing = streamsNeeded(command, loaded);
      if (missing.length === 0) return;
      const snaps = await this.store.load(missing);
      for (const s of missing) {
        const snap = snaps.get(s);
        loaded.set(s, snap?.state);
        versions.set(s, snap?.version ?? 0);
      }
    }
  }
}

const context = (c: WriteContext) => (c.requestId === undefined ? { actor: c.actor } : { actor: c.actor, requestId: c.requestId });

/** Each stream a decision writes to must still be at the version it was decided against. */
function expectedFor(events: readonly PendingEvent[], versions: ReadonlyMap<string, number>): Map<string, number> {
  const expected = new Map<string, number>();
  for (const e of events) if (!expected.has(e.stream)) expected.set(e.stream, versions.get(e.stream) ?? 0);
  return expected;
}

function replay(storedFingerprint: string, result: unknown, fingerprint: string): Outcome {
  if (storedFingerprint !== fingerprint) {
    return { ok: false, code: 'IdempotencyKeyMismatch', message: 'This Idempotency-Key was used with a different request body' };
  }
  return { ok: true, replayed: result };
}

function failure(outcome: Exclude<AppendOutcome, { ok: true }>): WriteFailure {
  return { ok: false, code: outcome.code === 'IdempotencyKeyReplayed' ? 'VersionConflict' : outcome.code, message: outcome.message };
}
