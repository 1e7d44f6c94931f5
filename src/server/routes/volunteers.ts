import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { FUTURE_TOLERANCE_MS } from '../../fleet/unit-positions.ts';
import type { Result, VolunteerFailure } from '../../volunteers/volunteers.ts';
import { QUALIFICATION_KINDS, type QualificationKind } from '../../core/volunteer-policy.ts';
import { writeContext } from '../write-context.ts';
import type { RouteDeps } from '../route-deps.ts';
import { principalOf } from '../auth.ts';
import { sendError } from '../error-handler.ts';
import { HttpError } from '../error-status.ts';
import { PositionBody } from '../schemas.ts';

const tags = ['volunteers'];
const Name = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' });
const Phone = Type.String({ minLength: 3, maxLength: 40, pattern: '^\\+?[0-9()\\-. ]+$' });
const Languages = Type.Array(Type.String({ pattern: '^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$' }), {
  maxItems: 10,
  description: 'BCP 47 language tags, e.g. en, es, zh-Hant',
});
const Kind = Type.Union(QUALIFICATION_KINDS.map((k) => Type.Literal(k)));
const Clock = Type.String({ pattern: '^([01][0-9]|2[0-4]):[0-5][0-9]$', description: 'local time HH:MM' });
const QuietHours = Type.Union([Type.Object({ from: Clock, to: Clock }, { additionalProperties: false }), Type.Null()], {
  description: 'A daily window in the volunteer’s local time during which they are not alerted; null clears it',
});
const VolunteerId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' });
const Purpose = Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Why the personal data is read; written to the audit log' }));

const SignUpBody = Type.Object(
  { name: Name, phone: Phone, languages: Type.Optional(Languages), locationConsent: Type.Boolean({ description: 'Consent to the use of your location for matching' }) },
  { additionalProperties: false },
);
const PatchBody = Type.Object(
  {
    available: Type.Optional(Type.Boolean({ description: 'On duty (true) or off duty (false)' })),
    quietHours: Type.Optional(QuietHours),
    locationConsent: Type.Optional(Type.Boolean()),
    languages: Type.Optional(Languages),
    name: Type.Optional(Name),
    phone: Type.Optional(Phone),
  },
  { additionalProperties: false, minProperties: 1 },
);
const DeclareBody = Type.Object(
  {
    kind: Kind,
    expiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.String({ format: 'date' })], {
      description: 'When the certificate expires (a date means the start of that day, UTC)',
    }),
  },
  { additionalProperties: false },
);
const ListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    after: Type.Optional(VolunteerId),
    pending: Type.Optional(Type.Boolean({ description: 'Only volunteers with a qualification waiting for verification' })),
    available: Type.Optional(Type.Boolean()),
    purpose: Purpose,
  },
  { additionalProperties: false },
);

/** Sends a registry refusal in the API's error shape. */
function sendFailure(reply: FastifyReply, f: VolunteerFailure): FastifyReply {
  return sendError(reply, f.code, f.message, 'details' in f ? f.details : undefined);
}

const answer = <T>(reply: FastifyReply, r: Result<T>, status = 200) => (r.ok ? reply.code(status).send(r.value) : sendFailure(reply, r));

/** The volunteer a device token acts for. Other credentials of role volunteer have no registry entry. */
function selfId(req: FastifyRequest): string {
  const p = principalOf(req);
  if (p.via !== 'device' || p.subject === undefined) {
    throw new HttpError('UnknownVolunteer', 'This credential is not a volunteer’s device token: sign up with POST /api/volunteers');
  }
  return p.subject;
}

/**
 * The volunteer registry over HTTP. A volunteer's device token reaches only their own data (`/me`);
 * supervisors list, read (each read audited) and verify. Sign-up is public and rate-limited.
 */
