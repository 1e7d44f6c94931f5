import { isRole, isScope, type Scope } from '../core/roles.ts';
import { daysToMs } from '../accounts/account-settings.ts';
import { openSamaritan } from '../composition/samaritan.ts';
import { DEFAULT_DATA_DIR, parse } from './args.ts';
import { databaseFromEnv } from './database-url.ts';
import { UsageError } from './usage-error.ts';

/**
 * `samaritan token create`: prints a bearer token and nothing else on stdout. Works with the server
 * stopped, on a new data dir too (the demo city is then loaded by the first `serve`).
 */
export async function token(args: string[]): Promise<number> {
  const [verb, ...rest] = args;
  if (verb !== 'create') {
    throw new UsageError('usage: samaritan token create --role <role> --name <name> [--scope <scope>]... [--volunteer <id>] [--expires-in-days <n>] [--data-dir <dir>]');
  }
  const { values } = parse(rest, {
    'data-dir': { type: 'string' },
    role: { type: 'string' },
    name: { type: 'string' },
    scope: { type: 'string', multiple: true },
    volunteer: { type: 'string' },
    'expires-in-days': { type: 'string' },
  });
  const role = values.role ?? '';
  if (!isRole(role)) throw new UsageError(`--role must be one of call_taker, dispatcher, supervisor, admin, volunteer, integration`);
  if (!values.name) throw new UsageError('--name is required');
  const scopes = values.scope ?? [];
  const bad = scopes.find((s) => !isScope(s));
  if (bad !== undefined) throw new UsageError(`unknown scope ${bad}`);
  const volunteer = values.volunteer;
  if (volunteer !== undefined && role !== 'volunteer') throw new UsageError('--volunteer needs --role volunteer');
  const days = values['expires-in-days'] === undefined ? undefined : Number(values['expires-in-days']);
  if (days !== undefined && !(Number.isInteger(days) && days >= 1 && days <= 3650)) throw new UsageError('--expires-in-days must be a whole number of days from 1 to 3650');
  if (days !== undefined && volunteer !== undefined) throw new UsageError('--expires-in-days is for integration tokens; a volunteer’s device token does not expire');
  const app = await openSamaritan({ dataDir: values['data-dir'] ?? DEFAULT_DATA_DIR, demoCity: false, background: false, ...databaseFromEnv() });
  try {
    if (volunteer !== undefined && !(await app.store.load([`volunteer-${volunteer}`])).has(`volunteer-${volunteer}`)) {
      throw new UsageError(`no volunteer has id ${volunteer}`);
    }
    // A token bound to a volunteer is that volunteer's device token: it acts as them (e.g. a demo volunteer).
    const { token } = await app.accounts.createToken({
      name: values.name,
      role,
      scopes: scopes as Scope[],
      by: 'cli',
      ...(volunteer === undefined ? {} : { kind: 'device' as const, subject: volunteer }),
      ...(days === undefined ? {} : { ttlMs: daysToMs(days) }),
    });
    process.stdout.write(`${token}\n`);
  } finally {
    await app.close();
  }
  return 0;
}

/** `samaritan user add`: a console user who signs in with a name and password. */
export async function user(args: string[]): Promise<number> {
  const [verb, ...rest] = args;
  if (verb !== 'add') throw new UsageError('usage: samaritan user add --role <role> --name <name> --password <pw> [--data-dir <dir>]');
  const { values } = parse(rest, {
    'data-dir': { type: 'string' },
    role: { type: 'string' },
    name: { type: 'string' },
    password: { type: 'string' },
  });
  const role = values.role ?? '';
  if (!isRole(role)) throw new UsageError(`--role must be one of call_taker, dispatcher, supervisor, admin, volunteer, integration`);
  if (!values.name) throw new UsageError('--name is required');
  if (!values.password || values.password.length < 12) throw new UsageError('--password must have at least 12 characters');
  const app = await openSamaritan({ dataDir: values['data-dir'] ?? DEFAULT_DATA_DIR, demoCity: false, background: false, ...databaseFromEnv() });
  try {
    if (await app.accounts.userByName(values.name)) throw new UsageError(`user ${values.name} already exists`);
    const u = await app.accounts.addUser(values.name, role, values.password, 'cli');
    process.stdout.write(`added ${u.name} (${u.role})\n`);
  } finally {
    await app.close();
  }
  return 0;
}
