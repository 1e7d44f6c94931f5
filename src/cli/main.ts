import { token, user } from './accounts.ts';
import { importAeds } from './import-aeds.ts';
import { importCalls } from './import-calls.ts';
import { calibrateCommand } from './calibrate.ts';
import { route } from './route.ts';
import { serve } from './serve.ts';
import { UsageError } from './usage-error.ts';

const HELP = `samaritan: dispatch for fire and rescue

Usage:
  samaritan serve [--port <p>] [--host <h>] [--data-dir <dir>]
      Start the server (default http://127.0.0.1:8080, data in ./var). A new data
      directory is loaded with the San Francisco demo city.
  samaritan import-calls <calls.csv> [--data-dir <dir>]
      Load DataSF "Fire Department Calls for Service" rows as closed incidents with
      their real timestamps. Safe to run twice: calls already loaded are skipped.
  samaritan import-aeds <aeds.csv|aeds.geojson> [--format csv|geojson] [--data-dir <dir>]
      Load an AED registry file (id, placeName, lat, lon, floor, access, hours in
      OSM opening_hours syntax, status). All or nothing; known ids are replaced.
  samaritan token create --role <role> --name <name> [--scope <s>]... [--volunteer <id>] [--data-dir <dir>]
      Print a new bearer token (and nothing else). Roles: call_taker, dispatcher,
      supervisor, admin, volunteer, integration. Integrations need scopes, e.g.
      incidents:read incidents:write units:read units:write positions:write events:read.
      --role volunteer --volunteer <id> makes that volunteer's device token (to act as
      a demo volunteer, e.g. one alerted for an incident).
  samaritan user add --role <role> --name <name> --password <pw> [--data-dir <dir>]
      Add a console user.
  samaritan route --from <lat,lon> --to <lat,lon> [--profile drive|walk] [--unit-type <t>] [--json]
      The quickest road route on the San Francisco demo graph: time, distance and line.
  samaritan calibrate <calls.csv> [--out config/drive-profile.json]
      Fit the drive profile to real runs from own stations; print the error of the fit.
  samaritan --help

Environment: PORT (default port), LOG_LEVEL (info).
Docs: README.md, docs/, and /docs on a running server.
`;

export type CliCommand = (args: string[]) => Promise<number>;

const COMMANDS: Readonly<Record<string, CliCommand>> = {
  serve,
  'import-calls': importCalls,
  'import-aeds': importAeds,
  route,
  calibrate: calibrateCommand,
  token,
  user,
};

/** Runs one CLI command; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(HELP);
    return name === undefined ? 1 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`samaritan: unknown command "${name}"\n\n${HELP}`);
    return 2;
  }
  try {
    return await command(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`samaritan ${name}: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
