import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { HANDOVER_REASON_MAX } from '../../core/handover-terms.ts';
import { epochMs } from '../../core/ids.ts';
import type { Partner } from '../../config/partners-config.ts';
import { DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignedRequest } from '../../alerting/signed-post.ts';
import { EidoValidation } from '../../interop/eido/eido-validation.ts';
import { emsiMessageOf, readEidoDocument, readEmsiMessage } from '../document-readers.ts';
import { sendError } from '../error-handler.ts';
import { HttpError } from '../error-status.ts';
import { failed } from '../outcome.ts';
import type { RouteDeps } from '../route-deps.ts';
import { IdParams } from '../schemas.ts';
import { takeInDocument } from '../take-in-document.ts';
import { writeContext } from '../write-context.ts';
import { installXmlParser, MAX_XML_BODY_BYTES } from '../xml-body.ts';

const tags = ['handover'];

const PartnerView = Type.Object({ id: Type.String(), name: Type.String(), format: Type.Union([Type.Literal('eido'), Type.Literal('emsi')]) });

const HandOverBody = Type.Object(
  {
    partnerId: Type.String({ minLength: 1, maxLength: 64 }),
    reason: Type.String({ minLength: 1, maxLength: HANDOVER_REASON_MAX }),
  },
  { additionalProperties: false },
);

const HandOverAccepted = Type.Object({
  handoverId: Type.String(),
  incidentId: Type.String(),
  partnerId: Type.String(),
  status: Type.Literal('requested'),
});

const PartnerParams = Type.Object({ partnerId: Type.String({ minLength: 1, maxLength: 64 }) });

const Acknowledgement = Type.Object({
  acknowledged: Type.Literal(true),
  handoverId: Type.Optional(Type.String({ description: `the sender's ${DELIVERY_HEADER}` })),
  incidentId: Type.String({ description: 'our incident made from the document' }),
  created: Type.Boolean(),
  changed: Type.Boolean({ description: 'false: this document had already been taken in (a repeated delivery)' }),
  externalId: Type.String({ description: "the document's id: EIDO $id, or EMSI EVENT/ID" }),
  outsideServiceArea: Type.Optional(Type.Literal(true)),
});

const badSignature = () => new HttpError('PartnerSignatureInvalid', 'The request is not signed by a partner centre with a current timestamp');

/** Whether a partner we know signed these bytes, with a current timestamp (the one check every signed request gets). */
function partnerSigned(partner: Partner | undefined, timestamp: unknown, signature: unknown, body: Buffer, nowS: number): partner is Partner {
  if (partner === undefined || typeof timestamp !== 'string' || typeof signature !== 'string') return false;
  return verifySignedRequest(partner.key, timestamp, body, signature, nowS);
}

/**
 * Mutual aid. Out: a dispatcher hands an incident to a partner centre (the sender,
 * src/reactors/handover-sender.ts, takes it from there). In: a partner's hand-over, signed with the
 * key we share, taken in through the EIDO or EMSI import as the partner's format says, marked with
 * the partner as its origin, and acknowledged.
 */
