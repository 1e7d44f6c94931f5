import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/config/configuration.ts';
import { openSamaritan } from '../src/composition/samaritan.ts';
import { incidentId } from '../src/core/ids.ts';
import type { IncidentState } from '../src/core/incident.ts';
import { incidentStream } from '../src/core/streams.ts';
import { parseCsvRecords } from '../src/interop/csv.ts';
import { samaritan, type CliRun } from './support/cli.ts';

const CALLS = 'data/sf/sf_fire_calls_2016-12-31_to_2017-01-03.csv';
const SOURCE = 'DataSF calls for service';

/** The calls of the bundled CSV, counted independently of the importer: one per distinct Call Number. */
const distinctCalls = () =>
  new Set(parseCsvRecords(readFileSync(join(PROJECT_ROOT, CALLS), 'utf8')).map((r) => r['Call Number'])).size;

describe('samaritan CLI', () => {
  it('--help exits 0 and lists the serve, import-calls, token create and user add commands', async () => {
    const run = await samaritan('--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\s+samaritan serve /m);
    expect(run.stdout).toMatch(/^\s+samaritan import-calls /m);
    expect(run.stdout).toMatch(/^\s+samaritan token create /m);
    expect(run.stdout).toMatch(/^\s+samaritan user add /m);
  });

  it('an unknown command exits 2 and says which command it did not know', async () => {
    const run = await samaritan('frobnicate');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown command "frobnicate"');
  });

  it('import-calls with a file that does not exist exits 2 with a message naming the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'samaritan-cli-'));
    try {
      const run = await samaritan('import-calls', 'no/such/calls.csv', '--data-dir', dir);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^samaritan import-calls: cannot read no\/such\/calls\.csv: ENOENT/);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('import-calls without a file, or with an unknown flag, exits 2', async () => {
    expect((await samaritan('import-calls')).code).toBe(2);
    const run = await samaritan('import-calls', CALLS, '--dry-run');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--dry-run');
  });
});

describe('samaritan import-calls on the bundled DataSF calls', () => {
  let dir: string;
  let first: CliRun;
  const calls = distinctCalls();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'samaritan-cli-'));
    first = await samaritan('import-calls', CALLS, '--data-dir', dir);
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('the bundled file holds 3,786 unit rows of 1,800 distinct calls', () => {
    expect(calls).toBe(1800);
  });

  it('imports one incident per call with every unit row as a response, and says so', () => {
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`Read 3786 unit rows from ${CALLS}.`);
    expect(first.stdout).toContain(`Imported ${calls} incidents with 3786 unit responses; skipped 0 already loaded; rejected 0.`);
    expect(first.stdout).toContain('Received between 2016-12-31T08:01:04.000Z and 2017-01-04T07:56:22.000Z.');
    expect(first.stdout).toMatch(/^Natures: medical \d+, /m);
  });

  it('the data dir then holds every call as a closed incident from DataSF, with its real times', async () => {
    const app = await openSamaritan({ dataDir: dir });
    try {
      const closed = (await app.store.list('incident', ['closed'], 1_000_000)) as IncidentState[];
      const imported = closed.filter((i) => i.source === SOURCE);
      expect(imported).toHaveLength(calls);
      expect(
        await app.store.list('incident', ['received', 'dispatched', 'en_route', 'on_scene', 'resolved', 'cancelled']),
      ).toEqual([]);

      const stream = incidentStream(incidentId('SF-163664050'));
      const call = (await app.store.load([stream])).get(stream)!.state as IncidentState;
      expect(call).toMatchObject({ id: 'SF-163664050', status: 'closed', source: SOURCE, externalId: '163664050' });
      // Received 12/31/2016 11:57:56 PM Pacific (PST); E39 available 01/01/2017 12:24:11 AM.
      expect(call.receivedAt).toBe('2017-01-01T07:57:56.000Z');
      expect(call.statusChangedAt).toBe('2017-01-01T08:24:11.000Z');
      expect(call.details).toMatchObject({
        nature: 'citizen_assist',
        priority: 1,
        location: { lat: 37.745858648581, lon: -122.456664252061 },
      });
      expect(call.details.address).toBe('0 Block of BALCETA AVE, San Francisco');
      expect(call.assignments['E39']).toEqual({
        unitId: 'E39',
        status: 'available',
        active: false,
        dispatchedAt: '2017-01-01T07:59:42.000Z',
        enRouteAt: '2017-01-01T08:01:47.000Z',
        onSceneAt: '2017-01-01T08:04:18.000Z',
        clearedAt: '2017-01-01T08:24:11.000Z',
      });
      const timeline = await app.store.readIncidentTimeline('SF-163664050');
      expect(timeline.map((e) => [e.type, e.at])).toEqual([
        ['IncidentReceived', '2017-01-01T07:57:56.000Z'],
        ['UnitResponseRecorded', '2017-01-01T07:59:42.000Z'],
        ['IncidentStatusChanged', '2017-01-01T08:24:11.000Z'],
      ]);
      expect(await app.store.list('station')).toHaveLength(44);
    } finally {
      await app.close();
    }
  });

  it('a second run imports nothing and skips every call already loaded', async () => {
    const again = await samaritan('import-calls', CALLS, '--data-dir', dir);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`Imported 0 incidents with 0 unit responses; skipped ${calls} already loaded; rejected 0.`);
    const app = await openSamaritan({ dataDir: dir });
    try {
      const all = (await app.store.list('incident', undefined, 1_000_000)) as IncidentState[];
      expect(all).toHaveLength(calls);
    } finally {
      await app.close();
    }
  });
});