export const volunteerRoutes =
  ({ app }: RouteDeps): FastifyPluginAsyncTypebox =>
  async (server) => {
    server.post(
      '/api/volunteers',
      {
        schema: { tags, summary: 'Sign up as a citizen responder: returns your volunteer id and a device token (shown once)', body: SignUpBody, security: [] },
        config: { rateLimit: { max: 20, timeWindow: 60 * 60_000, keyGenerator: (req) => req.ip } },
      },
      async (req, reply) => {
        const r = await app.volunteers.signUp({ ...req.body, languages: req.body.languages ?? [] });
        if (!r.ok) return sendFailure(reply, r);
        return reply
          .code(201)
          .header('location', '/api/volunteers/me')
          .send({ id: r.value.volunteerId, token: r.value.token, volunteer: r.value.view });
      },
    );

    server.get('/api/volunteers/me', { schema: { tags, summary: 'Your own registry entry and personal data' } }, async (req, reply) =>
      answer(reply, await app.volunteers.self(selfId(req))),
    );

    server.patch(
      '/api/volunteers/me',
      { schema: { tags, summary: 'Go on or off duty, set quiet hours, give or withdraw location consent, correct your details', body: PatchBody } },
      async (req, reply) => {
        const { quietHours, ...rest } = req.body;
        const patch = { ...rest, ...(quietHours === undefined ? {} : { quietHours }) };
        return answer(reply, await app.volunteers.update(selfId(req), patch, writeContext(req)));
      },
    );

    server.post(
      '/api/volunteers/me/qualifications',
      { schema: { tags, summary: 'Declare a qualification; it stays unverified until a supervisor verifies it', body: DeclareBody } },
      async (req, reply) => {
        const expiresAt = Date.parse(req.body.expiresAt);
        const r = await app.volunteers.declare(selfId(req), req.body.kind as QualificationKind, expiresAt, writeContext(req));
        return answer(reply, r, 201);
      },
    );

    server.delete('/api/volunteers/me', { schema: { tags, summary: 'Delete your account: personal data erased, device tokens revoked, history anonymised' } }, async (req, reply) => {
      const r = await app.volunteers.erase(selfId(req), 'the volunteer', writeContext(req));
      return r.ok ? reply.code(204).send() : sendFailure(reply, r);
    });

    server.post(
      '/api/volunteers/me/position',
      {
        schema: {
          tags,
          summary: 'Report your position: kept in memory for matching while you are on duty, never written to the log',
          body: PositionBody,
        },
        config: { rateLimit: { max: 120, timeWindow: 60_000, keyGenerator: (req) => req.principal?.credentialId ?? req.ip } },
      },
      async (req, reply) => {
        const now = app.clock();
        const atMs = req.body.at === undefined ? now : Date.parse(req.body.at);
        if (atMs > now + FUTURE_TOLERANCE_MS) return sendError(reply, 'ValidationFailed', 'The fix is stamped in the future', { at: req.body.at });
        const r = await app.volunteers.takePosition(selfId(req), { lat: req.body.lat, lon: req.body.lon, atMs });
        return answer(reply, r, 202);
      },
    );

    server.get(
      '/api/volunteers',
      { schema: { tags, summary: 'A page of the registry with personal data (supervisors; audited), and counts', querystring: ListQuery } },
      async (req) => {
        const { purpose, limit, ...filter } = req.query;
        return app.volunteers.staffList({ ...filter, limit: limit ?? 50 }, principalOf(req).name, purpose ?? 'registry review', writeContext(req).actor);
      },
    );

    server.get(
      '/api/volunteers/:id',
      {
        schema: {
          tags,
          summary: 'One volunteer with personal data (supervisors; audited)',
          params: Type.Object({ id: VolunteerId }),
          querystring: Type.Object({ purpose: Purpose }, { additionalProperties: false }),
        },
      },
      async (req, reply) => answer(reply, await app.volunteers.staffRead(req.params.id, principalOf(req).name, req.query.purpose ?? 'supervision', writeContext(req).actor)),
    );

    server.post(
      '/api/volunteers/:id/qualifications/:kind/verify',
      {
        schema: {
          tags,
          summary: 'Verify a declared, unexpired qualification (supervisors)',
          params: Type.Object({ id: VolunteerId, kind: Kind }),
        },
        // Nothing to send: an empty body is as good as {}.
        preValidation: async (req) => {
          req.body ??= {};
        },
      },
      async (req, reply) =>
        answer(reply, await app.volunteers.verify(req.params.id, req.params.kind as QualificationKind, principalOf(req).name, writeContext(req))),
    );
  };
