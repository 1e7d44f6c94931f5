import { openSamaritan, type Samaritan } from '../composition/samaritan.ts';
import { ensureDemoVolunteerToken, ensureFirstAccounts, writeFirstStartPasswords, type DemoVolunteerSignIn } from '../composition/first-start.ts';
import { buildServer } from '../server/app.ts';
import { DEFAULT_DATA_DIR, parse } from './args.ts';
import { databaseFromEnv } from './database-url.ts';
import { UsageError } from './usage-error.ts';

export async function serve(args: string[]): Promise<number> {
  const { values } = parse(args, {
    port: { type: 'string' },
    host: { type: 'string' },
    'data-dir': { type: 'string' },
  });
  const port = Number(values.port ?? process.env['PORT'] ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0..65535, not ${values.port}`);
  const dataDir = values['data-dir'] ?? DEFAULT_DATA_DIR;
  const app = await openSamaritan({ dataDir, demoVolunteers: true, ...databaseFromEnv() });
  // Two nodes starting on an empty database: one makes the first accounts, the other finds them.
  const created = await app.cluster.exclusive('first-accounts', () => ensureFirstAccounts(app));
  const passwordsFile = created.length > 0 ? writeFirstStartPasswords(dataDir, created) : undefined;
  const demoVolunteer = await ensureDemoVolunteerToken(app);
  const server = await buildServer(app, { logger: { level: process.env['LOG_LEVEL'] ?? 'info' } });
  const address = await server.listen({ port, host: values.host ?? '127.0.0.1' });
  const [units, stations] = [(await app.store.list('unit')).length, (await app.store.list('station')).length];
  process.stdout.write(
    `\nSamaritan is listening on ${address}\n` +
      `  console: ${address}/   (dispatchers sign in in the page)\n` +
      `  responder app, for volunteers' phones: ${address}/responder/\n` +
      `  data: ${dataDir}${app.demoCityLoaded ? ' (new: San Francisco demo city loaded)' : ''}\n` +
      `  store: ${app.storeDescription}\n` +
      `  city: ${stations} stations, ${units} units\n` +
      volunteerLines(app, address, demoVolunteer) +
      `  API docs: ${address}/docs\n` +
      (passwordsFile !== undefined
        ? `\n  Sign-in created for this data dir: ${created.map((c) => `${c.role} "${c.name}"`).join(', ')}.\n` +
          `  Their passwords are in ${passwordsFile} (readable by you only; only a hash is kept).\n` +
          `  Sign in: curl -c cookies -XPOST ${address}/api/session -H 'content-type: application/json' -d '{"name":"…","password":"…"}'\n` +
          `  Tokens for scripts: npx samaritan token create --data-dir ${dataDir} --role dispatcher --name my-script\n`
        : '') +
      '\n',
  );
  const stop = async () => {
    await server.close();
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  return new Promise<number>(() => {}); // runs until a signal
}

const n = (x: number) => x.toLocaleString('en-US');

/** The demo population and AEDs, and how to act as a demo volunteer (a token printed once). */
function volunteerLines(app: Samaritan, address: string, signIn: DemoVolunteerSignIn | undefined): string {
  const d = app.demoVolunteers;
  const synthetic = app.aeds.all().filter((a) => a.synthetic).length;
  const aeds = `  AEDs: ${n(app.aeds.size)}${synthetic > 0 ? ` (${n(synthetic)} synthetic, generated from public buildings)` : ''}\n`;
  if (!d) return aeds;
  return (
    `  volunteers: ${n(d.count)} synthetic demo volunteers (1 % of ${n(d.residents)} residents), ${n(d.available)} on duty, ${n(d.placed)} placed on the live map\n` +
    aeds +
    (signIn
      ? `\n  Demo volunteer (synthetic) ${signIn.volunteerId}, device token (shown once): ${signIn.token}\n` +
        `  Act as them: curl -H 'authorization: Bearer ${signIn.token}' ${address}/api/volunteers/me\n` +
        `  Sign up a new volunteer: curl -XPOST ${address}/api/volunteers -H 'content-type: application/json' -d '{"name":"…","phone":"…","locationConsent":true}'\n`
      : '')
  );
}
