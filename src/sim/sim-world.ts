import { systemActor } from '../core/actor.ts';
import type { Command } from '../core/commands.ts';
import type { DecideRules } from '../core/decide.ts';
import type { StoredEvent } from '../core/events.ts';
import type { StreamState } from '../core/loaded.ts';
import { LogTail } from '../log/log-tail.ts';
import { domainProjector } from '../log/projector.ts';
import { Writer } from '../log/writer.ts';
import { openMemoryStore, type MemoryRetention } from '../store/memory/open-memory.ts';
import type { Store } from '../store/store.ts';
import { ManualClock } from '../time/clock.ts';

const ACTOR = { actor: systemActor('simulator') } as const;

/** What the core refused during a replay, by code, with the first message of each. */
export class Rejections {
  private readonly byCode = new Map<string, { count: number; example: string }>();

  add(code: string, message: string): void {
    const r = this.byCode.get(code);
    if (r) r.count++;
    else this.byCode.set(code, { count: 1, example: message });
  }

  get total(): number {
    let n = 0;
    for (const r of this.byCode.values()) n += r.count;
    return n;
  }

  /** Codes in alphabetical order, so the JSON does not depend on which came first. */
  summary(): Record<string, { count: number; example: string }> {
    return Object.fromEntries([...this.byCode].sort(([a], [b]) => a.localeCompare(b)));
  }
}

/**
 * One policy's own world: an in-memory store, the server's Writer and LogTail, and a clock that
 * only the replay moves. Every state change goes through `execute`, as an HTTP route's would.
 */
export class SimWorld {
  readonly clock: ManualClock;
  readonly store: Store<StreamState>;
  readonly tail: LogTail;
  readonly writer: Writer;
  readonly rejections = new Rejections();

  constructor(rules: DecideRules, startAt: number, retention?: MemoryRetention<StreamState>) {
    this.clock = new ManualClock(startAt);
    this.store = openMemoryStore<StreamState>(domainProjector, () => this.clock.now(), retention);
    this.tail = new LogTail(this.store.events, 0);
    this.writer = new Writer(this.store.events, this.tail, rules);
  }

  get now(): number {
    return this.clock.now();
  }

  /** Moves virtual time to `t` (never back). */
  advanceTo(t: number): void {
    if (t > this.clock.now()) this.clock.advance(t - this.clock.now());
  }

  /** Decides and appends one command; a refusal is counted by its code and answered undefined. */
  async execute(command: Command): Promise<readonly StoredEvent[] | undefined> {
    const outcome = await this.writer.execute(command, ACTOR);
    if (outcome.ok) return outcome.events ?? [];
    this.rejections.add(`${command.type}:${outcome.code}`, outcome.message);
    return undefined;
  }

  async executeAll(commands: readonly Command[]): Promise<void> {
    const results = await this.writer.executeAll(commands, ACTOR);
    results.forEach((r, i) => {
      if (!r.ok) this.rejections.add(`${commands[i]!.type}:${r.code}`, r.message);
    });
  }

  async load<T extends StreamState>(stream: string): Promise<T | undefined> {
    return (await this.store.events.load([stream])).get(stream)?.state as T | undefined;
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
