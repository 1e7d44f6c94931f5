import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ROLES, SCOPES, type Role, type Scope } from '../../core/roles.ts';
import { daysToMs } from '../../accounts/account-settings.ts';
import type { TokenRecord } from '../../store/account-store.ts';
import type { RouteDeps } from '../route-deps.ts';
import { principalOf } from '../auth.ts';
import { sendError } from '../error-handler.ts';

const RoleSchema = Type.Union(ROLES.map((r) => Type.Literal(r)));
const ScopeSchema = Type.Union(SCOPES.map((s) => Type.Literal(s)));
const Name = Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_.@ -]+$' });
const Id = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }) });

const tokenView = (t: TokenRecord) => ({
  id: t.id,
  name: t.name,
  role: t.role,
  scopes: t.scopes,
  createdAt: t.createdAt,
  ...(t.expiresAt === undefined ? {} : { expiresAt: t.expiresAt }),
  ...(t.revokedAt === undefined ? {} : { revokedAt: t.revokedAt }),
});

/** Users and integration tokens, for admins. Every change is audited in the log. */
export const accountRoutes =
  ({ app }: RouteDeps): FastifyPluginAsyncTypebox =>
  async (server) => {
    const tags = ['accounts'];
    server.post(
      '/api/tokens',
      {
        schema: {
          tags,
          summary: 'Issue a bearer token (shown once); it expires after expiresInDays (default 90, or SAMARITAN_TOKEN_TTL_DAYS)',
          body: Type.Object(
            {
              name: Name,
              role: RoleSchema,
              scopes: Type.Optional(Type.Array(ScopeSchema, { maxItems: SCOPES.length })),
              expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
            },
            { additionalProperties: false },
          ),
        },
        config: { rateLimit: { max: 30, timeWindow: 60_000, keyGenerator: (req) => req.principal?.credentialId ?? req.ip } },
      },
      async (req, reply) => {
        const by = principalOf(req).name;
        const { token, record } = await app.accounts.createToken({
          name: req.body.name,
          role: req.body.role as Role,
          scopes: (req.body.scopes ?? []) as Scope[],
          ...(req.body.expiresInDays === undefined ? {} : { ttlMs: daysToMs(req.body.expiresInDays) }),
          by,
        });
        return reply.code(201).send({ ...tokenView(record), token });
      },
    );

    server.get('/api/tokens', { schema: { tags, summary: 'List tokens (never their secrets)' } }, async () => ({
      tokens: (await app.accounts.tokens('api')).map(tokenView),
    }));

    server.delete('/api/tokens/:id', { schema: { tags, summary: 'Revoke a token', params: Id } }, async (req, reply) => {
      const revoked = await app.accounts.revokeToken(req.params.id, principalOf(req).name);
      return revoked ? reply.code(204).send() : sendError(reply, 'UnknownToken', `No active token has id ${req.params.id}`);
    });

    server.post(
      '/api/users',
      {
        schema: {
          tags,
          summary: 'Add a console user',
          body: Type.Object({ name: Name, role: RoleSchema, password: Type.String({ minLength: 12, maxLength: 200 }) }, { additionalProperties: false }),
        },
      },
      async (req, reply) => {
        if (await app.accounts.userByName(req.body.name)) return sendError(reply, 'UserAlreadyExists', `User ${req.body.name} exists`);
        const u = await app.accounts.addUser(req.body.name, req.body.role as Role, req.body.password, principalOf(req).name);
        return reply.code(201).send({ id: u.id, name: u.name, role: u.role, createdAt: u.createdAt });
      },
    );

    server.get('/api/users', { schema: { tags, summary: 'List console users' } }, async () => ({
      users: (await app.accounts.users()).map((u) => ({ id: u.id, name: u.name, role: u.role, createdAt: u.createdAt })),
    }));

    server.patch(
      '/api/users/:id',
      {
        schema: { tags, summary: 'Change a user’s role', params: Id, body: Type.Object({ role: RoleSchema }, { additionalProperties: false }) },
      },
      async (req, reply) => {
        const user = await app.accounts.userById(req.params.id);
        if (!user) return sendError(reply, 'UnknownUser', `No user has id ${req.params.id}`);
        await app.accounts.changeRole(user, req.body.role as Role, principalOf(req).name);
        return { id: user.id, name: user.name, role: req.body.role };
      },
    );
  };
