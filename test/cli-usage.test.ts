import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { samaritan, type CliRun } from './support/cli.ts';

const COMMANDS = ['serve', 'import-calls', 'import-aeds', 'token', 'user', 'route', 'calibrate', 'sim', 'migrate'];

describe('samaritan <command> --help', () => {
  it.each(COMMANDS)('`samaritan %s --help` prints that command\'s usage on stdout and exits 0', async (name) => {
    const run = await samaritan(name, '--help');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(new RegExp(`^Usage:\\n  samaritan ${name} `));
    // That command's usage only, not the list of every command.
    expect(run.stdout.match(/^ {2}samaritan /gm)).toHaveLength(1);
  });

  it('`-h`, and help after a verb or other flags, print the usage too, before any check of the flags', async () => {
    const runs = await Promise.all([samaritan('token', 'create', '--help'), samaritan('user', 'add', '-h'), samaritan('route', '--from', 'nowhere', '--help')]);
    for (const run of runs) {
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^Usage:\n {2}samaritan (token create|user add|route) /);
    }
  });
});

/** One sentence on stderr, exit 1: no stack trace, no second line. */
function expectOneSentence(run: CliRun, about: string) {
  expect(run.code, run.stderr).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr).not.toMatch(/^\s+at /m);
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(run.stderr).toContain(about);
  expect(run.stderr.trimEnd()).toMatch(/\.$/);
}

describe('a data directory that cannot be used', () => {
  const root = mkdtempSync(join(tmpdir(), 'samaritan-unusable-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const aFile = join(root, 'a-file');
  writeFileSync(aFile, 'not a directory');
  const aeds = join(root, 'aeds.csv');
  writeFileSync(aeds, 'id,placeName,lat,lon,floor,access,hours,status\nA1,City Hall,37.7793,-122.4193,1,lobby,24/7,in_service\n');

  it('`serve --port 0` under /proc says so in one sentence and exits 1', async () => {
    expectOneSentence(await samaritan('serve', '--port', '0', '--data-dir', '/proc/samaritan-x'), '/proc/samaritan-x');
  });

  it('every command that takes --data-dir says so in one sentence and exits 1, for a path under a file too', async () => {
    const dirs = ['/proc/samaritan-x', join(aFile, 'data')];
    for (const dir of dirs) {
      const runs = await Promise.all([
        samaritan('serve', '--port', '0', '--data-dir', dir),
        samaritan('token', 'create', '--role', 'dispatcher', '--name', 'x', '--data-dir', dir),
        samaritan('user', 'add', '--role', 'admin', '--name', 'x', '--password', 'a long enough password', '--data-dir', dir),
        samaritan('import-aeds', aeds, '--data-dir', dir),
        samaritan('import-calls', 'data/sf/sf_fire_calls_2016-12-31_to_2017-01-03.csv', '--data-dir', dir),
      ]);
      for (const run of runs) expectOneSentence(run, dir);
    }
  });

  it('a database file that cannot be opened (a directory in its place) is one sentence and exit 1', async () => {
    const dir = join(root, 'broken');
    mkdirSync(join(dir, 'samaritan.db'), { recursive: true });
    const run = await samaritan('token', 'create', '--role', 'dispatcher', '--name', 'x', '--data-dir', dir);
    expectOneSentence(run, 'cannot open the database');
  });
});
