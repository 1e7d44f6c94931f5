import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { SESSION_TTL_MS } from '../../accounts/accounts.ts';
import type { RouteDeps } from '../route-deps.ts';
import { principalOf, sessionSetCookie } from '../auth.ts';
import { sendError } from '../error-handler.ts';
import type { SignInThrottle } from '../sign-in-throttle.ts';

const SignInBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 100 }), password: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);

const clear = (req: FastifyRequest, reply: FastifyReply) => reply.header('set-cookie', sessionSetCookie(req, '', 0));

/** Console sign-in: an httpOnly, SameSite=Strict session cookie plus a CSRF token for unsafe requests. */
export const sessionRoutes =
  ({ app }: RouteDeps, throttle: SignInThrottle): FastifyPluginAsyncTypebox =>
  async (server) => {
    server.post(
      '/api/session',
      {
        schema: { tags: ['session'], summary: 'Sign in to the console', body: SignInBody },
        config: { rateLimit: { max: 30, timeWindow: 60_000 } },
      },
      async (req, reply) => {
        const { name, password } = req.body;
        // A throttled attempt is not even checked: it can neither succeed nor count as a failure.
        // One that may go ahead is counted as failed before the slow check, so a burst of parallel
        // guesses cannot all pass the throttle while none has failed yet.
        const waitMs = await throttle.attempt(name, req.ip);
        if (waitMs > 0) {
          const retryAfterS = Math.ceil(waitMs / 1000);
          reply.header('retry-after', String(retryAfterS));
          return sendError(reply, 'SignInThrottled', `Too many failed sign-ins for this name from this address; retry in ${retryAfterS} s`, { retryAfterS });
        }
        const signedIn = await app.accounts.signIn(name, password, req.ip);
        if (!signedIn) return sendError(reply, 'Unauthenticated', 'Wrong name or password');
        await throttle.succeeded(name, req.ip);
        const { user, token, csrf } = signedIn;
        reply.header('set-cookie', sessionSetCookie(req, token, SESSION_TTL_MS / 1000));
        return reply.code(201).send({ user: { id: user.id, name: user.name, role: user.role }, csrfToken: csrf });
      },
    );

    server.get('/api/session', { schema: { tags: ['session'], summary: 'Who is signed in, and the CSRF token' } }, async (req) => {
      const p = principalOf(req);
      return { user: { id: p.subject, name: p.name, role: p.role }, via: p.via, ...(p.csrf ? { csrfToken: p.csrf } : {}) };
    });

    server.delete('/api/session', { schema: { tags: ['session'], summary: 'Sign out' } }, async (req, reply) => {
      const p = principalOf(req);
      if (p.via === 'session') await app.accounts.signOut(p);
      clear(req, reply);
      return reply.code(204).send();
    });
  };