export const handOverRoutes =
  ({ app }: RouteDeps): FastifyPluginAsyncTypebox =>
  async (server) => {
    const { partners } = app.handovers;

    server.get(
      '/api/partners',
      { schema: { tags, summary: 'The partner centres an incident may be handed over to', response: { 200: Type.Array(PartnerView) } } },
      () => [...partners.values()].map((p) => ({ id: p.id, name: p.name, format: p.format })),
    );

    server.post(
      '/api/incidents/:id/handover',
      {
        schema: {
          tags,
          summary:
            "Hand the incident over to a partner centre: 202 at once; the document goes out in the partner's format, signed, retried while the partner is down; the incident's handovers show requested, sent, acknowledged or refused",
          params: IdParams,
          body: HandOverBody,
          response: { 202: HandOverAccepted },
        },
      },
      async (req, reply) => {
        const partner = partners.get(req.body.partnerId);
        if (partner === undefined) return sendError(reply, 'UnknownPartner', `No partner centre has id ${req.body.partnerId}`);
        const handoverId = randomUUID();
        const outcome = await app.writer.execute(
          { type: 'HandOverIncident', now: epochMs(app.clock()), incidentId: req.params.id, handoverId, partnerId: partner.id, format: partner.format, reason: req.body.reason },
          writeContext(req),
        );
        if (failed(reply, outcome)) return reply;
        return reply.code(202).send({ handoverId, incidentId: req.params.id, partnerId: partner.id, status: 'requested' as const });
      },
    );

    // The intake checks the signature over the bytes as sent, so its JSON is parsed here, not by the server.
    const intakePlugin: FastifyPluginAsyncTypebox = async (intake) => {
      const validation = new EidoValidation();
      intake.addHook('onClose', async () => validation.close());
      intake.removeContentTypeParser('application/json');
      intake.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: MAX_XML_BODY_BYTES * 2 }, (_req, body, done) => done(null, body));
      installXmlParser(intake);

      intake.post(
        '/api/partners/:partnerId/incidents',
        {
          bodyLimit: MAX_XML_BODY_BYTES * 2,
          schema: {
            tags,
            summary:
              "A partner centre hands us an incident: its format's document (EIDO JSON, or EMSI JSON or XML), signed with our shared key (x-samaritan-timestamp, x-samaritan-signature: sha256=HMAC(key, timestamp + '.' + body)); 201 with the new incident or 200 for a repeated delivery, as the acknowledgement; 401 PartnerSignatureInvalid; 422 InvalidDocument with every error's path",
            params: PartnerParams,
            body: Type.Unknown({ description: "the partner's document, as bytes" }),
            response: { 200: Acknowledgement, 201: Acknowledgement },
          },
        },
        async (req, reply) => {
          const partner = partners.get(req.params.partnerId);
          const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
          const nowS = Math.floor(app.clock() / 1000);
          if (!partnerSigned(partner, req.headers[TIMESTAMP_HEADER], req.headers[SIGNATURE_HEADER], body, nowS)) throw badSignature();
          const xml = /\bxml\b/.test(req.headers['content-type'] ?? '');
          // The format is the one the partner writes, which need not be the one it reads from us.
          const json = xml ? undefined : parseJson(body);
          const doc = xml
            ? readEmsiMessage(emsiMessageOf(body))
            : isEido(json)
              ? await readEidoDocument(json, validation, (nature) => app.config.plans.get(nature)?.defaultPriority ?? 2)
              : readEmsiMessage(emsiMessageOf(json));
          const origin = { source: `partner:${partner.id}`, externalId: doc.origin.externalId };
          const taken = await takeInDocument(app, { ...doc, origin }, { actor: { kind: 'system', id: `partner:${partner.id}` }, requestId: req.id });
          if (!taken.ok) {
            failed(reply, taken.outcome);
            return reply;
          }
          const handoverId = req.headers[DELIVERY_HEADER];
          return reply
            .code(taken.created ? 201 : 200)
            .header('location', `/api/incidents/${taken.incidentId}`)
            .send({
              acknowledged: true as const,
              ...(typeof handoverId === 'string' && handoverId.length <= 100 ? { handoverId } : {}),
              incidentId: taken.incidentId,
              created: taken.created,
              changed: taken.changed,
              externalId: origin.externalId,
              ...(taken.outsideServiceArea ? { outsideServiceArea: true as const } : {}),
            });
        },
      );
    };
    await server.register(intakePlugin);
  };

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw new HttpError('MalformedJson', 'The body is not valid JSON');
  }
}

/** An EIDO document names its version at the root; anything else in JSON is read as EMSI. */
function isEido(json: unknown): boolean {
  return typeof json === 'object' && json !== null && !Array.isArray(json) && ('eidoVersion' in json || '$id' in json);
}
