import { randomUUID } from 'node:crypto';
import type { DeliveryMessageKind } from '../../core/events.ts';
import type {
  AlertPosition,
  NewMessage,
  OutboxMessage,
  OutboxState,
  OutboxStore,
  QueuedMessage,
  ReceiptRow,
} from '../outbox-store.ts';
import type { ReceiptField, RecordWrite } from '../record-writes.ts';
import type { Gate } from './gate.ts';
import { parse } from './json.ts';
import { RecordGuardFailed, UndoLog } from './undo-log.ts';

interface MessageRow {
  readonly id: number;
  readonly seq: number;
  readonly kind: DeliveryMessageKind;
  readonly incidentId: string;
  readonly volunteerId: string;
  readonly alertId: string;
  /** JSON text of the body; dropped once the message is done. */
  readonly payload: string | undefined;
  readonly state: OutboxState;
  readonly attempts: number;
  readonly dueAt: number;
  readonly createdAt: number;
  readonly doneAt?: number;
  readonly channels?: string;
  readonly lastError?: string;
}

interface Receipt {
  readonly alertId: string;
  readonly message: DeliveryMessageKind;
  readonly incidentId: string;
  readonly volunteerId: string;
  readonly sentAt?: string;
  /** Comma-separated channels. */
  readonly sentVia?: string;
  readonly deliveredAt?: string;
  readonly deliveredVia?: string;
  readonly seenAt?: string;
  readonly suppressed?: string;
}

interface PositionRow {
  readonly alertId: string;
  readonly incidentId: string;
  readonly volunteerId?: string;
  readonly lat?: number;
  readonly lon?: number;
  readonly fixAt?: string;
  readonly distanceM?: number;
  readonly alertedAt: string;
  readonly purgeAfter: number;
}

const toMessage = (r: MessageRow): OutboxMessage => ({
  id: r.id,
  seq: r.seq,
  kind: r.kind,
  incidentId: r.incidentId,
  volunteerId: r.volunteerId,
  alertId: r.alertId,
  body: r.payload === undefined ? {} : parse<Record<string, unknown>>(r.payload),
  attempts: r.attempts,
  createdAt: r.createdAt,
});

const toQueued = (r: MessageRow): QueuedMessage => ({
  ...toMessage(r),
  state: r.state,
  ...(r.channels === undefined ? {} : { channels: r.channels }),
});

const toReceipt = (r: Receipt): ReceiptRow => ({
  alertId: r.alertId,
  message: r.message,
  ...(r.sentAt === undefined ? {} : { sentAt: r.sentAt }),
  ...(r.sentVia ? { sentVia: r.sentVia.split(',') } : {}),
  ...(r.deliveredAt === undefined ? {} : { deliveredAt: r.deliveredAt }),
  ...(r.deliveredVia === undefined ? {} : { deliveredVia: r.deliveredVia }),
  ...(r.seenAt === undefined ? {} : { seenAt: r.seenAt }),
  ...(r.suppressed === undefined ? {} : { suppressed: r.suppressed }),
});

const opt = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } =>
  (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };

/** A receipt with `field` set, or undefined when that column is already set (it is set once). */
function marked(r: Receipt, field: ReceiptField, at: string, via: string | undefined): Receipt | undefined {
  switch (field) {
    case 'sent':
      return r.sentAt === undefined ? { ...r, sentAt: at, ...opt('sentVia', via) } : undefined;
    case 'delivered':
      return r.deliveredAt === undefined ? { ...r, deliveredAt: at, ...opt('deliveredVia', via) } : undefined;
    case 'seen':
      return r.seenAt === undefined ? { ...r, seenAt: at } : undefined;
    case 'suppressed':
      // The reason is the column: a mark without one leaves it empty, as in the SQLite table.
      return r.suppressed === undefined ? { ...r, ...opt('suppressed', via) } : undefined;
  }
}

