import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { epochMs, type IncidentId } from '../../core/ids.ts';
import { incidentStream } from '../../core/streams.ts';
import type { SchemaError } from '../../interop/eido/eido-schema.ts';
import type { EidoDocument } from '../../interop/eido/eido-types.ts';
import { EidoValidation } from '../../interop/eido/eido-validation.ts';
import { eidoChanges, eidoDetails, fromEido, type EidoIncident } from '../../interop/eido/from-eido.ts';
import { toEido, type EidoCentre, type EidoUnit } from '../../interop/eido/to-eido.ts';
import type { Outcome } from '../../log/writer.ts';
import { findIncidentByOrigin } from '../../read-models/incident-origins.ts';
import { DEMO_TIME_ZONE, utcOffsetMinAt } from '../../time/time-zone.ts';
import { sendError } from '../error-handler.ts';
import { HttpError } from '../error-status.ts';
import { failed } from '../outcome.ts';
import type { RouteDeps } from '../route-deps.ts';
import { IdParams } from '../schemas.ts';
import { writeContext } from '../write-context.ts';

const tags = ['eido'];

/** Our centre as EIDO names it; a deployment sets its own agency id (a domain name, NENA's habit). */
const CENTRE: EidoCentre = {
  agencyId: process.env['SAMARITAN_AGENCY_ID'] ?? 'samaritan.invalid',
  elementId: process.env['SAMARITAN_EIDO_ELEMENT_ID'] ?? `cad.${process.env['SAMARITAN_AGENCY_ID'] ?? 'samaritan.invalid'}`,
  agencyTypes: (process.env['SAMARITAN_AGENCY_TYPES'] ?? 'fire,ems').split(',').filter((t) => t !== ''),
};
/** EIDO timestamps are written in the centre's local time, with its offset. */
const TIME_ZONE = process.env['SAMARITAN_TIME_ZONE'] ?? DEMO_TIME_ZONE;

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

const invalid = (errors: readonly SchemaError[]): HttpError =>
  new HttpError('InvalidDocument', `The EIDO document is not valid: ${errors.length} error(s)`, { errors });

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
        const id = req.params.id;
        const [snapshots, timeline] = await Promise.all([app.store.load([incidentStream(id as IncidentId)]), app.store.readIncidentTimeline(id)]);
        const snap = snapshots.get(incidentStream(id as IncidentId));
        const incident = await queries.incident(id);
        if (snap === undefined || incident === undefined) return sendError(reply, 'UnknownIncident', `No incident has id ${id}`);
        const units = new Map<string, EidoUnit>();
        for (const unitId of Object.keys(incident.assignments)) {
          const unit = await queries.unit(unitId);
          if (unit !== undefined) units.set(unitId, unit);
        }
        const last = timeline.reduce((t, e) => Math.max(t, Date.parse(e.at)), Date.parse(incident.statusChangedAt));
        const doc = toEido({
          incident,
          version: snap.version,
          lastUpdatedAt: last,
          units,
          centre: CENTRE,
          utcOffsetMinAt: (t) => utcOffsetMinAt(TIME_ZONE, t),
        });
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
        const errors = await validation.check(req.body);
        if (errors !== undefined) throw invalid(errors);
        const read = fromEido(req.body as EidoDocument);
        if (!read.ok) {
          if (read.code === 'InvalidDocument') throw invalid(read.errors);
          throw new HttpError(read.code, read.message, { path: read.path });
        }
        return takeIn(read, reply, req);
      },
    );

    async function takeIn(doc: EidoIncident, reply: FastifyReply, req: Parameters<typeof writeContext>[0]): Promise<FastifyReply> {
      const answer = (incidentId: string, created: boolean, changed: boolean, outside: boolean) => ({
        incidentId,
        created,
        changed,
        source: doc.origin.source,
        externalId: doc.origin.externalId,
        ...(outside ? { outsideServiceArea: true as const } : {}),
        units: doc.units,
      });
      for (let attempt = 0; attempt < 2; attempt++) {
        const lookup = await findIncidentByOrigin(app.store, doc.origin);
        if (lookup.found) {
          const s = lookup.found;
          const changes = eidoChanges(s.details, doc);
          if (Object.keys(changes).length === 0) return reply.code(200).send(answer(s.id, false, false, s.outsideServiceArea === true));
          const outcome: Outcome = await app.writer.execute(
            // An import is never refused for its place; a move outside is marked like the first one.
            { type: 'UpdateIncident', now: epochMs(app.clock()), incidentId: s.id, changes, outsideServiceArea: 'accept' },
            writeContext(req),
          );
          if (failed(reply, outcome)) return reply;
          const now = await queries.incident(s.id);
          return reply.code(200).send(answer(s.id, false, true, now?.outsideServiceArea === true));
        }
        if (lookup.freeId === undefined) return sendError(reply, 'IncidentAlreadyExists', 'Every id this document may take is held by another document');
        const priority = app.config.plans.get(doc.nature)?.defaultPriority ?? 2;
        const outcome: Outcome = await app.writer.execute(
          { type: 'ReceiveIncident', now: epochMs(app.clock()), incidentId: lookup.freeId, details: eidoDetails(doc, priority), origin: doc.origin },
          writeContext(req),
        );
        // The same document delivered twice at once: the other delivery made it; look again.
        if (!outcome.ok && outcome.code === 'IncidentAlreadyExists') continue;
        if (failed(reply, outcome)) return reply;
        const outside = outcome.events?.some((e) => e.type === 'IncidentReceived' && e.data.outsideServiceArea === true) ?? false;
        return reply.code(201).header('location', `/api/incidents/${lookup.freeId}`).send(answer(lookup.freeId, true, true, outside));
      }
      return sendError(reply, 'IncidentAlreadyExists', 'The document was being taken in by another request; send it again');
    }
  };
