import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { epochMs } from '../../core/ids.ts';
import type { IncidentDetails } from '../../core/events.ts';
import { INCIDENT_STATUSES, OPEN_INCIDENT_STATUSES, type IncidentStatus } from '../../core/statuses.ts';
import { writeContext } from '../write-context.ts';
import { idempotencyFor } from '../idempotency-key.ts';
import type { RouteDeps } from '../route-deps.ts';
import { MAY_LOG_OUTSIDE_SERVICE_AREA } from '../access.ts';
import { principalOf } from '../auth.ts';
import { sendError } from '../error-handler.ts';
import { HttpError } from '../error-status.ts';
import { failed } from '../outcome.ts';
import {
  CreateIncidentBody,
  DispatchBody,
  IdParams,
  IncidentListQuery,
  MergeBody,
  ReasonBody,
  UpdateIncidentBody,
} from '../schemas.ts';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Random bytes drawn in bulk: one system call per 4 KiB instead of one per incident id. */
let pool = Buffer.alloc(0);
let used = 0;
function randomByte(): number {
  if (used >= pool.length) {
    pool = randomBytes(4096);
    used = 0;
  }
  return pool[used++]!;
}

/** A short id a dispatcher can read over the radio: date, then 6 random base-32 characters. */
function newIncidentId(now: number): string {
  const day = new Date(now).toISOString().slice(2, 10).replace(/-/g, '');
  let tail = '';
  for (let i = 0; i < 6; i++) tail += CROCKFORD[randomByte() % 32];
  return `I${day}-${tail}`;
}

/** The override of the service area, when the caller's role may give it; undefined when not asked. */
function outsideOverride(req: FastifyRequest, asked: 'accept' | undefined): { outsideServiceArea?: 'accept' } {
  if (asked === undefined) return {};
  const { role } = principalOf(req);
  if (!MAY_LOG_OUTSIDE_SERVICE_AREA.includes(role)) {
    throw new HttpError('Forbidden', `Role ${role} may not log an incident outside the service area; a supervisor may`, { role });
  }
  return { outsideServiceArea: asked };
}

const tags = ['incidents'];

function parseStatuses(q: string | undefined): readonly IncidentStatus[] | undefined {
  if (q === undefined) return OPEN_INCIDENT_STATUSES;
  const parts = q.split(',');
  if (parts.includes('all')) return undefined;
  return [...new Set(parts.flatMap((p) => (p === 'open' ? OPEN_INCIDENT_STATUSES : INCIDENT_STATUSES.filter((s) => s === p))))];
}

