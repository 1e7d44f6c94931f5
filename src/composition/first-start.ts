import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatePassword } from '../accounts/passwords.ts';
import { demoVolunteerId } from '../volunteers/demo-volunteers.ts';
import { PASSWORDS_FILE } from './data-dir.ts';
import type { Samaritan } from './samaritan.ts';

export interface Credential {
  readonly name: string;
  readonly role: string;
  readonly password: string;
}

/**
 * On a data dir with no admin yet, creates `admin` with a generated password; with the demo city
 * freshly loaded, also a `dispatcher`. The passwords are returned to be written once to
 * `writeFirstStartPasswords`: only their hashes are kept.
 */
export async function ensureFirstAccounts(app: Samaritan): Promise<Credential[]> {
  const created: Credential[] = [];
  const users = await app.accounts.users();
  if (!users.some((u) => u.role === 'admin')) {
    const password = generatePassword();
    const name = uniqueName('admin', users);
    await app.accounts.addUser(name, 'admin', password, 'first-start');
    created.push({ name, role: 'admin', password });
  }
  if (app.demoCityLoaded && !users.some((u) => u.name === 'dispatcher')) {
    const password = generatePassword();
    await app.accounts.addUser('dispatcher', 'dispatcher', password, 'demo-city');
    created.push({ name: 'dispatcher', role: 'dispatcher', password });
  }
  return created;
}

/**
 * Writes the passwords made on this start to a file only the owner can read (0600, in the 0700
 * data dir) and returns its path: terminal output ends up in scrollback, CI logs and service
 * journals, where a password must not.
 */
export function writeFirstStartPasswords(dataDir: string, created: readonly Credential[]): string {
  const path = join(dataDir, PASSWORDS_FILE);
  const lines = [
    '# Sign-ins created on first start. Only a hash of each password is kept in the database:',
    '# keep these somewhere safe, then delete this file.',
    ...created.map((c) => `${c.role}\tname: ${c.name}\tpassword: ${c.password}`),
  ];
  writeFileSync(path, `${lines.join('\n')}\n`, { mode: 0o600 });
  // The mode of writeFileSync applies only to a new file: one left from an earlier start is closed too.
  chmodSync(path, 0o600);
  return path;
}

const uniqueName = (base: string, users: readonly { name: string }[]) =>
  users.some((u) => u.name === base) ? `${base}-${users.length}` : base;

export interface DemoVolunteerSignIn {
  readonly volunteerId: string;
  readonly token: string;
}

/**
 * With the demo population freshly loaded, a device token for one on-duty demo volunteer, so the
 * volunteer API (GET /api/volunteers/me, alerts) can be tried at once. Printed once, like passwords.
 */
export async function ensureDemoVolunteerToken(app: Samaritan): Promise<DemoVolunteerSignIn | undefined> {
  if (app.demoVolunteers?.loadedNow !== true) return undefined;
  for (let i = 0; i < app.demoVolunteers.count; i++) {
    const volunteerId = demoVolunteerId(i);
    const v = await app.volunteers.state(volunteerId);
    if (!v?.available) continue;
    const { token } = await app.accounts.createToken({ name: 'demo volunteer device', role: 'volunteer', kind: 'device', subject: volunteerId, by: 'demo-population' });
    return { volunteerId, token };
  }
  return undefined;
}
