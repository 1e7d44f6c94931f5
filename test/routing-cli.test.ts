/* `samaritan route` and `samaritan calibrate`, run as a user runs them. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/config/configuration.ts';

const samaritan = (...args: string[]) => {
  const r = spawnSync(process.execPath, ['bin/samaritan.js', ...args], { cwd: PROJECT_ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

describe('samaritan route', () => {
  it('prints_exactly_time_distance_and_a_geojson_line_with_json', () => {
    const r = samaritan('route', '--from', '37.7793,-122.4193', '--to', '37.8080,-122.4177', '--json');
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['timeS', 'distanceM', 'geometry']);
    expect(body.geometry).toMatchObject({ type: 'LineString' });
    expect((body.geometry as { coordinates: unknown[] }).coordinates.length).toBeGreaterThan(2);
    expect(r.stderr).toBe('');
  });

  it('prints_a_readable_line_without_json', () => {
    const r = samaritan('route', '--from', '37.7793,-122.4193', '--to', '37.7850,-122.4100', '--profile', 'walk');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Walking: 1\.\d\d km in \d+ min \d\d s/);
  });

  it('names_the_bad_flag_value', () => {
    const r = samaritan('route', '--from', '37.7793', '--to', '37.8080,-122.4177');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--from must be "lat,lon"/);
    expect(samaritan('route', '--from', '37.7793,-122.4193', '--to', '37.8080,-122.4177', '--profile', 'fly').stderr).toMatch(/--profile must be one of drive, walk/);
  });

  it('a_point_off_the_map_is_NoRoute_with_exit_code_1', () => {
    const r = samaritan('route', '--from', '37.7793,-122.4193', '--to', '38.5,-121.5', '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'NoRoute' } });
  });
});

describe('samaritan calibrate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'samaritan-calibrate-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fits_the_drive_profile_to_own_station_runs_writes_it_and_reports_the_error', () => {
    const out = join(dir, 'drive-profile.json');
    const r = samaritan('calibrate', 'data/sf/sf_fire_calls_2016-12-31_to_2017-01-03.csv', '--out', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/calibrated profile: +median \d+ s, p90 \d+ s/);
    const written = JSON.parse(readFileSync(out, 'utf8')) as { speedsMps: Record<string, number>; fit: { runs: number; medianAbsErrorS: number; p90AbsErrorS: number; straightLine: { medianAbsErrorS: number } } };
    expect(written.fit.runs).toBeGreaterThan(500);
    expect(written.fit.medianAbsErrorS).toBeLessThan(written.fit.straightLine.medianAbsErrorS);
    expect(written.speedsMps.arterial).toBeGreaterThan(written.speedsMps.street!);
  });
});
