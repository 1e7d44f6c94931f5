import { UsageError } from './usage-error.ts';
import { asksForHelp, COMMAND_USAGE, HELP } from './usage.ts';
import { DataDirUnusable } from '../composition/data-dir.ts';
import { StorageUnavailable } from '../store/storage-unavailable.ts';

export type CliCommand = (args: string[]) => Promise<number>;

// Each command's modules load when it runs: `samaritan sim` need not load the server (about a second).
const COMMANDS: Readonly<Record<string, () => Promise<CliCommand>>> = {
  serve: async () => (await import('./serve.ts')).serve,
  'import-calls': async () => (await import('./import-calls.ts')).importCalls,
  'import-aeds': async () => (await import('./import-aeds.ts')).importAeds,
  route: async () => (await import('./route.ts')).route,
  calibrate: async () => (await import('./calibrate.ts')).calibrateCommand,
  sim: async () => (await import('./sim.ts')).sim,
  token: async () => (await import('./accounts.ts')).token,
  user: async () => (await import('./accounts.ts')).user,
  migrate: async () => (await import('./migrate.ts')).migrate,
};

/** Runs one CLI command; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  // Whatever a command creates (the database with its -wal and -shm files, keys, the first-start
  // passwords) is its owner's alone, on any umask the shell had.
  process.umask(0o077);
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(HELP);
    return name === undefined ? 1 : 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    process.stderr.write(`samaritan: unknown command "${name}"\n\n${HELP}`);
    return 2;
  }
  if (asksForHelp(rest)) {
    process.stdout.write(`Usage:\n${COMMAND_USAGE[name] ?? ''}`);
    return 0;
  }
  try {
    return await (await load())(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`samaritan ${name}: ${e.message}\n`);
      return 2;
    }
    // The machine's trouble, not a fault of the program: one sentence, no stack.
    if (e instanceof DataDirUnusable) {
      process.stderr.write(`samaritan ${name}: ${e.message}.\n`);
      return 1;
    }
    if (e instanceof StorageUnavailable) {
      process.stderr.write(`samaritan ${name}: cannot write to the data directory: ${e.detail}.\n`);
      return 1;
    }
    throw e;
  }
}
