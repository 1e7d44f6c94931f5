import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { Queries } from '../app/queries.ts';
import type { Samaritan } from '../app/samaritan.ts';
import { installErrorHandling } from './error-handler.ts';
import { eventRoutes } from './routes/events.ts';
import { incidentRoutes } from './routes/incidents.ts';
import { metaRoutes } from './routes/meta.ts';
import { unitRoutes } from './routes/units.ts';
import { validatorCompiler } from './validation.ts';

export interface ServerOptions {
  readonly logger?: boolean | FastifyBaseLogger | { level: string };
  /** Largest accepted body, bytes. */
  readonly bodyLimit?: number;
}

/** Builds the HTTP edge around a running Samaritan. Routes validate, build commands and map outcomes. */
export async function buildServer(app: Samaritan, options: ServerOptions = {}): Promise<FastifyInstance> {
  const server = Fastify({
    logger:
      options.logger === undefined || options.logger === true
        ? { level: 'info', redact: ['req.headers.authorization', 'req.headers.cookie'] }
        : options.logger,
    bodyLimit: options.bodyLimit ?? 64 * 1024,
    genReqId: () => randomUUID(),
    requestIdLogLabel: 'reqId',
    return503OnClosing: true,
  }).withTypeProvider<TypeBoxTypeProvider>();

  server.setValidatorCompiler(validatorCompiler);
  installErrorHandling(server);
  server.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });

  await server.register(swagger, {
    openapi: {
      info: {
        title: 'Samaritan API',
        version: '0.1.0',
        description:
          'Dispatch for fire and rescue. Errors are {"error":{"code","message","details"}}. Coordinates are {lat, lon} in WGS84.',
      },
    },
  });
  await server.register(swaggerUi, { routePrefix: '/docs' });

  const queries = new Queries(app);
  const deps = { app, queries };
  await server.register(metaRoutes(deps));
  await server.register(incidentRoutes(deps));
  await server.register(unitRoutes(deps));
  await server.register(eventRoutes(deps));
  server.get('/openapi.json', { schema: { hide: true } }, () => server.swagger());
  return server;
}

export interface RouteDeps {
  readonly app: Samaritan;
  readonly queries: Queries;
}
