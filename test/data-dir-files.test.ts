import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { killAllServers, spawnServer } from './support/child-server.ts';
import { samaritan } from './support/cli.ts';

/**
 * The data directory holds the log, personal data of volunteers, push keys and, on first start,
 * passwords: it is its owner's alone, whatever the umask of the shell that started the command.
 */

const modeOf = (path: string) => statSync(path).mode & 0o777;
const octal = (mode: number) => `0${mode.toString(8)}`;
/** Every file and directory under `dir`, with its mode in octal. */
function modes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir, { recursive: true }) as string[]) out[name] = octal(modeOf(join(dir, name)));
  return out;
}

describe('the files of a data directory', () => {
  const roots: string[] = [];
  const root = () => {
    const r = mkdtempSync(join(tmpdir(), 'samaritan-files-'));
    chmodSync(r, 0o755);
    roots.push(r);
    return r;
  };
  afterAll(async () => {
    await killAllServers();
    for (const r of roots) rmSync(r, { recursive: true, force: true });
  });

  it('serve makes a new data dir 0700 with every file 0600, the -wal and -shm files too, and writes the first passwords to a 0600 file whose path it prints instead of them', async () => {
    const dir = join(root(), 'data');
    const previous = process.umask(0o022); // the child inherits a umask that would make files 0644
    let server;
    try {
      server = await spawnServer(dir);
    } finally {
      process.umask(previous);
    }
    try {
      expect(octal(modeOf(dir))).toBe('0700');
      const files = modes(dir);
      for (const name of ['samaritan.db', 'samaritan.db-wal', 'samaritan.db-shm', 'first-start-passwords.txt']) expect(files[name], name).toBe('0600');
      expect(Object.values(files).every((m) => m === '0600')).toBe(true);

      const text = readFileSync(join(dir, 'first-start-passwords.txt'), 'utf8');
      const admin = /^admin\tname: (\S+)\tpassword: (\S+)$/m.exec(text);
      const dispatcher = /^dispatcher\tname: dispatcher\tpassword: (\S+)$/m.exec(text);
      expect(admin).not.toBeNull();
      expect(dispatcher).not.toBeNull();
      const output = server.output();
      expect(output).toContain(join(dir, 'first-start-passwords.txt'));
      expect(output).not.toContain(admin![2]);
      expect(output).not.toContain(dispatcher![1]);
      const signIn = await server.request('POST', '/api/session', { name: admin![1], password: admin![2] });
      expect(signIn.status).toBe(201);
    } finally {
      await server.kill('SIGTERM');
    }
  });

  it('any command closes an existing data dir that was left open: the dir 0700 and the product\'s files in it 0600, while files and folders that are not the product\'s are left as they were', async () => {
    const dir = join(root(), 'data');
    mkdirSync(join(dir, 'keep'), { recursive: true, mode: 0o755 });
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 'keep'), 0o755);
    writeFileSync(join(dir, 'notes.txt'), 'x');
    chmodSync(join(dir, 'notes.txt'), 0o644);
    writeFileSync(join(dir, 'run.sh'), '#!/bin/sh\n');
    chmodSync(join(dir, 'run.sh'), 0o755);
    writeFileSync(join(dir, 'keep', 'more.txt'), 'x');
    chmodSync(join(dir, 'keep', 'more.txt'), 0o666);
    // Left from an earlier start under a lax umask.
    writeFileSync(join(dir, 'first-start-passwords.txt'), 'admin\tname: admin\tpassword: x\n');
    chmodSync(join(dir, 'first-start-passwords.txt'), 0o644);

    const first = await samaritan('token', 'create', '--data-dir', dir, '--role', 'dispatcher', '--name', 'files');
    expect(first.code, first.stderr).toBe(0);
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 'samaritan.db'), 0o644);

    const run = await samaritan('token', 'create', '--data-dir', dir, '--role', 'dispatcher', '--name', 'files-2');
    expect(run.code, run.stderr).toBe(0);
    expect(octal(modeOf(dir))).toBe('0700');
    expect(modes(dir)).toMatchObject({
      'samaritan.db': '0600',
      'first-start-passwords.txt': '0600',
      'notes.txt': '0644',
      'run.sh': '0755',
      keep: '0755',
      [join('keep', 'more.txt')]: '0666',
    });
  });
});
