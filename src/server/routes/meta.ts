import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { RouteDeps } from '../route-deps.ts';

export const metaRoutes =
  ({ app, queries }: RouteDeps): FastifyPluginAsyncTypebox =>
  async (server) => {
    server.get('/healthz', { schema: { tags: ['meta'], summary: 'Ready to serve' } }, async () => ({
      status: 'ok',
      head: await app.store.headSeq(),
    }));

    server.get('/api/stations', { schema: { tags: ['stations'], summary: 'Every station' } }, async () => ({
      stations: await queries.stations(),
    }));

    server.get('/api/natures', { schema: { tags: ['natures'], summary: 'Natures and their response plans' } }, async () => ({
      version: app.config.plansVersion,
      natures: [...app.config.plans.values()],
    }));
  };
