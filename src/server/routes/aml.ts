import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { parseAmlForm, parseAmlSms, type AmlParse } from '../../interop/aml/aml.ts';
import { CallerLocationDesk } from '../../reactors/caller-location.ts';
import { HttpError } from '../error-status.ts';
import type { RouteDeps } from '../route-deps.ts';
import { writeContext } from '../write-context.ts';

const tags = ['aml'];
/** An AML message is a few hundred bytes; an SMS at most a few concatenated parts. */
const AML_BODY_LIMIT = 4096;

type AmlBody = { readonly kind: 'form'; readonly fields: Record<string, string | string[]> } | { readonly kind: 'sms'; readonly text: string };

const PostQuery = Type.Object(
  {
    from: Type.Optional(
      Type.String({ minLength: 1, maxLength: 32, description: "The calling number: the SMS's originating address (needed with text/plain), or the caller when the form has no device_number" }),
    ),
  },
  { additionalProperties: false },
);

const Fix = Type.Object({
  id: Type.String(),
  number: Type.String(),
  location: Type.Object({ lat: Type.Number(), lon: Type.Number() }),
  radiusM: Type.Number(),
  locatedAt: Type.String({ format: 'date-time' }),
  method: Type.String(),
  confidencePct: Type.Optional(Type.Number()),
  altitudeM: Type.Optional(Type.Number()),
  floor: Type.Optional(Type.String()),
  via: Type.Union([Type.Literal('https'), Type.Literal('sms')]),
  receivedAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.String({ format: 'date-time' }),
});

const Placement = Type.Object({
  fixId: Type.String(),
  placed: Type.Union([Type.Literal('incident'), Type.Literal('offered')]),
  incidentId: Type.Optional(Type.String()),
  expiresAt: Type.String({ format: 'date-time' }),
});

/**
 * Advanced Mobile Location (ETSI TS 103 625 V1.1.1; src/interop/aml/aml.ts): the operator's AML
 * gateway posts what a caller's phone sent, over HTTPS (form fields) or as the SMS text; the
 * position goes on the incident being taken for that number, or is offered to the call-taker's form.
 */
export const amlRoutes =
  ({ app }: RouteDeps): FastifyPluginAsyncTypebox =>
  async (server) => {
    const desk = new CallerLocationDesk({
      store: app.store,
      records: app.shortLived,
      writer: app.writer,
      tail: app.tail,
      clock: app.clock,
      newId: () => randomUUID(),
      onError: (e) => server.log.error({ err: e }, 'caller location'),
    });
    server.addHook('onClose', async () => desk.close());

    server.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: AML_BODY_LIMIT }, (_req, body, done) => {
      const fields: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
      for (const [k, v] of new URLSearchParams(body as string)) {
        const prior = fields[k];
        fields[k] = prior === undefined ? v : [...(Array.isArray(prior) ? prior : [prior]), v];
      }
      done(null, { kind: 'form', fields } satisfies AmlBody);
    });
    server.addContentTypeParser('text/plain', { parseAs: 'string', bodyLimit: AML_BODY_LIMIT }, (_req, body, done) =>
      done(null, { kind: 'sms', text: body as string } satisfies AmlBody),
    );

    server.post(
      '/api/aml',
      {
        schema: {
          tags,
          summary:
            'A caller\'s phone position (AML, ETSI TS 103 625 V1.1.1): application/x-www-form-urlencoded fields (HTTPS format) or text/plain A"ML=1;lt=…;lg=…;rd=… (SMS format, with ?from=). Placed on the open incident with that callback number, else offered for a new one',
          querystring: PostQuery,
          response: { 200: Placement },
        },
        bodyLimit: AML_BODY_LIMIT,
        config: { ownBody: true },
      },
      async (req) => {
        const body = req.body as AmlBody | undefined;
        const from = req.query.from;
        let parsed: AmlParse;
        if (body?.kind === 'form') parsed = parseAmlForm(body.fields, from);
        else if (body?.kind === 'sms') parsed = parseAmlSms(body.text, from);
        else throw new HttpError('UnsupportedMediaType', 'Send AML as application/x-www-form-urlencoded (HTTPS format) or text/plain (SMS format)');
        if (!parsed.ok) throw new HttpError(parsed.code, parsed.message, parsed.field === undefined ? undefined : { field: parsed.field });
        const placement = await desk.take(parsed.fix, writeContext(req));
        return { ...placement, placed: placement.incidentId === undefined ? ('offered' as const) : ('incident' as const) };
      },
    );

    server.get(
      '/api/aml',
      {
        schema: {
          tags,
          summary: "The latest position a caller's phone sent (AML) in the last hour, for the form of a new incident: {fix} or {fix: null}",
          querystring: Type.Object(
            { number: Type.String({ minLength: 3, maxLength: 32, description: 'The callback number as typed; matched on its digits' }) },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ fix: Type.Union([Fix, Type.Null()]) }) },
        },
      },
      async (req) => {
        if (req.query.number.replace(/\D/g, '').length < 7) {
          throw new HttpError('ValidationFailed', 'number: at least 7 digits', [{ path: '/number', message: 'must have at least 7 digits' }]);
        }
        const held = await desk.offered(req.query.number);
        if (!held) return { fix: null };
        const { fix } = held;
        return {
          fix: {
            id: held.id,
            number: fix.number,
            location: fix.location,
            radiusM: fix.radiusM,
            locatedAt: fix.locatedAt,
            method: fix.method,
            ...(fix.confidencePct === undefined ? {} : { confidencePct: fix.confidencePct }),
            ...(fix.altitudeM === undefined ? {} : { altitudeM: fix.altitudeM }),
            ...(fix.floor === undefined ? {} : { floor: fix.floor }),
            via: fix.via,
            receivedAt: new Date(held.receivedAt).toISOString(),
            expiresAt: new Date(held.expiresAt).toISOString(),
          },
        };
      },
    );
  };
