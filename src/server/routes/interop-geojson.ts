import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { IncidentState } from '../../core/incident.ts';
import { INCIDENT_STATUSES, OPEN_INCIDENT_STATUSES, type IncidentStatus } from '../../core/statuses.ts';
import {
  aedFeature,
  collection,
  incidentFeature,
  stationFeature,
  unitFeature,
  type UnitPlace,
} from '../../interop/geojson/geojson.ts';
import { HttpError } from '../error-status.ts';
import type { RouteDeps } from '../route-deps.ts';

const tags = ['geojson'];
const GEOJSON = 'application/geo+json';

const IncidentsQuery = Type.Object(
  {
    status: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: `Comma-separated statuses (${INCIDENT_STATUSES.join(', ')}), or "all"; default: the open ones`,
      }),
    ),
  },
  { additionalProperties: false },
);

const NoQuery = Type.Object({}, { additionalProperties: false });

/** The statuses asked for, or a 400 that names the ones that are not statuses. */
function statusesOf(param: string | undefined): readonly IncidentStatus[] {
  if (param === undefined) return OPEN_INCIDENT_STATUSES;
  const asked = param.split(',').map((s) => s.trim());
  if (asked.length === 1 && asked[0] === 'all') return INCIDENT_STATUSES;
  const unknown = asked.filter((s) => !(INCIDENT_STATUSES as readonly string[]).includes(s));
  if (unknown.length > 0) {
    throw new HttpError('ValidationFailed', `Not incident statuses: ${unknown.join(', ')}`, { unknown, statuses: INCIDENT_STATUSES });
  }
  return asked as IncidentStatus[];
}

/**
 * GeoJSON (RFC 7946) of incidents, units, stations and AEDs for other maps (a GIS, a partner's
 * dashboard). Each answer is a FeatureCollection of Points (src/interop/geojson/geojson.ts), served
 * as application/geo+json.
 */
export const geojsonRoutes =
  ({ app, queries }: RouteDeps): FastifyPluginAsyncTypebox =>
  async (server) => {
    server.get(
      '/api/geojson/incidents',
      { schema: { tags, summary: 'Incidents as an RFC 7946 FeatureCollection (open ones unless ?status=); no caller details or access notes', querystring: IncidentsQuery } },
      async (req, reply) => {
        const statuses = statusesOf(req.query.status);
        const rows = (await app.store.list('incident', statuses, 1_000_000)) as IncidentState[];
        const features = [...rows].sort((a, b) => b.receivedAt.localeCompare(a.receivedAt)).map(incidentFeature);
        return reply.type(GEOJSON).send(collection(features));
      },
    );

    server.get(
      '/api/geojson/units',
      { schema: { tags, summary: 'Units as an RFC 7946 FeatureCollection, each where it is (live fix, last logged fix, or its station)', querystring: NoQuery } },
      async (_req, reply) => {
        const features = [];
        for (const u of await queries.units()) {
          const place = placeOf(u, (id) => app.fleet.station(id)?.location);
          if (place) features.push(unitFeature(u, place));
        }
        return reply.type(GEOJSON).send(collection(features));
      },
    );

    server.get(
      '/api/geojson/stations',
      { schema: { tags, summary: 'Stations as an RFC 7946 FeatureCollection, with the units based at each', querystring: NoQuery } },
      async (_req, reply) => {
        const units = await queries.units();
        const features = (await queries.stations()).map((s) =>
          stationFeature(
            s,
            units.filter((u) => u.stationId === s.id).map((u) => u.id),
          ),
        );
        return reply.type(GEOJSON).send(collection(features));
      },
    );

    server.get(
      '/api/geojson/aeds',
      { schema: { tags, summary: 'AEDs of the registry (not removed ones) as an RFC 7946 FeatureCollection, with whether each is open now', querystring: NoQuery } },
      async (_req, reply) => {
        const now = app.clock();
        const features = app.aeds
          .all()
          .filter((a) => a.status !== 'removed')
          .map((a) => aedFeature(a, app.aeds.view(a, now)));
        return reply.type(GEOJSON).send(collection(features));
      },
    );
  };

/** Where to draw a unit: a live fix (fresh or stale), else its last logged position, else its station. */
function placeOf(
  u: Awaited<ReturnType<RouteDeps['queries']['units']>>[number],
  stationAt: (id: string) => { lat: number; lon: number } | undefined,
): UnitPlace | undefined {
  if (u.livePosition) {
    const { lat, lon, at, stale } = u.livePosition;
    return { location: { lat, lon }, source: 'live', at, stale };
  }
  if (u.position) return { location: u.position.location, source: 'logged', at: u.position.at, stale: true };
  const home = stationAt(u.stationId);
  return home ? { location: home, source: 'station', at: null, stale: false } : undefined;
}
