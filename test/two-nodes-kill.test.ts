import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from './support/postgres.ts';
import { killRound } from './support/two-nodes.ts';

/**
 * Two server processes on one PostgreSQL, a client on each, work on both; one node is killed with
 * SIGKILL and its client resumes on the other (test/support/two-nodes.ts). Three rounds here, the
 * first and third killing the leader, the second the other node; `bench/two-nodes-kill.ts` runs twenty.
 */
describe('two nodes on one PostgreSQL, one killed with SIGKILL while taking writes', () => {
  let pg: TestPostgres;
  beforeAll(async () => {
    pg = await startTestPostgres();
  }, 120_000);
  afterAll(async () => {
    await pg?.stop();
  });

  for (const round of [0, 1, 2]) {
    it(`round ${round + 1}: the client resumes on the survivor with nothing lost or repeated, every timer fires once, the demo city is seeded once`, async () => {
      const { problems, figures } = await killRound(pg, round);
      expect(problems).toEqual([]);
      // The round did what it says: work on both nodes, timers that fired, alerts after the kill.
      expect(figures.incidents).toBe(6);
      expect(figures.dispatches).toBe(6);
      expect(figures.accepted).toBe(6);
      expect(figures.expired + figures.laterWaves).toBeGreaterThan(0);
      expect(figures.resumedFrom).toBeGreaterThan(0);
      expect(figures.killedLeader).toBe(round % 2 === 0);
      // It was killed while taking writes; each one it answered is in the log (checked in the round).
      expect(figures.answeredDuringKill).toBeGreaterThanOrEqual(5);
    }, 240_000);
  }
});
