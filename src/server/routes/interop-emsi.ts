import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { epochMs } from '../../core/ids.ts';
import type { UnitState } from '../../core/unit.ts';
import { validateEmsi, type DocumentError } from '../../interop/emsi/emsi-schema.ts';
import { emsiFromXml, emsiToXml } from '../../interop/emsi/emsi-xml.ts';
import { changedDetails, fromEmsi, type EmsiImport } from '../../interop/emsi/from-emsi.ts';
import { toEmsi } from '../../interop/emsi/to-emsi.ts';
import { findIncidentByOrigin } from '../../read-models/incident-origins.ts';
import type { Outcome } from '../../log/writer.ts';
import { sendError } from '../error-handler.ts';
import { HttpError } from '../error-status.ts';
import { failed } from '../outcome.ts';
import type { RouteDeps } from '../route-deps.ts';
import { IdParams } from '../schemas.ts';
import { writeContext } from '../write-context.ts';
import { isXmlBody, MAX_XML_BODY_BYTES, xmlRefusalError } from '../xml-body.ts';

const tags = ['emsi'];

/** Our centre as EMSI names it (CONTEXT/ORIGIN); a deployment sets its own. */
const ORG_ID = process.env['SAMARITAN_EMSI_ORG_ID'] ?? 'samaritan';
const ORG_NAME = process.env['SAMARITAN_EMSI_ORG_NAME'] ?? 'Samaritan';

const EmsiBody = Type.Unknown({
  description:
    'An EMSI message (ANS profile, urn:emergency:eda:1.9:emsi): application/json, bare or wrapped as {"emsi": {...}}, or application/xml',
});

const ImportResult = Type.Object({
  incidentId: Type.String(),
  created: Type.Boolean({ description: 'true when this message made a new incident' }),
  changed: Type.Boolean({ description: 'false when the same message had already been taken in' }),
  source: Type.String({ description: 'emsi:<CONTEXT/ORIGIN/ORG_ID>' }),
  externalId: Type.String({ description: 'EVENT/ID' }),
});

const invalid = (errors: DocumentError[]): HttpError =>
  new HttpError('InvalidDocument', `The EMSI message is not valid: ${errors.length} error(s)`, { errors });

/** The message as JSON, from either body: XML goes through the one safe reader first. */
function messageOf(body: unknown): Record<string, unknown> {
  if (isXmlBody(body)) {
    const read = emsiFromXml(body, MAX_XML_BODY_BYTES);
    if (read.ok) return read.message;
    if (read.code === 'InvalidDocument') throw invalid(read.errors);
    throw xmlRefusalError(read);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid([{ path: '/', message: 'must be an object' }]);
  const wrapped = body as Record<string, unknown>;
  const keys = Object.keys(wrapped);
  return keys.length === 1 && keys[0] === 'emsi' ? (wrapped['emsi'] as Record<string, unknown>) : wrapped;
}

/** Whether the client asks for XML before (or instead of) JSON. */
function wantsXml(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  const xml = accept.search(/\b(?:application|text)\/xml\b/);
  const json = accept.search(/\bapplication\/json\b/);
  return xml !== -1 && (json === -1 || xml < json);
}

/**
 * EMSI (ISO/TR 22351, as profiled by ANS for the SAMU and fire services): an incident out as a
 * message (JSON, or XML with Accept: application/xml), and messages in as incidents, idempotent by
 * the sending organisation and the event's id.
 */
export const emsiRoutes =
  ({ app, queries }: RouteDeps): FastifyPluginAsyncTypebox =>
  async (server) => {
    server.get(
      '/api/incidents/:id/emsi',
      {
        schema: {
          tags,
          summary: 'An incident as an EMSI message: {"emsi": {...}} as JSON, or EMSI XML with Accept: application/xml',
          params: IdParams,
        },
      },
      async (req, reply) => {
        const incident = await queries.incident(req.params.id);
        if (incident === undefined) return sendError(reply, 'UnknownIncident', `No incident has id ${req.params.id}`);
        const units = new Map<string, UnitState>();
        for (const unitId of Object.keys(incident.assignments)) {
          const unit = await queries.unit(unitId);
          if (unit) units.set(unitId, unit);
        }
        const now = new Date(app.clock()).toISOString();
        const message = toEmsi(incident, { orgId: ORG_ID, orgName: ORG_NAME, messageId: `${incident.id}@${app.clock()}`, now, units });
        if (wantsXml(req.headers.accept)) return reply.type('application/xml; charset=utf-8').send(emsiToXml(message));
        return { emsi: message };
      },
    );

    server.post(
      '/api/emsi',
      {
        bodyLimit: MAX_XML_BODY_BYTES,
        schema: {
          tags,
          summary:
            'Take in an EMSI message (JSON or XML): 201 with a new incident, 200 when it updates the incident made from the same EVENT/ID and sender (or changes nothing); 422 InvalidDocument lists every error with its path',
          body: EmsiBody,
          response: { 200: ImportResult, 201: ImportResult },
        },
      },
      async (req, reply) => {
        const message = messageOf(req.body);
        const errors = validateEmsi(message);
        if (errors.length > 0) throw invalid(errors);
        const read = fromEmsi(message);
        if (!read.ok) throw invalid(read.errors);
        return takeIn(read.value, reply, req);
      },
    );

    async function takeIn(doc: EmsiImport, reply: FastifyReply, req: Parameters<typeof writeContext>[0]): Promise<FastifyReply> {
      const ids = { source: doc.origin.source, externalId: doc.origin.externalId };
      for (let attempt = 0; attempt < 2; attempt++) {
        const lookup = await findIncidentByOrigin(app.store, doc.origin);
        if (lookup.found) {
          const changes = changedDetails(lookup.found.details, doc.details);
          if (Object.keys(changes).length === 0) return reply.code(200).send({ incidentId: lookup.found.id, created: false, changed: false, ...ids });
          const outcome: Outcome = await app.writer.execute(
            // An import is never refused for its place; the change is marked like the first one.
            { type: 'UpdateIncident', now: epochMs(app.clock()), incidentId: lookup.found.id, changes, outsideServiceArea: 'accept' },
            writeContext(req),
          );
          if (failed(reply, outcome)) return reply;
          return reply.code(200).send({ incidentId: lookup.found.id, created: false, changed: true, ...ids });
        }
        if (lookup.freeId === undefined) return sendError(reply, 'IncidentAlreadyExists', 'Every id this document may take is held by another document');
        const outcome: Outcome = await app.writer.execute(
          { type: 'ReceiveIncident', now: epochMs(app.clock()), incidentId: lookup.freeId, details: doc.details, origin: doc.origin },
          writeContext(req),
        );
        // The same document delivered twice at once: the other delivery made it; look again.
        if (!outcome.ok && outcome.code === 'IncidentAlreadyExists') continue;
        if (failed(reply, outcome)) return reply;
        return reply.code(201).header('location', `/api/incidents/${lookup.freeId}`).send({ incidentId: lookup.freeId, created: true, changed: true, ...ids });
      }
      return sendError(reply, 'IncidentAlreadyExists', 'The document was being taken in by another request; send it again');
    }
  };
