import { Type, type Static } from 'typebox';
import { INCIDENT_STATUSES, UNIT_STATUSES } from '../core/statuses.ts';

/** Request and response shapes of the HTTP API, validated at the edge and published in /openapi.json. */
const text = (maxLength: number) => Type.String({ maxLength });

export const LatLonSchema = Type.Object(
  {
    lat: Type.Number({ minimum: -90, maximum: 90, description: 'WGS84 latitude, decimal degrees' }),
    lon: Type.Number({ minimum: -180, maximum: 180, description: 'WGS84 longitude, decimal degrees' }),
  },
  { additionalProperties: false },
);

const detailFields = {
  location: LatLonSchema,
  address: text(300),
  floor: text(50),
  access: text(500),
  nature: Type.String({ pattern: '^[a-z_]{1,40}$', description: 'Nature code, see GET /api/natures' }),
  priority: Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(3)], { description: '1 is highest' }),
  place: Type.Union([Type.Literal('public'), Type.Literal('home'), Type.Literal('unknown')], {
    description: 'Public place or private home, for the volunteer policy (config/volunteer-policy.json); absent = unknown, treated as a home',
  }),
  callerName: text(200),
  callbackNumber: Type.String({ maxLength: 40, pattern: '^[0-9+()\\-. ]*$' }),
  notes: text(4000),
  outsideServiceArea: Type.Literal('accept', {
    description: 'Supervisors only: log the incident even though its location lies outside the service area (else 422 OutsideServiceArea)',
  }),
};

export const CreateIncidentBody = Type.Object(
  {
    location: detailFields.location,
    nature: detailFields.nature,
    priority: Type.Optional(detailFields.priority),
    place: Type.Optional(detailFields.place),
    address: Type.Optional(detailFields.address),
    floor: Type.Optional(detailFields.floor),
    access: Type.Optional(detailFields.access),
    callerName: Type.Optional(detailFields.callerName),
    callbackNumber: Type.Optional(detailFields.callbackNumber),
    notes: Type.Optional(detailFields.notes),
    outsideServiceArea: Type.Optional(detailFields.outsideServiceArea),
  },
  { additionalProperties: false },
);
export type CreateIncidentBody = Static<typeof CreateIncidentBody>;

export const UpdateIncidentBody = Type.Object(
  {
    location: Type.Optional(detailFields.location),
    nature: Type.Optional(detailFields.nature),
    priority: Type.Optional(detailFields.priority),
    place: Type.Optional(detailFields.place),
    address: Type.Optional(detailFields.address),
    floor: Type.Optional(detailFields.floor),
    access: Type.Optional(detailFields.access),
    callerName: Type.Optional(detailFields.callerName),
    callbackNumber: Type.Optional(detailFields.callbackNumber),
    notes: Type.Optional(detailFields.notes),
    outsideServiceArea: Type.Optional(detailFields.outsideServiceArea),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateIncidentBody = Static<typeof UpdateIncidentBody>;

const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' });
export const IdParams = Type.Object({ id: Id });

export const DispatchBody = Type.Object(
  { unitIds: Type.Array(Id, { minItems: 1, maxItems: 50 }) },
  { additionalProperties: false },
);
export const ReasonBody = Type.Object({ reason: Type.Optional(text(500)) }, { additionalProperties: false });
export const MergeBody = Type.Object({ into: Id }, { additionalProperties: false });

export const UnitStatusBody = Type.Object(
  {
    status: Type.Union(UNIT_STATUSES.map((s) => Type.Literal(s))),
    reason: Type.Optional(text(500)),
  },
  { additionalProperties: false },
);

export const PositionBody = Type.Object(
  {
    lat: LatLonSchema.properties.lat,
    lon: LatLonSchema.properties.lon,
    at: Type.Optional(Type.String({ format: 'date-time', description: 'When the fix was taken; default now' })),
  },
  { additionalProperties: false },
);

export const PositionBatchBody = Type.Object(
  {
    fixes: Type.Array(
      Type.Object(
        {
          unitId: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' }),
          lat: LatLonSchema.properties.lat,
          lon: LatLonSchema.properties.lon,
          at: Type.Optional(Type.String({ format: 'date-time' })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 10_000 },
    ),
  },
  { additionalProperties: false },
);

const statusList = [...INCIDENT_STATUSES, 'open', 'all'].join('|');
export const IncidentListQuery = Type.Object(
  {
    status: Type.Optional(
      Type.String({
        pattern: `^(${statusList})(,(${statusList}))*$`,
        description: 'open (default), all, or a comma-separated list of statuses',
      }),
    ),
    limit: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 5000,
        description: 'A page: default 50, at most 200 with q, nature, from, to or cursor; a plain list by status keeps default 500, at most 5000',
      }),
    ),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Words to find in the id, address, nature or notes (all of them, any case)' })),
    nature: Type.Optional(Type.String({ pattern: '^[a-z0-9_]+(,[a-z0-9_]+)*$', maxLength: 1000, description: 'A comma-separated list of natures' })),
    from: Type.Optional(Type.String({ format: 'date-time', description: 'Received at or after this time' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'Received before this time' })),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 500, pattern: '^[A-Za-z0-9_-]+$', description: 'The `next` of the previous page' })),
  },
  { additionalProperties: false },
);

export const NearbyQuery = Type.Object(
  {
    lat: LatLonSchema.properties.lat,
    lon: LatLonSchema.properties.lon,
    radiusM: Type.Optional(Type.Integer({ minimum: 1, maximum: 2000, description: 'default 300' })),
    minutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 240, description: 'Closed incidents received this recently count too; default 30' })),
  },
  { additionalProperties: false },
);

export const RecommendationQuery = Type.Object(
  {
    alarm: Type.Optional(Type.Integer({ minimum: 1, maximum: 9, description: "The response plan's greater alarm level: every level up to it is added" })),
    more: Type.Optional(
      Type.Union([Type.String({ maxLength: 500 }), Type.Array(Type.String({ maxLength: 100 }), { maxItems: 20 })], {
        description: '<capability>:<count>, repeated or comma-separated, e.g. engine:2,ladder:1',
      }),
    ),
  },
  { additionalProperties: false },
);

export const EventsQuery = Type.Object(
  {
    after: Type.Optional(Type.Integer({ minimum: 0, default: 0, description: 'Return events with seq greater than this' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  },
  { additionalProperties: false },
);

export const ErrorSchema = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String(), details: Type.Optional(Type.Unknown()) }),
});