/** The delivery queue, its receipts and the alert-position audit, in memory. */
export class MemoryOutbox implements OutboxStore {
  /** By id, which is also queue order. */
  private readonly messages = new Map<number, MessageRow>();
  private nextId = 1;
  /** `[seq, volunteerId]`: a message is made once per event and volunteer. */
  private readonly made = new Set<string>();
  /** Ids of pending messages (a message leaves `pending` once, and comes back only if that is rolled back). */
  private readonly pending = new Set<number>();
  private readonly byVolunteer = new Map<string, number[]>();
  private cursorSeq: number | undefined;
  private readonly followers = new Map<string, number>();
  private readonly receipts = new Map<string, Receipt>();
  private readonly positions = new Map<string, PositionRow>();

  constructor(private readonly gate: Gate) {}

  /** Applies `outbox.finish` and `receipt.mark` inside an append; false for other writes. */
  apply(w: RecordWrite, undo: UndoLog): boolean {
    if (w.type === 'outbox.finish') {
      this.close(w.id, w.state, w.attempts, w.now, w.channels?.join(','), w.error, undo);
      return true;
    }
    if (w.type === 'receipt.mark') {
      const key = JSON.stringify([w.alertId, w.message]);
      const current = this.receipts.get(key) ?? {
        alertId: w.alertId,
        message: w.message as DeliveryMessageKind,
        incidentId: w.incidentId,
        volunteerId: w.volunteerId,
      };
      const next = marked(current, w.field, w.at, w.via);
      if (!next) throw new RecordGuardFailed(`The ${w.field} receipt of ${w.message} ${w.alertId} is already recorded`);
      undo.set(this.receipts, key, next);
      return true;
    }
    return false;
  }

  async cursor(): Promise<number | undefined> {
    this.gate.check();
    return this.cursorSeq;
  }

  async followerCursor(name: string): Promise<number | undefined> {
    this.gate.check();
    return this.followers.get(name);
  }

  async moveFollowerCursor(name: string, seq: number): Promise<void> {
    this.gate.check();
    this.followers.set(name, seq);
  }

  async enqueue(
    messages: readonly NewMessage[],
    cursor: number,
    now: number,
    positions: readonly AlertPosition[] = [],
  ): Promise<number> {
    this.gate.check();
    const undo = new UndoLog();
    try {
      let added = 0;
      for (const m of messages) {
        const key = JSON.stringify([m.seq, m.volunteerId]);
        if (this.made.has(key)) continue;
        const row: MessageRow = {
          id: this.nextId,
          seq: m.seq,
          kind: m.kind,
          incidentId: m.incidentId,
          volunteerId: m.volunteerId,
          alertId: m.alertId,
          payload: JSON.stringify(m.body) as string | undefined,
          state: 'pending',
          attempts: 0,
          dueAt: now,
          createdAt: now,
        };
        this.nextId++;
        undo.onRollback(() => this.nextId--);
        undo.set(this.messages, row.id, row);
        this.made.add(key);
        this.pending.add(row.id);
        undo.onRollback(() => (this.made.delete(key), this.pending.delete(row.id)));
        let ids = this.byVolunteer.get(m.volunteerId);
        if (!ids) undo.set(this.byVolunteer, m.volunteerId, (ids = []));
        const list = ids;
        list.push(row.id);
        undo.onRollback(() => list.pop());
        added++;
      }
      for (const p of positions) {
        if (this.positions.has(p.alertId)) continue;
        undo.set(this.positions, p.alertId, {
          alertId: p.alertId,
          incidentId: p.incidentId,
          volunteerId: p.volunteerId,
          ...(p.position ? { lat: p.position.lat, lon: p.position.lon, fixAt: p.position.fixAt } : {}),
          ...opt('distanceM', p.distanceM === undefined ? undefined : Math.round(p.distanceM)),
          alertedAt: p.alertedAt,
          purgeAfter: p.purgeAfter,
        });
      }
      const prior = this.cursorSeq;
      this.cursorSeq = cursor;
      undo.onRollback(() => (this.cursorSeq = prior));
      return added;
    } catch (e) {
      undo.rollback();
      throw e;
    }
  }

  async due(now: number, limit: number): Promise<OutboxMessage[]> {
    this.gate.check();
    // Oldest first: by id (a message put back by a rolled-back close is at the end of `pending`).
    const due = [...this.pending].filter((id) => this.messages.get(id)!.dueAt <= now).sort((a, b) => a - b);
    return due.slice(0, limit < 0 ? undefined : limit).map((id) => toMessage(this.messages.get(id)!));
  }

