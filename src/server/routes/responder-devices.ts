import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Principal } from '../../accounts/accounts.ts';
import { systemActor } from '../../core/actor.ts';
import type { Samaritan } from '../../composition/samaritan.ts';
import { principalOf } from '../auth.ts';
import { sendError } from '../error-handler.ts';
import { newEnrolmentCode, normaliseCode, OneTimeSecrets } from '../one-time-secrets.ts';
import { failed } from '../outcome.ts';
import type { RouteDeps } from '../route-deps.ts';
import { writeContext } from '../write-context.ts';

const tags = ['volunteers'];
const TICKET_TTL_MS = 30_000;
const CODE_TTL_MS = 10 * 60_000;
/** The audit stream of device enrolments (an account audit stream: staff below supervisor do not read it). */
const DEVICES_STREAM = 'audit-devices';

const Expiring = (secret: string, description: string) =>
  Type.Object({ [secret]: Type.String({ description }), expiresAt: Type.String({ format: 'date-time' }) });
const EnrolBody = Type.Object(
  { code: Type.String({ minLength: 8, maxLength: 20, pattern: '^[A-Za-z0-9 -]+$', description: 'The 8-character code shown on the enrolled phone' }) },
  { additionalProperties: false },
);

/**
 * The responder app's ways in that a plain bearer header cannot give: a short ticket to open its
 * WebSocket from a browser, and a one-time code with which a second phone of the same volunteer
 * gets a device token of its own.
 */
export class ResponderDevices {
  /** Socket tickets, bound to the device credential that asked (its principal, checked again on use). */
  readonly tickets: OneTimeSecrets<Principal>;
  /** Enrolment codes, bound to the volunteer and the device that asked. */
  readonly codes: OneTimeSecrets<{ volunteerId: string; byTokenId: string }>;

  constructor(private readonly app: Samaritan) {
    this.tickets = new OneTimeSecrets(app.shortLived, 'secret:device-ticket:', app.clock, TICKET_TTL_MS);
    this.codes = new OneTimeSecrets(app.shortLived, 'secret:enrolment-code:', app.clock, CODE_TTL_MS, normaliseCode);
  }

  /** The device principal a ticket was issued to, if the ticket is good and that device token still works. */
  async redeemTicket(ticket: string): Promise<Principal | undefined> {
    const p = await this.tickets.take(ticket);
    if (p?.subject === undefined) return undefined;
    return (await this.app.accounts.activeDevices(p.subject)).has(p.credentialId) ? p : undefined;
  }
}

export const responderDeviceRoutes =
  ({ app }: RouteDeps, devices: ResponderDevices): FastifyPluginAsyncTypebox =>
  async (server) => {
    const perDevice = { max: 60, timeWindow: 60_000, keyGenerator: (req: { principal?: Principal; ip: string }) => req.principal?.credentialId ?? req.ip };

    server.post(
      '/api/volunteers/me/stream/ticket',
      {
        schema: {
          tags,
          summary: 'A single-use ticket (valid 30 s) to open /api/volunteers/me/stream?ticket= from a browser, which cannot send a bearer header on a WebSocket',
          response: { 200: Expiring('ticket', 'Pass as ?ticket= on the WebSocket URL') },
        },
        config: { rateLimit: perDevice },
      },
      async (req) => {
        const p = principalOf(req);
        const ticket = `vtk_${randomBytes(24).toString('base64url')}`;
        return { ticket, ...(await devices.tickets.issue(ticket, p)) };
      },
    );

    server.post(
      '/api/volunteers/me/enrolment-code',
      {
        schema: {
          tags,
          summary: 'A one-time code (valid 10 min) to enrol another phone: type it there into POST /api/volunteers/enrol',
          response: { 201: Expiring('code', '8 characters without look-alike letters') },
        },
        config: { rateLimit: { ...perDevice, max: 10 } },
        preValidation: async (req) => {
          req.body ??= {};
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        if (p.subject === undefined) return sendError(reply, 'UnknownVolunteer', 'This token is not bound to a volunteer');
        const code = newEnrolmentCode();
        const { expiresAt } = await devices.codes.issue(code, { volunteerId: p.subject, byTokenId: p.credentialId });
        const logged = await app.writer.record(
          [{ type: 'EnrolmentCodeIssued', stream: DEVICES_STREAM, at: new Date(app.clock()).toISOString(), data: { volunteerId: p.subject, byTokenId: p.credentialId, expiresAt } }],
          writeContext(req),
        );
        if (failed(reply, logged)) {
          await devices.codes.take(code);
          return reply;
        }
        return reply.code(201).send({ code, expiresAt });
      },
    );

    server.post(
      '/api/volunteers/enrol',
      {
        schema: {
          tags,
          summary: 'Enrol this phone with a code from an enrolled one: returns the volunteer id and a new device token (shown once)',
          body: EnrolBody,
          security: [],
        },
        config: { rateLimit: { max: 10, timeWindow: 15 * 60_000, keyGenerator: (req) => req.ip } },
      },
      async (req, reply) => {
        const invalid = () => sendError(reply, 'EnrolmentCodeInvalid', 'This code is not valid: mistyped, expired (10 min) or already used; ask the enrolled phone for a new one');
        const bound = await devices.codes.take(req.body.code);
        if (bound === undefined) return invalid();
        // The phone that asked must still be enrolled, and the volunteer still registered.
        const active = await app.accounts.activeDevices(bound.volunteerId);
        if (!active.has(bound.byTokenId)) return invalid();
        const self = await app.volunteers.self(bound.volunteerId);
        if (!self.ok) return invalid();
        const ctx = { ...writeContext(req), actor: systemActor('enrolment') };
        const { token, record } = await app.accounts.createToken({
          name: 'volunteer device (enrolled by code)',
          role: 'volunteer',
          kind: 'device',
          subject: bound.volunteerId,
          by: 'enrolment',
          ctx,
        });
        await app.writer.record(
          [
            {
              type: 'DeviceEnrolled',
              stream: DEVICES_STREAM,
              at: new Date(app.clock()).toISOString(),
              data: { volunteerId: bound.volunteerId, tokenId: record.id, byTokenId: bound.byTokenId, ip: req.ip },
            },
          ],
          ctx,
        );
        return reply.code(201).header('location', '/api/volunteers/me').send({ id: bound.volunteerId, token });
      },
    );

    server.get(
      '/api/volunteers/push-key',
      {
        schema: {
          tags: ['volunteer alerts'],
          summary: 'The VAPID public key for PushManager.subscribe (public; GET /api/volunteers/me/push-subscription also gives it)',
          security: [],
          response: { 200: Type.Object({ vapidPublicKey: Type.String() }) },
        },
      },
      async () => ({ vapidPublicKey: app.responders.push.vapid.publicKey }),
    );
  };
