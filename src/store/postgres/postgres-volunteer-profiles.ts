import type pg from 'pg';
import { json, parse } from '../memory/json.ts';
import type { RecordWrite } from '../record-writes.ts';
import type {
  DemoPopulationRecord,
  ProfileChanges,
  VolunteerDevice,
  VolunteerProfile,
  VolunteerProfileStore,
} from '../volunteer-profile-store.ts';
import { pgStorageFailureOf } from './postgres-errors.ts';
import { announce, followNews, MirrorQueue, TABLES_CHANNEL, type TableNews } from './postgres-table-news.ts';

const NEWS = 'p';
const COLUMNS = 'volunteer_id, name, phone, languages, devices, synthetic, created_at, updated_at';

interface ProfileRow {
  volunteer_id: string;
  name: string;
  phone: string;
  languages: string;
  devices: string;
  synthetic: boolean;
  created_at: string;
  updated_at: string;
}

interface DemoRow {
  seed: string | number;
  count: number;
  available: number;
  residents: number;
  loaded_at: string;
}

const toProfile = (r: ProfileRow): VolunteerProfile => ({
  volunteerId: r.volunteer_id,
  name: r.name,
  phone: r.phone,
  languages: JSON.parse(r.languages) as string[],
  devices: JSON.parse(r.devices) as VolunteerDevice[],
  synthetic: r.synthetic,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** The columns the table keeps of a profile, in the table's order (whatever else a caller's object carries). */
const profileText = (p: VolunteerProfile): string =>
  json({
    volunteerId: p.volunteerId,
    name: p.name,
    phone: p.phone,
    languages: p.languages,
    devices: p.devices,
    synthetic: p.synthetic,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  });

const toDemo = (r: DemoRow): DemoPopulationRecord => ({
  seed: Number(r.seed),
  count: r.count,
  available: r.available,
  residents: r.residents,
  loadedAt: r.loaded_at,
});


/**
 * Volunteers' personal data in PostgreSQL. The port reads synchronously, so each node keeps a
 * mirror of the table in memory (JSON text: every read is a copy), loaded at start and brought up
 * to date by re-reading rows from the table, never by guessing: after an append that carried
 * profile writes (`settle`, whether it committed or not), and when another node's commit announces
 * them on TABLES_CHANNEL. An erasure deletes the row and drops the mirror's copy on every node.
 *
 * `update` resolves once the row is committed (an answered change survives a crash); the mirror
 * shows it at once, and goes back to the table's row if the write fails.
 */
export class PostgresVolunteerProfiles implements VolunteerProfileStore {
  private rows = new Map<string, string>();
  private demo: string | undefined;
  /** Volunteers with an `update` not yet written: a re-read must not undo it meanwhile. */
  private readonly unsaved = new Map<string, number>();
  private readonly queue: MirrorQueue;

  constructor(private readonly pool: pg.Pool) {
    this.queue = new MirrorQueue(() => this.reloadAll(), 'volunteer profiles mirror');
  }

  /** Reads the whole table into the mirror; the store calls it once before the first read. */
  load(): Promise<void> {
    return this.queue.run(() => this.reloadAll());
  }

  /** Keeps the mirror in step with other nodes' commits. */
  follow(news: TableNews): void {
    followNews(news, NEWS, this.queue, (keys) => this.reread(keys), () => this.reloadAll());
  }

  /** Applies a personal-data write inside the append's transaction; false for other writes. */
  async apply(client: pg.PoolClient, w: RecordWrite): Promise<boolean> {
    if (w.type === 'profile.add') {
      const ps = w.profiles;
      if (ps.length > 0) {
        await client.query(
          `INSERT INTO volunteer_profiles (${COLUMNS})
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::boolean[], $7::text[], $8::text[])`,
          [
            ps.map((p) => p.volunteerId),
            ps.map((p) => p.name),
            ps.map((p) => p.phone),
            ps.map((p) => json(p.languages)),
            ps.map((p) => json(p.devices)),
            ps.map((p) => p.synthetic),
            ps.map((p) => p.createdAt),
            ps.map((p) => p.updatedAt),
          ],
        );
      }
      const d = w.demo;
      if (d) {
        await client.query(
          'INSERT INTO volunteer_demo_population (id, seed, count, available, residents, loaded_at) VALUES (1, $1, $2, $3, $4, $5)',
          [d.seed, d.count, d.available, d.residents, d.loadedAt],
        );
      }
      await announce(client, NEWS, d ? 'all' : ps.map((p) => p.volunteerId));
      return true;
    }
    if (w.type === 'profile.erase') {
      // The row is deleted, not blanked. PostgreSQL keeps the dead tuple in its page until VACUUM
      // (autovacuum) reclaims it, and the old row in WAL until it is recycled: reclaiming those is the
      // server's and its operator's concern (vacuum, WAL and backup retention), as free pages are SQLite's.
      await client.query('DELETE FROM volunteer_profiles WHERE volunteer_id = $1', [w.volunteerId]);
      await announce(client, NEWS, [w.volunteerId]);
      return true;
    }
    return false;
  }

  /** After an append with `records` (committed or not): the mirror re-reads the rows they name. */
  settle(records: readonly RecordWrite[] | undefined): Promise<void> {
    const ids: string[] = [];
    let demo = false;
    for (const w of records ?? []) {
      if (w.type === 'profile.add') {
        ids.push(...w.profiles.map((p) => p.volunteerId));
        demo ||= w.demo !== undefined;
      } else if (w.type === 'profile.erase') ids.push(w.volunteerId);
    }
    if (ids.length === 0 && !demo) return Promise.resolve();
    // A failed read is made good by the queue (it reads everything again): the append stays answered.
    return this.queue.run(() => (demo ? this.reloadAll() : this.reread(ids))).catch(() => {});
  }

  async close(): Promise<void> {
    await this.queue.close();
  }

  get(volunteerId: string): VolunteerProfile | undefined {
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

  async update(volunteerId: string, changes: ProfileChanges, at: string): Promise<VolunteerProfile | undefined> {
    const before = this.rows.get(volunteerId);
    if (before === undefined) return undefined;
    const text = profileText({ ...parse<VolunteerProfile>(before), ...changes, updatedAt: at });
    this.rows.set(volunteerId, text);
    this.unsaved.set(volunteerId, (this.unsaved.get(volunteerId) ?? 0) + 1);
    try {
      await this.queue.run(() => this.save(parse<VolunteerProfile>(text)));
    } catch (e) {
      // Not written: the mirror must not show what the table does not hold (unless a later update replaced it).
      if (this.rows.get(volunteerId) === text) this.rows.set(volunteerId, before);
      throw pgStorageFailureOf(e) ?? e;
    }
    return this.get(volunteerId) === undefined ? undefined : parse<VolunteerProfile>(text);
  }

  demoPopulation(): DemoPopulationRecord | undefined {
    return this.demo === undefined ? undefined : parse<DemoPopulationRecord>(this.demo);
  }

  count(): number {
    return this.rows.size;
  }

  /** Writes one `update`, then reads the row back (another node may have erased it meanwhile). */
  private async save(p: VolunteerProfile): Promise<void> {
    try {
      await this.pool.query(
        `WITH changed AS (
           UPDATE volunteer_profiles SET name = $2, phone = $3, languages = $4, devices = $5, updated_at = $6
           WHERE volunteer_id = $1 RETURNING volunteer_id)
         SELECT pg_notify($7, $8) FROM changed`,
        [p.volunteerId, p.name, p.phone, json(p.languages), json(p.devices), p.updatedAt, TABLES_CHANNEL, `${NEWS}:${json([p.volunteerId])}`],
      );
    } finally {
      const left = (this.unsaved.get(p.volunteerId) ?? 1) - 1;
      if (left > 0) this.unsaved.set(p.volunteerId, left);
      else this.unsaved.delete(p.volunteerId);
    }
    await this.reread([p.volunteerId]);
  }

  private async reread(ids: readonly string[]): Promise<void> {
    const r = await this.pool.query<ProfileRow>(`SELECT ${COLUMNS} FROM volunteer_profiles WHERE volunteer_id = ANY($1::text[])`, [ids]);
    const found = new Map(r.rows.map((row) => [row.volunteer_id, row]));
    for (const id of ids) {
      if (this.unsaved.has(id)) continue;
      const row = found.get(id);
      if (row) this.rows.set(id, profileText(toProfile(row)));
      else this.rows.delete(id);
    }
  }

  private async reloadAll(): Promise<void> {
    const [profiles, demo] = await Promise.all([
      this.pool.query<ProfileRow>(`SELECT ${COLUMNS} FROM volunteer_profiles`),
      this.pool.query<DemoRow>('SELECT seed, count, available, residents, loaded_at FROM volunteer_demo_population WHERE id = 1'),
    ]);
    const rows = new Map(profiles.rows.map((row) => [row.volunteer_id, profileText(toProfile(row))]));
    for (const id of this.unsaved.keys()) {
      const mine = this.rows.get(id);
      if (mine !== undefined) rows.set(id, mine);
    }
    this.rows = rows;
    const d = demo.rows[0];
    this.demo = d === undefined ? undefined : json(toDemo(d));
  }
}
