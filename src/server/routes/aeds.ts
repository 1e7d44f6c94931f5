import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import sjson from 'secure-json-parse';
import { Type } from 'typebox';
import { AedRegistry, type AedFormat } from '../../volunteers/aeds.ts';
import { AED_STATUSES } from '../../core/aed.ts';
import type { RouteDeps } from '../route-deps.ts';
import { principalOf } from '../auth.ts';
import { sendError } from '../error-handler.ts';
import { writeContext } from '../write-context.ts';
import { HttpError } from '../error-status.ts';
import { jsonDepth, MAX_JSON_DEPTH } from '../json-body.ts';
import { LatLonSchema } from '../schemas.ts';

const tags = ['aeds'];
const IMPORT_LIMIT = 8 * 1024 * 1024;

const AedQuery = Type.Object(
  {
    lat: Type.Optional(LatLonSchema.properties.lat),
    lon: Type.Optional(LatLonSchema.properties.lon),
    radiusM: Type.Optional(Type.Number({ minimum: 1, maximum: 50_000, default: 1000, description: 'With lat and lon: only AEDs this close (m)' })),
    status: Type.Optional(Type.Union(AED_STATUSES.map((s) => Type.Literal(s)))),
  },
  { additionalProperties: false },
);

/** The AED registry: staff read it (with whether each is open now); admins import CSV or GeoJSON files. */
export const aedRoutes =
  ({ app }: RouteDeps): FastifyPluginAsyncTypebox =>
  async (server) => {
    // Registry files arrive as they are: CSV text, or GeoJSON (bounded like every JSON body).
    server.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: IMPORT_LIMIT }, (_req, body, done) => done(null, body));
    server.addContentTypeParser('application/geo+json', { parseAs: 'string', bodyLimit: IMPORT_LIMIT }, (_req, body, done) => {
      const text = body as string;
      if (jsonDepth(text) > MAX_JSON_DEPTH) return done(new HttpError('JsonTooDeep', `JSON nests deeper than ${MAX_JSON_DEPTH} levels`), undefined);
      try {
        done(null, sjson.parse(text, null, { protoAction: 'error', constructorAction: 'error' }) as unknown);
      } catch {
        done(new HttpError('MalformedJson', 'The body is not valid JSON'), undefined);
      }
    });

    server.get('/api/aeds', { schema: { tags, summary: 'AEDs with place, floor, access, hours and whether each is open now', querystring: AedQuery } }, async (req, reply) => {
      const { lat, lon, radiusM, status } = req.query;
      if ((lat === undefined) !== (lon === undefined)) return sendError(reply, 'ValidationFailed', 'Give both lat and lon, or neither');
      const now = app.clock();
      const found =
        lat !== undefined && lon !== undefined
          ? app.aeds.near({ lat, lon }, radiusM ?? 1000).map(({ record, distanceM }) => app.aeds.view(record, now, distanceM))
          : app.aeds.all().map((r) => app.aeds.view(r, now));
      const aeds = status === undefined ? found : found.filter((a) => a.status === status);
      return { aeds, count: aeds.length, synthetic: aeds.filter((a) => a.synthetic).length };
    });

    server.post(
      '/api/aeds/import',
      {
        schema: {
          tags,
          summary: 'Import AEDs (admins): text/csv, or a GeoJSON FeatureCollection as application/geo+json or application/json. All or nothing.',
          querystring: Type.Object(
            { source: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Where the file came from, for the audit log' })) },
            { additionalProperties: false },
          ),
        },
        bodyLimit: IMPORT_LIMIT,
        config: { ownBody: true },
      },
      async (req, reply) => {
        const format: AedFormat = typeof req.body === 'string' ? 'csv' : 'geojson';
        const source = req.query.source ?? `upload by ${principalOf(req).name}`;
        const parsed = AedRegistry.parse(format, req.body, source);
        if (!parsed.ok) {
          return sendError(reply, 'ValidationFailed', `The ${format === 'csv' ? 'CSV' : 'GeoJSON'} file has ${parsed.problems.length} problem(s); nothing was imported`, {
            problems: parsed.problems,
          });
        }
        const counts = await app.aeds.save(parsed.records, { source, format, by: principalOf(req).name, ctx: writeContext(req) });
        return { format, ...counts };
      },
    );
  };
