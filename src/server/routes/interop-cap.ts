import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { epochMs, type IncidentId } from '../../core/ids.ts';
import type { IncidentState } from '../../core/incident.ts';
import { hasActiveWarning } from '../../core/public-warning.ts';
import { PUBLIC_WARNING_LIMITS } from '../../core/public-warning-terms.ts';
import { OPEN_INCIDENT_STATUSES } from '../../core/statuses.ts';
import { incidentStream } from '../../core/streams.ts';
import { ATOM_CONTENT_TYPE, capFeed } from '../../interop/cap/atom-feed.ts';
import { CAP_CONTENT_TYPE, capXml, incidentCap, type CapOptions, type IncidentVersion } from '../../interop/cap/cap-alert.ts';
import { sendError } from '../error-handler.ts';
import { failed } from '../outcome.ts';
import type { RouteDeps } from '../route-deps.ts';
import { IdParams, ReasonBody } from '../schemas.ts';
import { writeContext } from '../write-context.ts';

const tags = ['cap'];
const L = PUBLIC_WARNING_LIMITS;

export const PublicWarningBody = Type.Object(
  {
    headline: Type.String({ minLength: 1, maxLength: L.headline }),
    instruction: Type.String({ minLength: 1, maxLength: L.instruction }),
    areaDesc: Type.String({ minLength: 1, maxLength: L.areaDesc }),
    radiusM: Type.Number({ minimum: L.minRadiusM, maximum: L.maxRadiusM }),
  },
  { additionalProperties: false },
);

/** The base URL the feed names itself and its alerts by: SAMARITAN_PUBLIC_URL, else the request's own. */
const baseUrl = (req: FastifyRequest) => (process.env['SAMARITAN_PUBLIC_URL'] ?? `${req.protocol}://${req.host}`).replace(/\/+$/, '');

function capOptions(req: FastifyRequest): CapOptions {
  const host = req.hostname.replace(/[^A-Za-z0-9.-]/g, '') || 'localhost';
  return { sender: process.env['SAMARITAN_CAP_SENDER'] ?? `samaritan@${host}`, senderName: process.env['SAMARITAN_CAP_SENDER_NAME'] ?? 'Samaritan dispatch' };
}

/** Still of interest to the public: a warning's Cancel is served until the incident is closed. */
const LIVE_STATUSES = [...OPEN_INCIDENT_STATUSES, 'resolved'];

/**
 * OASIS CAP 1.2 (src/interop/cap): an incident as an alert, the public alert of a warning, the
 * Atom feed of the warnings in force; and the supervisor's commands that issue and withdraw them.
 */
export const capRoutes =
  ({ app, queries }: RouteDeps): FastifyPluginAsyncTypebox =>
  async (server) => {
    /** Where the incident's own stream stands: the version and time of its last event. */
    const versionOf = async (s: IncidentState): Promise<IncidentVersion> => {
      const own = (await app.store.readIncidentTimeline(s.id)).filter((e) => e.stream === incidentStream(s.id as IncidentId));
      const last = own[own.length - 1];
      return last === undefined ? { version: 1, at: s.receivedAt } : { version: last.version, at: last.at };
    };

    server.get(
      '/api/incidents/:id/cap',
      { schema: { tags, summary: 'The incident as an OASIS CAP 1.2 alert (application/cap+xml): Public when a warning was issued, Restricted otherwise', params: IdParams } },
      async (req, reply) => {
        const s = await queries.incident(req.params.id);
        if (!s) return sendError(reply, 'UnknownIncident', `No incident has id ${req.params.id}`);
        return reply.type(CAP_CONTENT_TYPE).send(capXml(incidentCap(s, await versionOf(s)), capOptions(req)));
      },
    );

    server.get(
      '/api/cap/warnings/:id',
      { schema: { tags, summary: 'Public: the CAP alert of an incident’s public warning (in force, or its Cancel once withdrawn)', params: IdParams } },
      async (req, reply) => {
        const s = await queries.incident(req.params.id);
        if (s?.publicWarning === undefined) return sendError(reply, 'UnknownIncident', `No public warning has id ${req.params.id}`);
        return reply.type(CAP_CONTENT_TYPE).send(capXml(incidentCap(s, await versionOf(s)), capOptions(req)));
      },
    );

    server.get(
      '/api/cap/feed',
      { schema: { tags, summary: 'Public: the Atom feed of the public warnings in force, each entry carrying its CAP 1.2 alert' } },
      async (req, reply) => {
        const rows = (await app.store.list('incident', LIVE_STATUSES, 100_000)) as IncidentState[];
        const active = rows.filter(hasActiveWarning).sort((a, b) => b.publicWarning!.updatedAt.localeCompare(a.publicWarning!.updatedAt));
        const base = baseUrl(req);
        const o = capOptions(req);
        const entries = [];
        for (const s of active) entries.push({ alert: incidentCap(s, await versionOf(s)), href: `${base}/api/cap/warnings/${encodeURIComponent(s.id)}` });
        const xml = capFeed(entries, { ...o, selfUrl: `${base}/api/cap/feed`, title: `${o.senderName}: public warnings`, now: new Date(app.clock()).toISOString() });
        return reply.type(ATOM_CONTENT_TYPE).header('cache-control', 'public, max-age=60').send(xml);
      },
    );

    server.post(
      '/api/incidents/:id/public-warning',
      {
        schema: {
          tags,
          summary: 'Supervisors: warn the public about the incident (or amend the warning in force)',
          params: IdParams,
          body: PublicWarningBody,
        },
      },
      async (req, reply) => {
        const outcome = await app.writer.execute(
          { type: 'IssuePublicWarning', now: epochMs(app.clock()), incidentId: req.params.id, warning: req.body },
          writeContext(req),
        );
        return failed(reply, outcome) ? reply : queries.incidentWithTimeline(req.params.id);
      },
    );

    server.post(
      '/api/incidents/:id/public-warning/withdraw',
      {
        schema: { tags, summary: 'Supervisors: withdraw the incident’s public warning (its CAP alert becomes a Cancel)', params: IdParams, body: ReasonBody },
        preValidation: async (req) => {
          req.body ??= {};
        },
      },
      async (req, reply) => {
        const outcome = await app.writer.execute(
          { type: 'WithdrawPublicWarning', now: epochMs(app.clock()), incidentId: req.params.id, reason: req.body.reason ?? 'withdrawn by supervisor' },
          writeContext(req),
        );
        return failed(reply, outcome) ? reply : queries.incidentWithTimeline(req.params.id);
      },
    );
  };
