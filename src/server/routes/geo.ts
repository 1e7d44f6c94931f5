import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { PROJECT_ROOT } from '../../config/configuration.ts';
import { cityGeodata, isMajorRoad, ROADS_ATTRIBUTION } from '../../geocoding/city-data.ts';
import type { Place } from '../../geocoding/places.ts';
import { streetBasemap } from '../../map/street-basemap.ts';
import type { RouteDeps } from '../route-deps.ts';

const GeocodeQuery = Type.Object(
  {
    q: Type.String({ minLength: 1, maxLength: 200, description: 'What was typed: "1400 Market St", "Market & 5th", "Station 36"…' }),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, default: 8 })),
  },
  { additionalProperties: false },
);

const LatLonSchema = Type.Object({ lat: Type.Number(), lon: Type.Number() });
const GeocodeAnswer = Type.Object({
  suggestions: Type.Array(
    Type.Object({
      label: Type.String(),
      kind: Type.Union([Type.Literal('address'), Type.Literal('intersection'), Type.Literal('street'), Type.Literal('place')]),
      location: LatLonSchema,
      precision: Type.Union([
        Type.Literal('block'),
        Type.Literal('interpolated'),
        Type.Literal('intersection'),
        Type.Literal('street'),
        Type.Literal('exact'),
      ]),
      detail: Type.Optional(Type.String()),
    }),
  ),
});

/** Attribution of the map's data when no tile server is configured: the bundled roads. */
const MAP_ATTRIBUTION = `Streets: ${ROADS_ATTRIBUTION}`;

interface Basemap {
  readonly json: Buffer;
  readonly gzip: Buffer;
  readonly etag: string;
}

/**
 * The map and the address field's data, all from files bundled with the product: suggestions for
 * typed addresses (src/geocoding), the street network to draw, and where tiles come from if an
 * online deployment has a tile server (SAMARITAN_TILE_URL).
 */
export const geoRoutes =
  ({ app }: RouteDeps): FastifyPluginAsyncTypebox =>
  async (server) => {
    const city = () => cityGeodata(PROJECT_ROOT);

    /** Stations, hospitals and AEDs, read afresh each time: an AED import or a new station shows at once. */
    const places = async (): Promise<Place[]> => {
      const stations = (await app.queries.stations()).map((s) => ({
        name: s.name,
        location: s.location,
        detail: `Fire station · ${s.address.replace(/, San Francisco$/, '')}`,
        address: s.address,
      }));
      const aeds = app.aeds
        .all()
        .filter((a) => a.status !== 'removed')
        .map((a) => ({ name: a.placeName, location: a.location, detail: ['AED', a.floor, a.access].filter(Boolean).join(' · ') }));
      return [...stations, ...city().healthCare, ...aeds];
    };

    server.get(
      '/api/geocode',
      {
        schema: {
          tags: ['map'],
          summary: 'Address suggestions, offline: streets, "A & B" intersections, house numbers on their block, stations, hospitals, AEDs',
          querystring: GeocodeQuery,
          response: { 200: GeocodeAnswer },
        },
      },
      async (req) => ({ suggestions: city().geocoder.suggest(req.query.q, await places(), req.query.limit ?? 8) }),
    );

    let basemap: Basemap | undefined;
    const drawnStreets = (): Basemap => {
      if (basemap) return basemap;
      const lines = city().roads.map((r) => ({ ...(r.name ? { name: r.name } : {}), kind: isMajorRoad(r.mtfcc) ? ('major' as const) : ('minor' as const), line: r.line }));
      const json = Buffer.from(JSON.stringify(streetBasemap(lines, ROADS_ATTRIBUTION)));
      basemap = { json, gzip: gzipSync(json, { level: 9 }), etag: `"${createHash('sha256').update(json).digest('base64url').slice(0, 27)}"` };
      return basemap;
    };

    server.get(
      '/api/map/streets',
      {
        schema: {
          tags: ['map'],
          summary: 'The bundled street network as GeoJSON LineStrings for drawing (properties.kind major|minor), with an ETag; gzip when accepted',
        },
      },
      async (req, reply) => {
        const map = drawnStreets();
        // Private: the answer needs a sign-in, so no shared cache may keep it.
        reply.header('etag', map.etag).header('cache-control', 'private, max-age=86400').header('vary', 'accept-encoding');
        if (req.headers['if-none-match'] === map.etag) return reply.code(304).send();
        reply.type('application/geo+json');
        if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) return reply.header('content-encoding', 'gzip').send(map.gzip);
        return reply.send(map.json);
      },
    );

    server.get(
      '/api/map/config',
      {
        schema: {
          tags: ['map'],
          summary: 'Where map tiles come from (tileUrl, when SAMARITAN_TILE_URL is set; else draw GET /api/map/streets) and the attribution to show',
          response: { 200: Type.Object({ tileUrl: Type.Optional(Type.String()), attribution: Type.String() }) },
        },
      },
      async () => {
        const tileUrl = process.env['SAMARITAN_TILE_URL']?.trim();
        if (!tileUrl) return { attribution: MAP_ATTRIBUTION };
        const attribution = process.env['SAMARITAN_TILE_ATTRIBUTION']?.trim() || '© OpenStreetMap contributors';
        return { tileUrl, attribution };
      },
    );
  };
