import type Database from 'better-sqlite3';
import type { RecordWrite } from '../record-writes.ts';
import type {
  DemoPopulationRecord,
  ProfileChanges,
  VolunteerDevice,
  VolunteerProfile,
  VolunteerProfileStore,
} from '../volunteer-profile-store.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS volunteer_profiles (
  volunteer_id TEXT PRIMARY KEY,
  name         TEXT NOT NULL,
  phone        TEXT NOT NULL,
  languages    TEXT NOT NULL,
  devices      TEXT NOT NULL,
  synthetic    INTEGER NOT NULL,
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS volunteer_demo_population (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  seed       INTEGER NOT NULL,
  count      INTEGER NOT NULL,
  available  INTEGER NOT NULL,
  residents  INTEGER NOT NULL,
  loaded_at  TEXT NOT NULL
);
`;

interface ProfileRow {
  volunteer_id: string;
  name: string;
  phone: string;
  languages: string;
  devices: string;
  synthetic: number;
  created_at: string;
  updated_at: string;
}

const toProfile = (r: ProfileRow): VolunteerProfile => ({
  volunteerId: r.volunteer_id,
  name: r.name,
  phone: r.phone,
  languages: JSON.parse(r.languages) as string[],
  devices: JSON.parse(r.devices) as VolunteerDevice[],
  synthetic: r.synthetic === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toRow = (p: VolunteerProfile): ProfileRow => ({
  volunteer_id: p.volunteerId,
  name: p.name,
  phone: p.phone,
  languages: JSON.stringify(p.languages),
  devices: JSON.stringify(p.devices),
  synthetic: p.synthetic ? 1 : 0,
  created_at: p.createdAt,
  updated_at: p.updatedAt,
});

/**
 * Volunteers' personal data in the same SQLite file as the log. `secure_delete` makes SQLite
 * overwrite erased rows with zeros instead of leaving them in free pages, and an erasure ends with
 * a WAL checkpoint (SqliteStore.afterErase), so a deleted name or phone does not linger in the files.
 */
export class SqliteVolunteerProfiles implements VolunteerProfileStore {
  private readonly q;

  constructor(private readonly db: Database.Database) {
    db.pragma('secure_delete = ON');
    db.exec(SCHEMA);
    this.q = {
      get: db.prepare<[string], ProfileRow>('SELECT * FROM volunteer_profiles WHERE volunteer_id = ?'),
      insert: db.prepare(
        `INSERT INTO volunteer_profiles (volunteer_id, name, phone, languages, devices, synthetic, created_at, updated_at)
         VALUES (@volunteer_id, @name, @phone, @languages, @devices, @synthetic, @created_at, @updated_at)`,
      ),
      demo: db.prepare(`INSERT INTO volunteer_demo_population (id, seed, count, available, residents, loaded_at) VALUES (1, ?, ?, ?, ?, ?)`),
      erase: db.prepare('DELETE FROM volunteer_profiles WHERE volunteer_id = ?'),
    };
  }

  /** Applies a personal-data write inside the append's transaction; false for other writes. */
  apply(w: RecordWrite): boolean {
    if (w.type === 'profile.add') {
      for (const p of w.profiles) this.q.insert.run(toRow(p));
      const d = w.demo;
      if (d) this.q.demo.run(d.seed, d.count, d.available, d.residents, d.loadedAt);
      return true;
    }
    if (w.type === 'profile.erase') {
      this.q.erase.run(w.volunteerId);
      return true;
    }
    return false;
  }

  get(volunteerId: string): VolunteerProfile | undefined {
    const r = this.q.get.get(volunteerId);
    return r && toProfile(r);
  }

  getMany(volunteerIds: readonly string[]): Map<string, VolunteerProfile> {
    const out = new Map<string, VolunteerProfile>();
    for (const id of volunteerIds) {
      const r = this.q.get.get(id);
      if (r) out.set(id, toProfile(r));
    }
    return out;
  }

  update(volunteerId: string, changes: ProfileChanges, at: string): Promise<VolunteerProfile | undefined> {
    return Promise.resolve(this.updateNow(volunteerId, changes, at));
  }

  private updateNow(volunteerId: string, changes: ProfileChanges, at: string): VolunteerProfile | undefined {
    const current = this.get(volunteerId);
    if (!current) return undefined;
    const next: VolunteerProfile = { ...current, ...changes, updatedAt: at };
    this.db
      .prepare('UPDATE volunteer_profiles SET name = ?, phone = ?, languages = ?, devices = ?, updated_at = ? WHERE volunteer_id = ?')
      .run(next.name, next.phone, JSON.stringify(next.languages), JSON.stringify(next.devices), at, volunteerId);
    return next;
  }

  demoPopulation(): DemoPopulationRecord | undefined {
    const r = this.db
      .prepare<[], { seed: number; count: number; available: number; residents: number; loaded_at: string }>(
        'SELECT * FROM volunteer_demo_population WHERE id = 1',
      )
      .get();
    return r && { seed: r.seed, count: r.count, available: r.available, residents: r.residents, loadedAt: r.loaded_at };
  }

  count(): number {
    return this.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM volunteer_profiles').get()?.n ?? 0;
  }
}
