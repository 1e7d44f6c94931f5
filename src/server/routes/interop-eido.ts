import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { EidoValidation } from '../../interop/eido/eido-validation.ts';
import { ourCentre } from '../../composition/handovers.ts';
import { currentEido } from '../../composition/incident-eido.ts';
import { sendError } from '../error-handler.ts';
import { readEidoDocument } from '../document-readers.ts';
import { failed } from '../outcome.ts';
import type { RouteDeps } from '../route-deps.ts';
import { IdParams } from '../schemas.ts';
import { takeInDocument } from '../take-in-document.ts';
import { writeContext } from '../write-context.ts';

const tags = ['eido'];

/** Our centre as the documents name it (SAMARITAN_AGENCY_ID, SAMARITAN_TIME_ZONE…), the same as hand-overs and webhooks. */
const CENTRE = ourCentre();

/** The largest EIDO document taken in. */
const MAX_EIDO_BYTES = 1024 * 1024;

const EidoBody = Type.Unknown({ description: 'An EIDO 1.0 document (NENA-STA-021.1b), application/json' });

const ReportedUnit = Type.Object({
  name: Type.String(),
  resourceType: Type.String({ description: 'Emergency Resource Type-Common' }),
  unitType: Type.Optional(Type.String()),
  status: Type.Optional(Type.String()),
});

const ImportResult = Type.Object({
  incidentId: Type.String(),
  created: Type.Boolean({ description: 'true when this document made a new incident' }),
  changed: Type.Boolean({ description: 'false when this version of the document had already been taken in' }),
  source: Type.String({ description: "the issuing agency (the root's updatedByAgencyReference)" }),
  externalId: Type.String({ description: "the document's $id" }),
  outsideServiceArea: Type.Optional(Type.Literal(true)),
  units: Type.Array(ReportedUnit, { description: "the sender's units as the document reports them; they are not ours and are not dispatched" }),
});

/**
 * NENA EIDO 1.0 (NENA-STA-021.1b): an incident out as an EIDO document, and documents in as
 * incidents, idempotent by the issuing agency and the document's $id.
 */
export const eidoRoutes =
  ({ app, queries }: RouteDeps): FastifyPluginAsyncTypebox =>
  async (server) => {
    const validation = new EidoValidation();
    server.addHook('onClose', async () => validation.close());

    server.get(
      '/api/incidents/:id/eido',
      {
        schema: {
          tags,
          summary: 'An incident as an EIDO 1.0 document (NENA-STA-021.1b): location as PIDF-LO, values from the NENA registries',
          params: IdParams,
        },
      },
      async (req, reply) => {
        const doc = await currentEido({ store: app.store, queries }, req.params.id, CENTRE);
        if (doc === undefined) return sendError(reply, 'UnknownIncident', `No incident has id ${req.params.id}`);
        return reply.type('application/json; charset=utf-8').send(doc);
      },
    );

    server.post(
      '/api/eido',
      {
        bodyLimit: MAX_EIDO_BYTES,
        schema: {
          tags,
          summary:
            'Take in an EIDO 1.0 document: 201 with a new incident, 200 when it updates the incident made from the same $id and issuing agency (or changes nothing); 422 InvalidDocument lists every error with its JSON path',
          body: EidoBody,
          response: { 200: ImportResult, 201: ImportResult },
        },
      },
      async (req, reply) => {
        const doc = await readEidoDocument(req.body, validation, (nature) => app.config.plans.get(nature)?.defaultPriority ?? 2);
        const taken = await takeInDocument(app, doc, writeContext(req));
        if (!taken.ok) {
          failed(reply, taken.outcome);
          return reply;
        }
        if (taken.created) reply.header('location', `/api/incidents/${taken.incidentId}`);
        return reply.code(taken.created ? 201 : 200).send({
          incidentId: taken.incidentId,
          created: taken.created,
          changed: taken.changed,
          source: doc.origin.source,
          externalId: doc.origin.externalId,
          ...(taken.outsideServiceArea ? { outsideServiceArea: true as const } : {}),
          units: [...doc.read.units],
        });
      },
    );
  };
