import type { Command } from '../core/commands.ts';
import { decide, streamsNeeded, type DecideRules } from '../core/decide.ts';
import type { StoredEvent } from '../core/events.ts';
import type { StreamState } from '../core/loaded.ts';
import type { Rejection } from '../core/rejection.ts';
import type { EventStore } from '../store/event-store.ts';
import type { EventBus } from './event-bus.ts';

export type Outcome =
  | { readonly ok: true; readonly events: readonly StoredEvent[]; readonly replayed?: undefined }
  | { readonly ok: true; readonly replayed: unknown; readonly events?: undefined }
  | Rejection
  | { readonly ok: false; readonly code: 'VersionConflict' | 'IdempotencyKeyMismatch'; readonly message: string };

export interface ExecuteOptions {
  readonly meta?: Readonly<Record<string, unknown>>;
  /** Idempotency-Key with a fingerprint of the request, and the result to remember under it. */
  readonly idempotency?: { readonly key: string; readonly fingerprint: string; readonly result: unknown };
}

const MAX_LOAD_ROUNDS = 4;
const MAX_ATTEMPTS = 3;

/**
 * The one path for every change: load the states a command needs, decide, append durably with
 * optimistic concurrency, then publish. A version conflict means another writer got there first;
 * the command is decided again against the new state.
 */
export class CommandHandler {
  constructor(
    private readonly store: EventStore<StreamState>,
    private readonly bus: EventBus,
    private readonly rules: DecideRules,
  ) {}

  async execute(command: Command, options: ExecuteOptions = {}): Promise<Outcome> {
    const { idempotency } = options;
    if (idempotency) {
      const prior = await this.store.idempotency(idempotency.key);
      if (prior) return this.replay(prior.fingerprint, prior.result, idempotency.fingerprint);
    }
    for (let attempt = 1; ; attempt++) {
      const { loaded, versions } = await this.load(command);
      const decision = decide(command, loaded, this.rules);
      if (!decision.ok) return decision;
      const expected = new Map<string, number>();
      for (const e of decision.events) expected.set(e.stream, versions.get(e.stream) ?? 0);
      const outcome = await this.store.append({
        expected,
        events: decision.events,
        ...(options.meta ? { meta: options.meta } : {}),
        ...(idempotency ? { idempotency } : {}),
      });
      if (outcome.ok) {
        this.bus.publish(outcome.events);
        return { ok: true, events: outcome.events };
      }
      if (outcome.code === 'IdempotencyKeyReplayed') {
        const prior = await this.store.idempotency(idempotency?.key ?? '');
        return this.replay(prior?.fingerprint ?? '', outcome.result, idempotency?.fingerprint ?? '');
      }
      if (attempt >= MAX_ATTEMPTS) return { ok: false, code: 'VersionConflict', message: outcome.message };
    }
  }

  private replay(storedFingerprint: string, result: unknown, fingerprint: string): Outcome {
    if (storedFingerprint !== fingerprint) {
      return {
        ok: false,
        code: 'IdempotencyKeyMismatch',
        message: 'This Idempotency-Key was used with a different request body',
      };
    }
    return { ok: true, replayed: result };
  }

  private async load(command: Command) {
    const loaded = new Map<string, StreamState | undefined>();
    const versions = new Map<string, number>();
    for (let round = 0; round < MAX_LOAD_ROUNDS; round++) {
      const missing = streamsNeeded(command, loaded);
      if (missing.length === 0) break;
      const snaps = await this.store.load(missing);
      for (const s of missing) {
        const snap = snaps.get(s);
        loaded.set(s, snap?.state);
        versions.set(s, snap?.version ?? 0);
      }
    }
    return { loaded, versions };
  }
}
