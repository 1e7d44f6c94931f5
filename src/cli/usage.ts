/** Each command's usage, printed by `samaritan <command> --help` and, together, by `samaritan --help`. */
export const COMMAND_USAGE: Readonly<Record<string, string>> = {
  serve: `  samaritan serve [--port <p>] [--host <h>] [--data-dir <dir>]
      Start the server (default http://127.0.0.1:8080, data in ./var). A new data
      directory is loaded with the San Francisco demo city; the passwords of the
      first sign-ins are written to first-start-passwords.txt in it (mode 0600).
`,
  'import-calls': `  samaritan import-calls <calls.csv> [--data-dir <dir>]
      Load DataSF "Fire Department Calls for Service" rows as closed incidents with
      their real timestamps. Safe to run twice: calls already loaded are skipped.
`,
  'import-aeds': `  samaritan import-aeds <aeds.csv|aeds.geojson> [--format csv|geojson] [--data-dir <dir>]
      Load an AED registry file (id, placeName, lat, lon, floor, access, hours in
      OSM opening_hours syntax, status). All or nothing; known ids are replaced.
`,
  token: `  samaritan token create --role <role> --name <name> [--scope <s>]... [--volunteer <id>] [--expires-in-days <n>] [--data-dir <dir>]
      Print a new bearer token (and nothing else). Roles: call_taker, dispatcher,
      supervisor, admin, volunteer, integration. Integrations need scopes, e.g.
      incidents:read incidents:write units:read units:write positions:write events:read.
      --role volunteer --volunteer <id> makes that volunteer's device token (to act as
      a demo volunteer, e.g. one alerted for an incident). Integration tokens end after
      --expires-in-days (default 90).
`,
  user: `  samaritan user add --role <role> --name <name> --password <pw> [--data-dir <dir>]
      Add a console user.
`,
  migrate: `  samaritan migrate [--database-url <postgres://…>]
      Bring the PostgreSQL database (DATABASE_URL, or --database-url) up to this
      release's schema and print the migrations applied; each node also does it on
      start, one at a time. Without a database set, SQLite needs no migration.
`,
  route: `  samaritan route --from <lat,lon> --to <lat,lon> [--profile drive|walk] [--unit-type <t>] [--json]
      The quickest road route on the San Francisco demo graph: time, distance and line.
`,
  calibrate: `  samaritan calibrate <calls.csv> [--out config/drive-profile.json]
      Fit the drive profile to real runs from own stations; print the error of the fit.
`,
  sim: `  samaritan sim --calls <calls.csv> [--scenario <file>] [--json <out>] [--html <out>] [--csv <out>] [--neris-csv <out>] [--seed <n>] [--policies a,b] [--no-recruitment]
      Replay DataSF calls through the core under each dispatch policy (straight_line,
      routed, routed_volunteers) and report response intervals against the real ones,
      NFPA 1710 shares, volunteers first on scene, unit utilisation and where recruiting
      volunteers saves the most minutes. Same inputs and seed: the same JSON, byte for byte.
`,
};

export const HELP = `samaritan: dispatch for fire and rescue

Usage:
${Object.values(COMMAND_USAGE).join('')}  samaritan --help, samaritan <command> --help

Environment: PORT (default port), LOG_LEVEL (info).
Docs: README.md, docs/, and /docs on a running server.
`;

/** `args` ask for help (`--help` or `-h`) before any value that the option parser would read. */
export const asksForHelp = (args: readonly string[]): boolean => args.includes('--help') || args.includes('-h');
