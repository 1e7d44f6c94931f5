import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { epochMs } from '../../core/ids.ts';
import type { RouteDeps } from '../app.ts';
import { sendError } from '../error-handler.ts';
import { failed } from '../outcome.ts';
import { IdParams, PositionBody, UnitStatusBody } from '../schemas.ts';

const tags = ['units'];
/** A fix stamped further ahead than this is a clock fault on the device, not a position (ms). */
const FUTURE_TOLERANCE_MS = 60_000;

export const unitRoutes =
  ({ app, queries }: RouteDeps): FastifyPluginAsyncTypebox =>
  async (server) => {
    server.get('/api/units', { schema: { tags, summary: 'Every unit with its status and last position' } }, async () => ({
      units: await queries.units(),
    }));

    server.get('/api/units/:id', { schema: { tags, summary: 'One unit', params: IdParams } }, async (req, reply) => {
      const unit = (await queries.units()).find((u) => u.id === req.params.id);
      return unit ?? sendError(reply, 'UnknownUnit', `No unit has id ${req.params.id}`);
    });

    server.post(
      '/api/units/:id/status',
      { schema: { tags, summary: 'Move a unit along its status machine', params: IdParams, body: UnitStatusBody } },
      async (req, reply) => {
        const { status, reason } = req.body;
        const outcome = await app.commands.execute(
          {
            type: 'ChangeUnitStatus',
            now: epochMs(app.clock()),
            unitId: req.params.id,
            status,
            ...(reason === undefined ? {} : { reason }),
          },
          { meta: { reqId: req.id } },
        );
        return failed(reply, outcome) ? reply : queries.unit(req.params.id);
      },
    );

    server.post(
      '/api/units/:id/position',
      {
        schema: {
          tags,
          summary: 'Report a unit’s position (AVL). Every fix updates the live map; a sample is written to the log.',
          params: IdParams,
          body: PositionBody,
        },
        config: { rateLimit: { max: 1200, timeWindow: 60_000, keyGenerator: (req) => req.principal?.credentialId ?? req.ip } },
      },
      async (req, reply) => {
        const now = app.clock();
        const at = req.body.at === undefined ? now : Date.parse(req.body.at);
        if (at > now + FUTURE_TOLERANCE_MS) {
          return sendError(reply, 'ValidationFailed', 'The fix is stamped in the future', { at: req.body.at });
        }
        const unit = await queries.unit(req.params.id);
        if (!unit) return sendError(reply, 'UnknownUnit', `No unit has id ${req.params.id}`);
        const location = { lat: req.body.lat, lon: req.body.lon };
        const sample = app.positions.update(unit.id, { location, at });
        if (sample) {
          const outcome = await app.commands.execute(
            { type: 'RecordUnitPosition', now: epochMs(at), unitId: unit.id, location },
            { meta: { reqId: req.id } },
          );
          if (failed(reply, outcome)) return reply;
        }
        return reply.code(202).send({ unitId: unit.id, accepted: true, recorded: sample });
      },
    );
  };
