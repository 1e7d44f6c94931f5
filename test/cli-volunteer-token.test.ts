import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSamaritan } from '../src/app/samaritan.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

async function samaritan(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['bin/samaritan.js', ...args], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('token create --volunteer: acting as a (demo) volunteer', () => {
  const dir = mkdtempSync(join(tmpdir(), 'samaritan-volunteer-token-'));
  let t: TestServer;
  beforeAll(async () => {
    const app = await openSamaritan({ dataDir: dir, demoVolunteers: 3 });
    await app.close();
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('makes a device token bound to that volunteer, which reads their own profile', async () => {
    const run = await samaritan('token', 'create', '--data-dir', dir, '--role', 'volunteer', '--name', 'demo', '--volunteer', 'demo-00001');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^dev_\S+\n$/);
    t = await startTestServer({ dataDir: dir });
    const me = await t.request('GET', '/api/volunteers/me', undefined, { authorization: `Bearer ${run.stdout.trim()}` });
    expect(me.status, me.text).toBe(200);
    expect(me.body.id).toBe('demo-00001');
  });

  it('refuses an unknown volunteer, or a role other than volunteer, with exit 2 and no token', async () => {
    const unknown = await samaritan('token', 'create', '--data-dir', dir, '--role', 'volunteer', '--name', 'x', '--volunteer', 'nobody');
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toMatch(/no volunteer has id nobody/);
    const wrongRole = await samaritan('token', 'create', '--data-dir', dir, '--role', 'dispatcher', '--name', 'x', '--volunteer', 'demo-00001');
    expect(wrongRole.code).toBe(2);
    expect(wrongRole.stdout).toBe('');
  });
});
