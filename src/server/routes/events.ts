import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { RouteDeps } from '../route-deps.ts';
import { EventsQuery } from '../schemas.ts';

export const eventRoutes =
  ({ app }: RouteDeps): FastifyPluginAsyncTypebox =>
  async (server) => {
    server.get(
      '/api/events',
      {
        schema: {
          tags: ['events'],
          summary: 'The ordered event log: page with ?after=<last seq seen>',
          querystring: EventsQuery,
        },
      },
      async (req) => {
        const events = await app.store.readAfter(req.query.after ?? 0, req.query.limit ?? 100);
        return {
          events: events.map((e) => ({
            seq: e.seq,
            type: e.type,
            at: e.at,
            stream: e.stream,
            version: e.version,
            recordedAt: e.recordedAt,
            data: e.data,
          })),
          head: await app.store.headSeq(),
        };
      },
    );
  };