  async nextDueAt(): Promise<number | undefined> {
    this.gate.check();
    let next: number | undefined;
    for (const id of this.pending) {
      const due = this.messages.get(id)!.dueAt;
      if (next === undefined || due < next) next = due;
    }
    return next;
  }

  async get(id: number): Promise<QueuedMessage | undefined> {
    this.gate.check();
    const r = this.messages.get(id);
    return r && toQueued(r);
  }

  async ofVolunteer(volunteerId: string): Promise<QueuedMessage[]> {
    this.gate.check();
    return (this.byVolunteer.get(volunteerId) ?? []).map((id) => toQueued(this.messages.get(id)!));
  }

  async finish(id: number, state: Exclude<OutboxState, 'pending'>, attempts: number, now: number, error?: string): Promise<void> {
    this.gate.check();
    this.close(id, state, attempts, now, undefined, error, new UndoLog());
  }

  async retry(id: number, attempts: number, dueAt: number, error: string): Promise<void> {
    this.gate.check();
    const r = this.messages.get(id);
    if (r?.state === 'pending') this.messages.set(id, { ...r, attempts, dueAt, lastError: error });
  }

  async hurry(volunteerId: string, now: number): Promise<number> {
    this.gate.check();
    let n = 0;
    for (const id of this.byVolunteer.get(volunteerId) ?? []) {
      const r = this.messages.get(id)!;
      if (r.state === 'pending' && r.dueAt > now) {
        this.messages.set(id, { ...r, dueAt: now });
        n++;
      }
    }
    return n;
  }

  async receipt(alertId: string, message: DeliveryMessageKind): Promise<ReceiptRow | undefined> {
    this.gate.check();
    const r = this.receipts.get(JSON.stringify([alertId, message]));
    return r && toReceipt(r);
  }

  async receiptsOfIncident(incidentId: string): Promise<ReceiptRow[]> {
    this.gate.check();
    return [...this.receipts.values()].filter((r) => r.incidentId === incidentId).map(toReceipt);
  }

  async alertPosition(alertId: string): Promise<{ lat: number; lon: number; fixAt: string } | undefined> {
    this.gate.check();
    const r = this.positions.get(alertId);
    return r?.lat !== undefined && r.lon !== undefined ? { lat: r.lat, lon: r.lon, fixAt: r.fixAt ?? '' } : undefined;
  }

  async purgeAlertPositions(nowMs: number): Promise<number> {
    this.gate.check();
    let n = 0;
    for (const [alertId, r] of this.positions) {
      if (r.purgeAfter <= nowMs) {
        this.positions.delete(alertId);
        n++;
      }
    }
    return n;
  }

  async anonymiseAlertPositions(volunteerId: string): Promise<number> {
    this.gate.check();
    const theirs = [...this.positions.values()].filter((r) => r.volunteerId === volunteerId);
    for (const r of theirs) {
      this.positions.delete(r.alertId);
      const erased: PositionRow = {
        alertId: `erased-${randomUUID()}`,
        incidentId: r.incidentId,
        ...opt('distanceM', r.distanceM),
        alertedAt: r.alertedAt,
        purgeAfter: r.purgeAfter,
      };
      this.positions.set(erased.alertId, erased);
    }
    return theirs.length;
  }

  async alertPositionCount(): Promise<number> {
    this.gate.check();
    return this.positions.size;
  }

  /** Closes a pending message: its state, attempts and channels; its payload is dropped. A message already closed stays as it is. */
  private close(
    id: number,
    state: Exclude<OutboxState, 'pending'>,
    attempts: number,
    now: number,
    channels: string | undefined,
    error: string | undefined,
    undo: UndoLog,
  ): void {
    const r = this.messages.get(id);
    if (r?.state !== 'pending') return;
    // A finished message keeps no payload; its channels and last error are those of this finish.
    const { channels: _channels, lastError: _lastError, ...kept } = r;
    const done: MessageRow = {
      ...kept,
      payload: undefined,
      state,
      attempts,
      doneAt: now,
      ...opt('channels', channels),
      ...opt('lastError', error),
    };
    undo.set(this.messages, id, done);
    this.pending.delete(id);
    undo.onRollback(() => this.pending.add(id));
  }
}
