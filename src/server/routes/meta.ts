import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { RouteDeps } from '../route-deps.ts';
import { sendError, STORAGE_RETRY_AFTER_S } from '../error-handler.ts';

export const metaRoutes =
  ({ app, queries }: RouteDeps): FastifyPluginAsyncTypebox =>
  async (server) => {
    // Liveness: the process answers and reads its log. Whether writes can be taken is /readyz.
    server.get('/healthz', { schema: { tags: ['meta'], summary: 'The process is alive and reads its log; whether this node leads the work done once' } }, async () => ({
      status: 'ok',
      head: await app.store.headSeq(),
      // Which node of several runs the alerting work, for operators and load balancers' dashboards.
      leader: app.cluster.isLeader,
    }));

    server.get('/readyz', { schema: { tags: ['meta'], summary: 'Ready to take writes: 503 StorageUnavailable while the disk cannot' } }, async (_req, reply) => {
      if (await app.writable()) return { status: 'ready', head: await app.store.headSeq() };
      reply.header('retry-after', String(STORAGE_RETRY_AFTER_S));
      return sendError(reply, 'StorageUnavailable', 'The store cannot write now (disk full, read-only or failing); reads still work');
    });

    server.get('/api/stations', { schema: { tags: ['stations'], summary: 'Every station' } }, async () => ({
      stations: await queries.stations(),
    }));

    server.get('/api/natures', { schema: { tags: ['natures'], summary: 'Natures and their response plans' } }, async () => ({
      version: app.config.plansVersion,
      natures: [...app.config.plans.values()],
    }));
  };
