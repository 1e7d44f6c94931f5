import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSamaritan } from '../src/composition/samaritan.ts';
import { samaritan } from './support/cli.ts';
import { startTestServer, type TestServer } from './support/server.ts';

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
