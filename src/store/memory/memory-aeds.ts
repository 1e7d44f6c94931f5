import type { AedRecord } from '../../core/aed.ts';
import type { AedStore } from '../aed-store.ts';
import type { RecordWrite } from '../record-writes.ts';
import type { Gate } from './gate.ts';
import { json, parse } from './json.ts';
import type { UndoLog } from './undo-log.ts';

/** The AED registry in memory: one entry per defibrillator, replaced whole by each import that names it. */
export class MemoryAeds implements AedStore {
  private readonly rows = new Map<string, string>();

  constructor(private readonly gate: Gate) {}

  /** By id, as the SQLite table answers. */
  all(): AedRecord[] {
    this.gate.check();
    return [...this.rows.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((id) => parse<AedRecord>(this.rows.get(id)!));
  }

  /** Applies `aed.put` inside an append; false for other writes. */
  apply(w: RecordWrite, undo: UndoLog): boolean {
    if (w.type !== 'aed.put') return false;
    for (const r of w.records) undo.set(this.rows, r.id, json(r));
    return true;
  }
}
