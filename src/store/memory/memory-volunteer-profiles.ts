import type { RecordWrite } from '../record-writes.ts';
import type {
  DemoPopulationRecord,
  ProfileChanges,
  VolunteerProfile,
  VolunteerProfileStore,
} from '../volunteer-profile-store.ts';
import type { Gate } from './gate.ts';
import { json, parse } from './json.ts';
import { ConstraintFailed, type UndoLog } from './undo-log.ts';

/** The columns the SQLite table keeps of a profile. */
const profileRow = (p: VolunteerProfile): VolunteerProfile => ({
  volunteerId: p.volunteerId,
  name: p.name,
  phone: p.phone,
  languages: p.languages,
  devices: p.devices,
  synthetic: p.synthetic,
  createdAt: p.createdAt,
  updatedAt: p.updatedAt,
});

/**
 * Volunteers' personal data in memory (as JSON text, so reads are copies). Erasing a profile drops
 * the only reference to it; nothing of it is kept anywhere else.
 */
export class MemoryVolunteerProfiles implements VolunteerProfileStore {
  private readonly rows = new Map<string, string>();
  private demo: string | undefined;

  constructor(private readonly gate: Gate) {}

  /** Applies a personal-data write inside an append; false for other writes. */
  apply(w: RecordWrite, undo: UndoLog): boolean {
    if (w.type === 'profile.add') {
      for (const p of w.profiles) {
        if (this.rows.has(p.volunteerId)) throw new ConstraintFailed(`Volunteer ${p.volunteerId} already has a profile`);
        undo.set(this.rows, p.volunteerId, json(profileRow(p)));
      }
      const d = w.demo;
      if (d) {
        if (this.demo !== undefined) throw new ConstraintFailed('The demo population is already recorded');
        const record: DemoPopulationRecord = {
          seed: d.seed,
          count: d.count,
          available: d.available,
          residents: d.residents,
          loadedAt: d.loadedAt,
        };
        this.demo = json(record);
        undo.onRollback(() => (this.demo = undefined));
      }
      return true;
    }
    if (w.type === 'profile.erase') {
      undo.delete(this.rows, w.volunteerId);
      return true;
    }
    return false;
  }

  get(volunteerId: string): VolunteerProfile | undefined {
    this.gate.check();
    const text = this.rows.get(volunteerId);
    return text === undefined ? undefined : parse<VolunteerProfile>(text);
  }

  getMany(volunteerIds: readonly string[]): Map<string, VolunteerProfile> {
    const out = new Map<string, VolunteerProfile>();
    for (const id of volunteerIds) {
      const p = this.get(id);
      if (p) out.set(id, p);
    }
    return out;
  }

  update(volunteerId: string, changes: ProfileChanges, at: string): Promise<VolunteerProfile | undefined> {
    const current = this.get(volunteerId);
    if (!current) return Promise.resolve(undefined);
    const text = json(profileRow({ ...current, ...changes, updatedAt: at }));
    this.rows.set(volunteerId, text);
    return Promise.resolve(parse<VolunteerProfile>(text));
  }

  demoPopulation(): DemoPopulationRecord | undefined {
    this.gate.check();
    return this.demo === undefined ? undefined : parse<DemoPopulationRecord>(this.demo);
  }

  count(): number {
    this.gate.check();
    return this.rows.size;
  }
}
