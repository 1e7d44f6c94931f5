// The product as the benchmarks see it from outside: `node bin/samaritan.js` as a child process,
// its CLI for tokens, and its HTTP API. Nothing here imports from src/.
import { freePort, runNode, startChild, type ChildServer } from './children.ts';

/**
 * Makes bearer tokens with the product's own CLI (`samaritan token create`), before the server
 * starts. The first run makes the data directory; the others run `parallel` at a time (each is a
 * Node start-up and an open of the store, ~2 s; the store waits on its own lock).
 */
export async function makeTokens(
  dataDir: string,
  role: string,
  names: readonly string[],
  parallel = 3,
  /** Added to the CLI's environment: DATABASE_URL puts the tokens in that PostgreSQL, for every node on it. */
  env: Readonly<Record<string, string>> = {},
): Promise<string[]> {
  const one = async (name: string) => {
    const r = await runNode(['bin/samaritan.js', 'token', 'create', '--data-dir', dataDir, '--role', role, '--name', name], {
      LOG_LEVEL: 'warn',
      ...env,
    });
    const token = r.stdout.trim();
    if (r.code !== 0 || token === '' || token.includes('\n'))
      throw new Error(`samaritan token create --role ${role} --name ${name} failed (exit ${r.code}):\n${r.stderr}`);
    return token;
  };
  const tokens: string[] = [];
  if (names.length === 0) return tokens;
  tokens.push(await one(names[0]!));
  for (let i = 1; i < names.length; i += parallel) tokens.push(...(await Promise.all(names.slice(i, i + parallel).map(one))));
  return tokens;
}

/**
 * `node bin/samaritan.js serve --port P --data-dir D` with LOG_LEVEL=warn, ready when /healthz
 * answers. `env` is added to its environment (DATABASE_URL makes it a node on that PostgreSQL).
 */
export async function startSamaritan(dataDir: string, port?: number, env: Readonly<Record<string, string>> = {}, name = 'samaritan'): Promise<ChildServer> {
  const p = port ?? (await freePort());
  return startChild({
    name,
    port: p,
    args: ['bin/samaritan.js', 'serve', '--port', String(p), '--data-dir', dataDir],
    env: { LOG_LEVEL: 'warn', ...env },
    healthPath: '/healthz',
    startTimeoutMs: 120_000,
  });
}

export interface Answer {
  readonly status: number;
  readonly body: unknown;
}

/** One JSON call; `token` goes in `Authorization: Bearer`. Never throws on a status, only on no answer. */
export async function call(base: string, method: string, path: string, body?: unknown, token?: string): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(base + path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed };
}

/** Like {@link call}, but a status outside 2xx is an error that names the call and shows the answer. */
export async function call2xx(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
): Promise<Record<string, unknown>> {
  const a = await call(base, method, path, body, token);
  if (a.status < 200 || a.status > 299)
    throw new Error(`${method} ${path} answered ${a.status}: ${JSON.stringify(a.body).slice(0, 500)}`);
  return (typeof a.body === 'object' && a.body !== null ? a.body : {}) as Record<string, unknown>;
}

/** The ids of every unit, from GET /api/units. */
export async function unitIds(base: string, token: string): Promise<string[]> {
  const body = await call2xx(base, 'GET', '/api/units', undefined, token);
  const units = (Array.isArray(body['units']) ? body['units'] : Array.isArray(body) ? body : []) as { id?: unknown }[];
  const ids = units.map((u) => u.id).filter((id): id is string => typeof id === 'string');
  if (ids.length === 0) throw new Error('GET /api/units listed no units');
  return ids;
}

/**
 * Incidents in the product's log, counted as IncidentReceived events through GET /api/events: a
 * create of a nature that wants volunteers also writes the volunteer response's events, so the log
 * head is no count. Incremental: each count() reads only the events since the previous one.
 */
export class IncidentCounter {
  private after = 0;
  private total = 0;
  constructor(
    private readonly base: string,
    private readonly token: string,
  ) {}

  async count(): Promise<number> {
    for (;;) {
      const body = await call2xx(this.base, 'GET', `/api/events?after=${this.after}&limit=1000`, undefined, this.token);
      const events = (body['events'] ?? []) as { seq: number; type: string }[];
      if (events.length === 0) return this.total;
      this.total += events.filter((e) => e.type === 'IncidentReceived').length;
      this.after = events[events.length - 1]!.seq;
    }
  }
}

/** Every incident in the product's log (see {@link IncidentCounter}), read from the start. */
export const countIncidents = (base: string, token: string): Promise<number> => new IncidentCounter(base, token).count();

/**
 * A store's count once it stops moving (two reads 100 ms apart agree, or 5 s pass): the answers of
 * requests in flight when a load stops are dropped, but the server still commits them.
 */
export async function settledCount(count: () => Promise<number>): Promise<number> {
  let last = await count();
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const now = await count();
    if (now === last) return now;
    last = now;
  }
  return last;
}
