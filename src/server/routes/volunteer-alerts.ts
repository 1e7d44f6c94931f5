import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { incidentVolunteers, myAlert, myAlerts, ownAlert } from '../../read-models/alert-views.ts';
import { epochMs } from '../../core/ids.ts';
import { writeContext } from '../write-context.ts';
import type { RouteDeps } from '../route-deps.ts';
import { principalOf } from '../auth.ts';
import { sendError } from '../error-handler.ts';
import { HttpError } from '../error-status.ts';
import { failed } from '../outcome.ts';
import { IdParams } from '../schemas.ts';

const tags = ['volunteer alerts'];
const AlertParams = Type.Object({
  alertId: Type.String({ minLength: 3, maxLength: 160, pattern: '^[A-Za-z0-9_.:-]+$', description: 'The alert id, `<incidentId>.<volunteerId>`' }),
});
const DeclineBody = Type.Object({ reason: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false });
const Base64Url = (min: number, max: number) => Type.String({ minLength: min, maxLength: max, pattern: '^[A-Za-z0-9_-]+=*$' });
const PushSubscriptionBody = Type.Object(
  {
    endpoint: Type.String({ minLength: 10, maxLength: 2000, description: 'The push service URL from PushSubscription.endpoint: https, on a known push service (see docs/volunteer-alerts.md)' }),
    expirationTime: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
    keys: Type.Object(
      { p256dh: Base64Url(80, 100), auth: Base64Url(16, 32) },
      { additionalProperties: false, description: 'PushSubscription.toJSON().keys' },
    ),
  },
  { additionalProperties: false },
);

/** The volunteer a device token stands for; a volunteer token bound to nobody can answer nothing. */
export function volunteerOf(req: FastifyRequest): { volunteerId: string; credentialId: string } {
  const p = principalOf(req);
  if (p.subject === undefined) throw new HttpError('UnknownVolunteer', 'This token is not bound to a volunteer');
  return { volunteerId: p.subject, credentialId: p.credentialId };
}

/**
 * A volunteer's alerts (their device token; the volunteer comes from the token, never the path, so
 * a volunteer can only answer their own: anyone else's alert id is 404), and a dispatcher's view of
 * an incident's volunteer response.
 */
export const volunteerAlertRoutes =
  ({ app }: RouteDeps): FastifyPluginAsyncTypebox =>
  async (server) => {
    const r = app.responders;

    server.get('/api/volunteers/me/alerts', { schema: { tags, summary: 'Your open and accepted alerts, with the scene and your role' } }, async (req) => {
      const { volunteerId } = volunteerOf(req);
      return { alerts: await myAlerts(app, volunteerId) };
    });

    server.post(
      '/api/volunteers/me/alerts/:alertId/accept',
      { schema: { tags, summary: 'Accept an alert: you are given a role (cpr, fetch_aed via an open AED, meet_crew)', params: AlertParams } },
      async (req, reply) => {
        const { volunteerId } = volunteerOf(req);
        const outcome = await r.engine.accept(volunteerId, req.params.alertId, writeContext(req));
        if (failed(reply, outcome)) return reply;
        return myAlert(app, volunteerId, req.params.alertId);
      },
    );

    server.post(
      '/api/volunteers/me/alerts/:alertId/decline',
      {
        schema: { tags, summary: 'Decline an alert', params: AlertParams, body: DeclineBody },
        preValidation: async (req) => {
          req.body ??= {};
        },
      },
      async (req, reply) => {
        const { volunteerId } = volunteerOf(req);
        const { alertId } = req.params;
        const reason = req.body.reason;
        const outcome = await app.writer.execute(
          { type: 'DeclineAlert', now: epochMs(app.clock()), volunteerId, alertId, ...(reason === undefined ? {} : { reason }) },
          writeContext(req),
        );
        if (failed(reply, outcome)) return reply;
        return myAlert(app, volunteerId, alertId);
      },
    );

    server.post(
      '/api/volunteers/me/alerts/:alertId/arrived',
      {
        schema: { tags, summary: 'Report that you have arrived (at the scene, or at the door to meet the crew)', params: AlertParams },
        preValidation: async (req) => {
          req.body ??= {};
        },
      },
      async (req, reply) => {
        const { volunteerId } = volunteerOf(req);
        const { alertId } = req.params;
        const outcome = await app.writer.execute({ type: 'ReportArrival', now: epochMs(app.clock()), volunteerId, alertId }, writeContext(req));
        if (failed(reply, outcome)) return reply;
        return myAlert(app, volunteerId, alertId);
      },
    );

    server.post(
      '/api/volunteers/me/alerts/:alertId/seen',
      {
        schema: { tags, summary: 'Record that you opened the alert (a receipt)', params: AlertParams },
        preValidation: async (req) => {
          req.body ??= {};
        },
      },
      async (req, reply) => {
        const { volunteerId } = volunteerOf(req);
        const { alertId } = req.params;
        const own = await ownAlert(app, volunteerId, alertId);
        if (own === undefined) return sendError(reply, 'UnknownAlert', `You have no alert ${alertId}`);
        await r.receipts.seen({ alertId, incidentId: own.incidentId, volunteerId }, 'api', app.clock());
        return { alertId, seenAt: (await r.outbox.receipt(alertId, 'alert'))?.seenAt ?? null };
      },
    );

    server.get(
      '/api/volunteers/me/push-subscription',
      { schema: { tags, summary: 'The VAPID public key to subscribe with, and how many push subscriptions you have' } },
      async (req) => {
        const { volunteerId } = volunteerOf(req);
        return { vapidPublicKey: r.push.vapid.publicKey, subscriptions: r.pushDevices.of(volunteerId).length };
      },
    );

    server.post(
      '/api/volunteers/me/push-subscription',
      { schema: { tags, summary: 'Register this device’s Web Push subscription for alerts', body: PushSubscriptionBody } },
      async (req, reply) => {
        const { volunteerId, credentialId } = volunteerOf(req);
        const checked = await r.push.endpoints.admit(req.body.endpoint);
        if (!checked.ok) return sendError(reply, 'PushEndpointNotAllowed', `This push endpoint is not allowed: ${checked.reason}`);
        if (!(await r.pushDevices.register(volunteerId, req.body, credentialId))) {
          return sendError(reply, 'VolunteerGone', `Volunteer ${volunteerId} has no personal data to keep a device with`);
        }
        await r.outbox.hurry(volunteerId, app.clock());
        r.worker.kick();
        return reply.code(201).send({ vapidPublicKey: r.push.vapid.publicKey, subscriptions: r.pushDevices.of(volunteerId).length });
      },
    );

    server.get(
      '/api/incidents/:id/volunteers',
      { schema: { tags, summary: 'The volunteer response: waves, alerts with status, ETA, rule, role, AED; positions near an active incident', params: IdParams } },
      async (req, reply) => {
        const view = await incidentVolunteers(app, req.params.id);
        return view ?? sendError(reply, 'UnknownIncident', `No incident has id ${req.params.id}`);
      },
    );
  };
