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
import { escalate, explainEscalation } from '../../core/greater-alarm.ts';
import { decodeCursor, IncidentSearch } from '../../read-models/incident-search.ts';
import { sendError, sendRejection } from '../error-handler.ts';
import { HttpError } from '../error-status.ts';
import { failed } from '../outcome.ts';
import {
  CreateIncidentBody,
  DispatchBody,
  IdParams,
  IncidentListQuery,
  MergeBody,
  NearbyQuery,
  RecommendationQuery,
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

    const search = new IncidentSearch(app.store);

    server.get(
      '/api/incidents',
      {
        schema: {
          tags,
          summary: 'Search incidents, newest first: by words (q), nature, status and receivedAt (from, to), a page at a time (next → cursor)',
          querystring: IncidentListQuery,
        },
      },
      async (req) => {
        const { q, nature, from, to, cursor, status, limit } = req.query;
        const searching = q !== undefined || nature !== undefined || from !== undefined || to !== undefined || cursor !== undefined;
        if (searching && limit !== undefined && limit > MAX_SEARCH_PAGE) {
          throw new HttpError('ValidationFailed', `limit must be at most ${MAX_SEARCH_PAGE} when searching`, { limit });
        }
        if (cursor !== undefined && decodeCursor(cursor) === undefined) throw new HttpError('ValidationFailed', 'The cursor is not one this server gave', { cursor });
        const statuses = parseStatuses(status);
        return search.search({
          limit: limit ?? (searching ? 50 : 500),
          ...(statuses === undefined ? {} : { statuses }),
          ...(q === undefined ? {} : { q }),
          ...(nature === undefined ? {} : { natures: new Set(nature.split(',')) }),
          ...(from === undefined ? {} : { from: new Date(from).toISOString() }),
          ...(to === undefined ? {} : { to: new Date(to).toISOString() }),
          ...(cursor === undefined ? {} : { cursor }),
        });
      },
    );

    server.get(
      '/api/incidents/nearby',
      {
        schema: {
          tags,
          summary: 'Possible duplicates: open incidents, and any received in the last minutes, within radiusM of a point, nearest first',
          querystring: NearbyQuery,
        },
      },
      async (req) => {
        const { lat, lon, radiusM, minutes } = req.query;
        const since = new Date(app.clock() - (minutes ?? 30) * 60_000).toISOString();
        return { incidents: await search.nearby({ lat, lon }, radiusM ?? 300, since, NEARBY_LIMIT) };
      },
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
      {
        schema: {
          tags,
          summary: 'Units to send, nearest first, with reasons and shortfalls; ?alarm=<n> for a greater alarm, ?more=<capability>:<count> for more units',
          params: IdParams,
          querystring: RecommendationQuery,
        },
      },
      async (req, reply) => {
        const incident = await queries.incident(req.params.id);
        if (!incident) return sendError(reply, 'UnknownIncident', `No incident has id ${req.params.id}`);
        const { alarm, more } = req.query;
        if (alarm === undefined && more === undefined) return queries.recommendation(incident);
        const plan = app.config.plans.get(incident.details.nature);
        if (!plan) return sendError(reply, 'UnknownNature', `No response plan for ${incident.details.nature}`);
        const capabilities = new Set([...app.config.unitTypes.values()].flatMap((t) => t.capabilities));
        const escalated = escalate(plan, { ...(alarm === undefined ? {} : { alarm }), more: parseMore(more) }, capabilities);
        if (!escalated.ok) return sendRejection(reply, escalated);
        const r = await queries.recommendation(incident, undefined, escalated.plan);
        return { ...explainEscalation(r, plan, escalated.added), escalation: { alarm: alarm ?? 1, added: escalated.added } };
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

/** A search's page at most (a plain list by status keeps its old limit of 5000). */
const MAX_SEARCH_PAGE = 200;
const NEARBY_LIMIT = 20;

/** "engine:2,ladder:1" or ["engine:2", "ladder"] → requirements (a count defaults to 1). */
function parseMore(more: string | readonly string[] | undefined): { capability: string; count: number }[] {
  if (more === undefined) return [];
  const parts = (typeof more === 'string' ? [more] : more).flatMap((m) => m.split(',')).filter((p) => p.trim() !== '');
  return parts.map((p) => {
    const m = /^\s*([a-z_]+)\s*(?::\s*(\d{1,2}))?\s*$/.exec(p);
    const count = m?.[2] === undefined ? 1 : Number(m[2]);
    if (!m || count < 1 || count > 20) {
      throw new HttpError('ValidationFailed', `more=${p} is not <capability>:<count> with a count of 1 to 20`, { more: p });
    }
    return { capability: m[1]!, count };
  });
}
