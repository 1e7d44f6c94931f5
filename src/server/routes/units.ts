import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { epochMs } from '../../core/ids.ts';
import { FUTURE_TOLERANCE_MS, takeUnitFixes } from '../../fleet/unit-positions.ts';
import { writeContext } from '../write-context.ts';
import type { RouteDeps } from '../route-deps.ts';
import { sendError } from '../error-handler.ts';
import { failed } from '../outcome.ts';
import { IdParams, PositionBatchBody, PositionBody, UnitStatusBody } from '../schemas.ts';

const tags = ['units'];

export const unitRoutes =
  ({ app, queries }: RouteDeps): FastifyPluginAsyncTypebox =>
  async (server) => {
    server.get('/api/units', { schema: { tags, summary: 'Every unit with its status and last position' } }, async () => ({
      units: await queries.units(),
    }));

    server.get('/api/units/:id', { schema: { tags, summary: 'One unit', params: IdParams } }, async (req, reply) => {
      const unit = await queries.unitWithPosition(req.params.id);
      return unit ?? sendError(reply, 'UnknownUnit', `No unit has id ${req.params.id}`);
    });

    server.post(
      '/api/units/:id/status',
      { schema: { tags, summary: 'Move a unit along its status machine', params: IdParams, body: UnitStatusBody } },
      async (req, reply) => {
        const { status, reason } = req.body;
        const outcome = await app.writer.execute(
          {
            type: 'ChangeUnitStatus',
            now: epochMs(app.clock()),
            unitId: req.params.id,
            status,
            ...(reason === undefined ? {} : { reason }),
          },
          writeContext(req),
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
        const atMs = req.body.at === undefined ? now : Date.parse(req.body.at);
        if (atMs > now + FUTURE_TOLERANCE_MS) {
          return sendError(reply, 'ValidationFailed', 'The fix is stamped in the future', { at: req.body.at });
        }
        const [result] = await takeUnitFixes(app, [{ unitId: req.params.id, lat: req.body.lat, lon: req.body.lon, atMs }], writeContext(req));
        if (!result) return sendError(reply, 'UnknownUnit', `No unit has id ${req.params.id}`);
        if ('error' in result) return sendError(reply, result.error, result.reason, { unitId: result.unitId });
        return reply.code(202).send({ unitId: result.unitId, accepted: true, recorded: result.outcome === 'record' });
      },
    );

    server.post(
      '/api/positions',
      {
        schema: {
          tags,
          summary: 'Report many unit positions at once (AVL feed): every fix updates the live map; a sample is written to the log',
          body: PositionBatchBody,
        },
        bodyLimit: 2 * 1024 * 1024,
        config: { rateLimit: { max: 600, timeWindow: 60_000, keyGenerator: (req) => req.principal?.credentialId ?? req.ip } },
      },
      async (req, reply) => {
        const now = app.clock();
        const fixes = req.body.fixes.map((f) => ({ unitId: f.unitId, lat: f.lat, lon: f.lon, atMs: f.at === undefined ? now : Date.parse(f.at) }));
        const future = fixes.findIndex((f) => f.atMs > now + FUTURE_TOLERANCE_MS);
        if (future >= 0) return sendError(reply, 'ValidationFailed', 'A fix is stamped in the future', { index: future });
        const results = await takeUnitFixes(app, fixes, writeContext(req));
        const rejected = results.flatMap((r, index) => ('error' in r ? [{ index, unitId: r.unitId, code: r.error, reason: r.reason }] : []));
        return reply.code(202).send({
          accepted: results.length - rejected.length,
          recorded: results.filter((r) => 'outcome' in r && r.outcome === 'record').length,
          rejected,
        });
      },
    );
  };