export const incidentRoutes =
  ({ app, queries }: RouteDeps): FastifyPluginAsyncTypebox =>
  async (server) => {
    const viewOf = async (id: string) => queries.incidentWithTimeline(id);

    server.post(
      '/api/incidents',
      {
        schema: {
          tags,
          summary: 'Create an incident (send Idempotency-Key to make retries safe)',
          body: CreateIncidentBody,
          headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) }),
        },
      },
      async (req, reply) => {
        const now = app.clock();
        const { priority, outsideServiceArea, ...rest } = req.body;
        const override = outsideOverride(req, outsideServiceArea);
        const details: IncidentDetails = {
          ...rest,
          priority: priority ?? app.config.plans.get(req.body.nature)?.defaultPriority ?? 2,
        } as IncidentDetails;
        const key = req.headers['idempotency-key'];
        const ctx = writeContext(req);
        const receive = (incidentId: string) =>
          app.writer.execute(
            { type: 'ReceiveIncident', now: epochMs(now), incidentId, details, ...override },
            {
              ...ctx,
              ...(key === undefined ? {} : { idempotency: idempotencyFor(req, key, { incidentId }) }),
            },
          );
        // Ids are random: on the rare collision with an existing incident, draw another.
        let incidentId = newIncidentId(now);
        let outcome = await receive(incidentId);
        for (let retry = 0; retry < 3 && !outcome.ok && outcome.code === 'IncidentAlreadyExists'; retry++) {
          incidentId = newIncidentId(now);
          outcome = await receive(incidentId);
        }
        if (failed(reply, outcome)) return reply;
        const id = outcome.replayed === undefined ? incidentId : (outcome.replayed as { incidentId: string }).incidentId;
        if (outcome.replayed !== undefined) reply.header('idempotent-replayed', 'true');
        const fresh = outcome.events === undefined ? undefined : queries.newIncidentView(id, outcome.events, await app.accounts.actorName(ctx.actor));
        const view = fresh ?? (await viewOf(id));
        return reply.code(201).header('location', `/api/incidents/${id}`).send(view);
      },
    );

    server.get(
      '/api/incidents',
      { schema: { tags, summary: 'List incidents, newest first', querystring: IncidentListQuery } },
      async (req) => ({ incidents: await queries.incidents({ ...optional(parseStatuses(req.query.status)), limit: req.query.limit ?? 500 }) }),
    );

    server.get(
      '/api/incidents/:id',
      { schema: { tags, summary: 'An incident with its timeline', params: IdParams } },
      async (req, reply) => {
        const view = await viewOf(req.params.id);
        return view ?? sendError(reply, 'UnknownIncident', `No incident has id ${req.params.id}`);
      },
    );

    server.patch(
      '/api/incidents/:id',
      { schema: { tags, summary: 'Correct or complete an incident’s details', params: IdParams, body: UpdateIncidentBody } },
      async (req, reply) => {
        const { outsideServiceArea, ...changes } = req.body;
        const override = outsideOverride(req, outsideServiceArea);
        const outcome = await app.writer.execute(
          { type: 'UpdateIncident', now: epochMs(app.clock()), incidentId: req.params.id, changes: changes as Partial<IncidentDetails>, ...override },
          writeContext(req),
        );
        return failed(reply, outcome) ? reply : viewOf(req.params.id);
      },
    );

    server.get(
      '/api/incidents/:id/recommendation',
      { schema: { tags, summary: 'Units to send, nearest first, with reasons and shortfalls', params: IdParams } },
      async (req, reply) => {
        const incident = await queries.incident(req.params.id);
        if (!incident) return sendError(reply, 'UnknownIncident', `No incident has id ${req.params.id}`);
        return queries.recommendation(incident);
      },
    );

    server.post(
      '/api/incidents/:id/dispatch',
      { schema: { tags, summary: 'Dispatch units to an incident', params: IdParams, body: DispatchBody } },
      async (req, reply) => {
        const outcome = await app.writer.execute(
          { type: 'DispatchUnits', now: epochMs(app.clock()), incidentId: req.params.id, unitIds: req.body.unitIds },
          writeContext(req),
        );
        return failed(reply, outcome) ? reply : viewOf(req.params.id);
      },
    );

    for (const [verb, type, fallback] of [
      ['cancel', 'CancelIncident', 'cancelled by dispatcher'],
      ['resolve', 'ResolveIncident', 'resolved by dispatcher'],
      ['close', 'CloseIncident', 'closed by dispatcher'],
    ] as const) {
      server.post(
        `/api/incidents/:id/${verb}`,
        {
          schema: { tags, summary: `${verb[0]!.toUpperCase()}${verb.slice(1)} an incident`, params: IdParams, body: ReasonBody },
          // The reason is optional, so an empty body is as good as {}.
          preValidation: async (req) => {
            req.body ??= {};
          },
        },
        async (req, reply) => {
          const outcome = await app.writer.execute(
            { type, now: epochMs(app.clock()), incidentId: req.params.id, reason: req.body.reason ?? fallback },
            writeContext(req),
          );
          return failed(reply, outcome) ? reply : viewOf(req.params.id);
        },
      );
    }

    server.post(
      '/api/incidents/:id/merge',
      { schema: { tags, summary: 'Merge this duplicate report into another incident', params: IdParams, body: MergeBody } },
      async (req, reply) => {
        const outcome = await app.writer.execute(
          { type: 'MergeIncident', now: epochMs(app.clock()), incidentId: req.params.id, into: req.body.into },
          writeContext(req),
        );
        return failed(reply, outcome) ? reply : viewOf(req.params.id);
      },
    );

  };

const optional = <T>(statuses: T | undefined) => (statuses === undefined ? {} : { statuses });
