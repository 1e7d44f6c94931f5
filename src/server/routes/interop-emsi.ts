import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ourCentre } from '../../composition/handovers.ts';
import { assignedUnits } from '../../composition/incident-eido.ts';
import { emsiToXml } from '../../interop/emsi/emsi-xml.ts';
import { toEmsi } from '../../interop/emsi/to-emsi.ts';
import { sendError } from '../error-handler.ts';
import { emsiMessageOf, readEmsiMessage } from '../document-readers.ts';
import { failed } from '../outcome.ts';
import type { RouteDeps } from '../route-deps.ts';
import { IdParams } from '../schemas.ts';
import { takeInDocument } from '../take-in-document.ts';
import { writeContext } from '../write-context.ts';
import { installXmlParser, MAX_XML_BODY_BYTES } from '../xml-body.ts';

const tags = ['emsi'];

/** Our centre as EMSI names it (CONTEXT/ORIGIN: SAMARITAN_EMSI_ORG_ID, _NAME), the same as hand-overs. */
const CENTRE = ourCentre().emsi;

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
    installXmlParser(server);
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
        const units = await assignedUnits(queries, Object.keys(incident.assignments));
        const now = new Date(app.clock()).toISOString();
        const message = toEmsi(incident, { ...CENTRE, messageId: `${incident.id}@${app.clock()}`, now, units });
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
        const doc = readEmsiMessage(emsiMessageOf(req.body));
        const taken = await takeInDocument(app, doc, writeContext(req));
        if (!taken.ok) {
          failed(reply, taken.outcome);
          return reply;
        }
        if (taken.created) reply.header('location', `/api/incidents/${taken.incidentId}`);
        return reply
          .code(taken.created ? 201 : 200)
          .send({ incidentId: taken.incidentId, created: taken.created, changed: taken.changed, source: doc.origin.source, externalId: doc.origin.externalId });
      },
    );
  };
