import type Database from 'better-sqlite3';
import type { PendingEvent, StoredEvent } from '../../core/events.ts';
import {
  StreamMoved,
  type DemoPopulationRecord,
  type ProfileChanges,
  type VolunteerDevice,
  type VolunteerProfile,
  type VolunteerProfileStore,
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

/** The part of the SQLite event store this table writes through, so rows and events commit together. */
export interface EventLogWriter {
  readonly database: Database.Database;
  writeWith(events: readonly PendingEvent[], change: (db: Database.Database) => void): StoredEvent[];
}

/**
 * Volunteers' personal data in the same SQLite file as the log. `secure_delete` makes SQLite
 * overwrite erased rows with zeros instead of leaving them in free pages, and an erasure ends with
 * a WAL checkpoint, so a deleted name or phone does not linger in the files either.
 */
export class SqliteVolunteerProfiles implements VolunteerProfileStore {
  private readonly db: Database.Database;
  private readonly q;

  constructor(private readonly log: EventLogWriter) {
    this.db = log.database;
    this.db.pragma('secure_delete = ON');
    this.db.exec(SCHEMA);
    this.q = {
      get: this.db.prepare<[string], ProfileRow>('SELECT * FROM volunteer_profiles WHERE volunteer_id = ?'),
      insert: this.db.prepare(
        `INSERT INTO volunteer_profiles (volunteer_id, name, phone, languages, devices, synthetic, created_at, updated_at)
         VALUES (@volunteer_id, @name, @phone, @languages, @devices, @synthetic, @created_at, @updated_at)`,
      ),
      version: this.db.prepare<[string], { version: number | null }>('SELECT max(version) AS version FROM events WHERE stream = ?'),
    };
  }

  private checkVersions(expected: ReadonlyMap<string, number>): void {
    for (const [stream, want] of expected) {
      const actual = this.q.version.get(stream)?.version ?? 0;
      if (actual !== want) throw new StreamMoved(stream, want, actual);
    }
  }

  create(profile: VolunteerProfile, expected: ReadonlyMap<string, number>, events: readonly PendingEvent[]): StoredEvent[] {
    return this.db.transaction(() => {
      this.checkVersions(expected);
      this.q.insert.run(toRow(profile));
      return this.log.writeWith(events, () => {});
    })();
  }

  createMany(profiles: readonly VolunteerProfile[], events: readonly PendingEvent[], demo?: DemoPopulationRecord): StoredEvent[] {
    return this.log.writeWith(events, (db) => {
      for (const p of profiles) this.q.insert.run(toRow(p));
      if (demo) {
        db.prepare(
          `INSERT INTO volunteer_demo_population (id, seed, count, available, residents, loaded_at) VALUES (1, ?, ?, ?, ?, ?)`,
        ).run(demo.seed, demo.count, demo.available, demo.residents, demo.loadedAt);
      }
    });
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

  update(volunteerId: string, changes: ProfileChanges, at: string): VolunteerProfile | undefined {
    const current = this.get(volunteerId);
    if (!current) return undefined;
    const next: VolunteerProfile = { ...current, ...changes, updatedAt: at };
    this.db
      .prepare('UPDATE volunteer_profiles SET name = ?, phone = ?, languages = ?, devices = ?, updated_at = ? WHERE volunteer_id = ?')
      .run(next.name, next.phone, JSON.stringify(next.languages), JSON.stringify(next.devices), at, volunteerId);
    return next;
  }

  erase(volunteerId: string, expected: ReadonlyMap<string, number>, events: readonly PendingEvent[], at: string, by: string): StoredEvent[] {
    const stored = this.db.transaction(() => {
      this.checkVersions(expected);
      this.db.prepare('DELETE FROM volunteer_profiles WHERE volunteer_id = ?').run(volunteerId);
      // The credentials table belongs to the accounts store; revoking here keeps the erasure one transaction.
      const tokens = this.db
        .prepare<[string], { id: string }>("SELECT id FROM credentials WHERE kind = 'device' AND subject = ? AND revoked_at IS NULL")
        .all(volunteerId);
      const revoke = this.db.prepare('UPDATE credentials SET revoked_at = ? WHERE id = ?');
      for (const t of tokens) revoke.run(at, t.id);
      const revoked: PendingEvent[] = tokens.map((t) => ({
        type: 'TokenRevoked',
        stream: `token-${t.id}`,
        at,
        data: { tokenId: t.id, by },
      }));
      return this.log.writeWith([...events, ...revoked], () => {});
    })();
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    return stored;
  }

  audit(events: readonly PendingEvent[]): StoredEvent[] {
    return this.log.writeWith(events, () => {});
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
