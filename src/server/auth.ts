import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Accounts, Principal } from '../accounts/accounts.ts';
import { allows, ruleFor, takesKind } from './access.ts';
import { HttpError } from './error-status.ts';

export const SESSION_COOKIE = 'samaritan_session';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

/** Compares a presented secret with the expected one in constant time. */
function sameSecret(presented: string | string[] | undefined, expected: string | undefined): boolean {
  if (typeof presented !== 'string' || expected === undefined) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The Set-Cookie value of a session id: httpOnly, SameSite=Strict, ending when the session does
 * (sent again each time the server moves the session's end on).
 */
export function sessionSetCookie(req: FastifyRequest, value: string, maxAgeS: number): string {
  const secure = req.protocol === 'https' ? '; Secure' : '';
  return `${SESSION_COOKIE}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeS}${secure}`;
}

/** The principal of an authenticated request; routes behind a non-public rule always have one. */
export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw new HttpError('Unauthenticated', 'Sign in or send a bearer token');
  return req.principal;
}

/** The session id in the request's cookie, if any. */
export function sessionCookie(req: FastifyRequest): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k !== SESSION_COOKIE) continue;
    try {
      return decodeURIComponent(v.join('='));
    } catch {
      return v.join('='); // not percent-encoding: not a session id of ours either, so 401, not 500
    }
  }
  return undefined;
}

/**
 * A WebSocket route a browser opens without a bearer header may take a single-use `?ticket=`
 * instead (its route config's `ticketAuth` spends it); only an upgrade spends one.
 */
export type TicketAuth = (ticket: string) => Promise<Principal | undefined>;

function ticketOf(req: FastifyRequest): Promise<Principal | undefined> | undefined {
  const redeem = (req.routeOptions.config as { ticketAuth?: TicketAuth } | undefined)?.ticketAuth;
  const ticket = (req.query as { ticket?: unknown } | undefined)?.ticket;
  return redeem !== undefined && req.ws && typeof ticket === 'string' ? redeem(ticket) : undefined;
}

/**
 * Authenticates every request and authorizes it against the one table in access.ts, before the
 * body is even parsed. Bearer tokens are for scripts and integrations; the console's session
 * cookie also needs the session's CSRF token on every unsafe request.
 */
export function installAuth(server: FastifyInstance, accounts: Accounts): void {
  server.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const m of methods) {
      if (m === 'HEAD' || m === 'OPTIONS') continue;
      if (!ruleFor(m, route.url)) throw new Error(`No authorization rule for ${m} ${route.url}: add it to src/server/access.ts`);
    }
  });

  server.addHook('onRequest', async (req, reply) => {
    const url = req.routeOptions.url;
    if (url === undefined) return; // no route: the not-found handler answers
    const rule = ruleFor(req.method, url);
    if (rule === undefined) throw new HttpError('Forbidden', 'This route has no authorization rule');
    if (rule === 'public') return;

    const auth = req.headers.authorization;
    let principal: Principal | undefined;
    const byTicket = auth === undefined ? ticketOf(req) : undefined;
    if (byTicket !== undefined) {
      principal = await byTicket;
      if (!principal) throw new HttpError('Unauthenticated', 'The ticket is not valid: expired, already used, or its credential no longer works');
    } else if (auth !== undefined) {
      const m = /^Bearer\s+(\S+)$/i.exec(auth);
      principal = m ? await accounts.authenticate(m[1]!, 'bearer') : undefined;
      if (!principal) throw new HttpError('Unauthenticated', 'The bearer token is not valid');
    } else {
      const cookie = sessionCookie(req);
      if (cookie === undefined) throw new HttpError('Unauthenticated', 'Sign in or send a bearer token');
      const session = await accounts.authenticated(cookie, 'session');
      if (!session) throw new HttpError('Unauthenticated', 'The session has ended; sign in again');
      principal = session.principal;
      // The browser drops the cookie at its Max-Age: it must end with the session, not 12 h after sign-in.
      if (session.extendedForMs !== undefined) reply.header('set-cookie', sessionSetCookie(req, cookie, Math.floor(session.extendedForMs / 1000)));
      if (UNSAFE.has(req.method) && !sameSecret(req.headers['x-csrf-token'], principal.csrf)) {
        throw new HttpError('CsrfTokenInvalid', 'Send the session’s CSRF token in the x-csrf-token header');
      }
    }
    if (!takesKind(rule, principal.via)) {
      const what =
        principal.via === 'device'
          ? 'A volunteer’s device token'
          : principal.via === 'session'
            ? 'A console session'
            : 'A bearer token';
      throw new HttpError('WrongCredentialKind', `${what} may not ${req.method} ${url}`, { via: principal.via });
    }
    if (!allows(rule, principal.role, principal.scopes)) {
      throw new HttpError('Forbidden', `Role ${principal.role} may not ${req.method} ${url}`, { role: principal.role });
    }
    req.principal = principal;
  });

  // What a credential reads is for its holder only: no shared cache or browser cache may keep it,
  // unless its route asked for the holder's own cache to keep it (`private`: the static street map).
  server.addHook('onSend', async (req, reply) => {
    if (String(reply.getHeader('cache-control') ?? '').startsWith('private')) return;
    if (
      req.principal !== undefined ||
      req.headers.authorization !== undefined ||
      sessionCookie(req) !== undefined ||
      reply.hasHeader('set-cookie')
    ) {
      reply.header('cache-control', 'no-store');
    }
  });
}
