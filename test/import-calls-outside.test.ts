import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/config/configuration.ts';
import { samaritan, type CliRun } from './support/cli.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const CALLS = 'data/sf/sf_fire_calls_2016-12-31_to_2017-01-03.csv';
/** San Francisco International Airport: the city's fire department serves it, though it lies outside the city. */
const SFO = '"(37.6213, -122.379)"';

/**
 * A calls file of two real rows: the first call of the bundled file as it is, and the same row as
 * another call at the airport.
 */
function twoCalls(): string {
  const [header, first] = readFileSync(join(PROJECT_ROOT, CALLS), 'utf8').split('\n');
  const airport = first!.replace(/^163664050,/, '900000001,').replace(/"\([^)]*\)"/, SFO).replace(/163664050-E39\s*$/, '900000001-E39');
  return [header, first, airport, ''].join('\n');
}

describe('samaritan import-calls keeps real calls outside the service area, marked as outside', () => {
  let dir: string;
  let run: CliRun;
  let t: TestServer;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'samaritan-outside-'));
    const file = join(dir, 'calls.csv');
    writeFileSync(file, twoCalls());
    run = await samaritan('import-calls', file, '--data-dir', join(dir, 'data'));
    t = await startTestServer({ dataDir: join(dir, 'data') });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('both calls are imported, the one at the airport too', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Imported 2 incidents with 2 unit responses; skipped 0 already loaded; rejected 0.');
  });

  it('the call at the airport reads as outside the service area, with its real location', async () => {
    const res = await t.request('GET', '/api/incidents/SF-900000001');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ outsideServiceArea: true, location: { lat: 37.6213, lon: -122.379 }, status: 'closed' });
  });

  it('the call in the city is not marked', async () => {
    const res = await t.request('GET', '/api/incidents/SF-163664050');
    expect(res.status).toBe(200);
    expect(res.body).not.toHaveProperty('outsideServiceArea');
  });
});
