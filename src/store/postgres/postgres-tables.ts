import type pg from 'pg';
import type { RecordWrite } from '../record-writes.ts';
import { PostgresAccounts } from './postgres-accounts.ts';
import { PostgresAeds } from './postgres-aeds.ts';
import { PostgresOutbox } from './postgres-outbox.ts';
import { TableNews } from './postgres-table-news.ts';
import { PostgresVolunteerProfiles } from './postgres-volunteer-profiles.ts';

/** The tables beside the log, ready for the store to assemble with its event log. */
export interface PostgresTables {
  readonly accounts: PostgresAccounts;
  readonly profiles: PostgresVolunteerProfiles;
  readonly aeds: PostgresAeds;
  readonly outbox: PostgresOutbox;
  /** Applies one record write inside the append's transaction; throws when no table takes it. */
  apply(client: pg.PoolClient, w: RecordWrite): Promise<void>;
  /**
   * To be awaited after every append's transaction ends, committed or not, before the append is
   * answered: the mirrors re-read what its records wrote, so the caller reads its own writes.
   */
  settle(records: readonly RecordWrite[] | undefined): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens the tables on `pool` (migrated already): listens for other nodes' news first, then loads
 * the mirrors, so no change falls between the two.
 */
export async function openPostgresTables(pool: pg.Pool): Promise<PostgresTables> {
  const accounts = new PostgresAccounts(pool);
  const profiles = new PostgresVolunteerProfiles(pool);
  const aeds = new PostgresAeds(pool);
  const outbox = new PostgresOutbox(pool);
  const news = new TableNews(pool.options);
  profiles.follow(news);
  aeds.follow(news);
  await news.start();
  try {
    await Promise.all([profiles.load(), aeds.load()]);
  } catch (e) {
    await news.close();
    throw e;
  }
  const tables = [accounts, profiles, aeds, outbox];
  return {
    accounts,
    profiles,
    aeds,
    outbox,
    async apply(client, w) {
      for (const t of tables) if (await t.apply(client, w)) return;
      throw new Error(`no table takes record write ${w.type}`);
    },
    async settle(records) {
      if (records === undefined || records.length === 0) return;
      await Promise.all([profiles.settle(records), aeds.settle(records)]);
    },
    async close() {
      await news.close();
      await Promise.all([profiles.close(), aeds.close()]);
    },
  };
}
