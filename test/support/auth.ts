import { channel } from 'node:diagnostics_channel';
import type { FastifyInstance } from 'fastify';
import { SESSION_COOKIE } from '../../src/server/auth.ts';
import type { TestResponse, TestServer } from './server.ts';

/** Headers that carry a bearer token (and nothing else). */
export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

/** Headers of a console request: the session cookie, its CSRF token, and no bearer token. */
export const sessionHeaders = (session: { cookie: string; csrf?: string }): Record<string, string> => ({
  authorization: '',
  cookie: session.cookie,
  ...(session.csrf === undefined ? {} : { 'x-csrf-token': session.csrf }),
});

export interface SignedIn {
  readonly res: TestResponse;
  /** `samaritan_session=<id>`, ready for a Cookie header. */
  readonly cookie: string;
  /** The raw Set-Cookie header. */
  readonly setCookie: string;
  readonly csrf: string;
}

/** Signs in over HTTP (POST /api/session), sending `extra` headers too; fails unless 201. */
export async function signIn(t: TestServer, name: string, password: string, extra: Record<string, string> = {}): Promise<SignedIn> {
  const res = await t.request('POST', '/api/session', { name, password }, { authorization: '', ...extra });
  if (res.status !== 201) throw new Error(`sign-in of ${name} answered ${res.status}: ${res.text}`);
  const setCookie = res.headers.get('set-cookie') ?? '';
  return { res, setCookie, cookie: setCookie.split(';')[0]!, csrf: res.body.csrfToken as string };
}

/** The session cookie for a session token issued by Accounts.signIn directly (no HTTP). */
export const cookieFor = (token: string) => `${SESSION_COOKIE}=${encodeURIComponent(token)}`;

/** The id part of a `sam_<id>_<secret>` bearer token. */
export const tokenIdOf = (token: string) => token.slice(4, 16);

/** Every method and url the server registered, as Fastify's onRoute hook saw them (HEAD included). */
export interface RouteRecorder {
  readonly routes: Set<string>;
  stop(): void;
}

/**
 * Records the routes of every Fastify instance created while it runs, through Fastify's
 * `fastify.initialization` diagnostics channel: an onRoute hook is added before any plugin loads.
 */
export function recordRoutes(): RouteRecorder {
  const routes = new Set<string>();
  const init = channel('fastify.initialization');
  const onInit = (message: unknown) => {
    const { fastify } = message as { fastify: FastifyInstance };
    fastify.addHook('onRoute', (route) => {
      for (const m of Array.isArray(route.method) ? route.method : [route.method]) routes.add(`${m} ${route.url}`);
    });
  };
  init.subscribe(onInit);
  return { routes, stop: () => init.unsubscribe(onInit) };
}

/** Full paths and methods from Fastify's printRoutes tree ("├── /api/units (GET, HEAD)", nested by 4 columns). */
export function printedRoutes(tree: string): string[] {
  const stack: string[] = [];
  const out: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^(.*?)[├└]── (\S+) \(([A-Z, ]+)\)$/.exec(line);
    if (!m) continue;
    stack.length = m[1]!.length / 4;
    stack.push(m[2]!);
    for (const method of m[3]!.split(', ')) out.push(`${method} ${stack.join('')}`);
  }
  return out;
}

/** Runs `tasks` with at most `limit` in flight; resolves with their results in order. */
export async function bounded<T>(limit: number, tasks: readonly (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}
