import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Samaritan } from '../composition/samaritan.ts';
import { installAuth } from './auth.ts';
import { refuseUnknownBodies } from './bodiless-routes.ts';
import { installErrorHandling, sendError } from './error-handler.ts';
import { ERROR_STATUS, HttpError, type ErrorCode } from './error-status.ts';
import { installJsonParser } from './json-body.ts';
import { installSecurityHeaders } from './security-headers.ts';
import { SignInThrottle } from './sign-in-throttle.ts';
import { accountRoutes } from './routes/accounts.ts';
import { aedRoutes } from './routes/aeds.ts';
import { eventRoutes } from './routes/events.ts';
import { geoRoutes } from './routes/geo.ts';
import { geojsonRoutes } from './routes/interop-geojson.ts';
import { capRoutes } from './routes/interop-cap.ts';
import { emsiRoutes } from './routes/interop-emsi.ts';
import { eidoRoutes } from './routes/interop-eido.ts';
import { amlRoutes } from './routes/aml.ts';
import { handOverRoutes } from './routes/handovers.ts';
import { ResponderDevices, responderDeviceRoutes } from './routes/responder-devices.ts';
import { incidentRoutes } from './routes/incidents.ts';
import { reportRoutes } from './routes/reports.ts';
import { metaRoutes } from './routes/meta.ts';
import { sessionRoutes } from './routes/session.ts';
import { streamRoutes, type StreamOptions } from './routes/stream.ts';
import { unitRoutes } from './routes/units.ts';
import { volunteerRoutes } from './routes/volunteers.ts';
import { volunteerAlertRoutes } from './routes/volunteer-alerts.ts';
import { installResponderSocket, installWebSocket } from './responder-socket.ts';
import { DEFAULT_SOCKET_LIMITS, SocketGate, type SocketLimits } from './socket-limits.ts';
import { validatorCompiler } from './validation.ts';
import { installWebPages } from './web-pages.ts';
export type { RouteDeps } from './route-deps.ts';

export interface ServerOptions {
  readonly logger?: boolean | { level: string };
  /** Largest accepted body, bytes. */
  readonly bodyLimit?: number;
  /** Where log lines go (default stdout); tests capture them to check what is redacted. */
  readonly loggerStream?: { write(line: string): void };
  /** The live stream's page size, back-pressure limit, heartbeat and ticket lifetime (tests shorten them). */
  readonly stream?: StreamOptions;
  /** WebSocket connections per credential and in all, message size and rate (default DEFAULT_SOCKET_LIMITS). */
  readonly sockets?: Partial<SocketLimits>;
}

/** Secrets and personal data never reach the logs. */
export const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  // Headers logged under any other name (`{ headers: req.headers }`) too.
  '*.authorization',
  '*.cookie',
  '*["x-csrf-token"]',
  '*["set-cookie"]',
  '*.password',
  '*.token',
  '*.callbackNumber',
  '*.phone',
];

/** Builds the HTTP edge around a running Samaritan. Routes validate, build commands and map outcomes. */
export async function buildServer(app: Samaritan, options: ServerOptions = {}): Promise<FastifyInstance> {
  const level = options.logger === false ? undefined : typeof options.logger === 'object' ? options.logger.level : 'info';
  const server = Fastify({
    logger:
      level === undefined ? false : { level, redact: REDACT, ...(options.loggerStream ? { stream: options.loggerStream } : {}) },
    bodyLimit: options.bodyLimit ?? 64 * 1024,
    genReqId: () => randomUUID(),
    return503OnClosing: true,
    // Requests refused before routing still answer in the API's error shape.
    frameworkErrors: (err, req, reply) => {
      reply.header('x-request-id', req.id);
      if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') sendError(reply, 'ValidationFailed', 'A path parameter is too long');
      else if (err.code === 'FST_ERR_BAD_URL') sendError(reply, 'MalformedRequest', 'The URL is not valid percent-encoding');
      else sendError(reply, 'Internal', `Internal error (request ${req.id})`);
    },
    clientErrorHandler,
  }).withTypeProvider<TypeBoxTypeProvider>();

  // The API speaks JSON only: without this, text/plain bodies would be parsed as strings and fail
  // validation (400) instead of being refused as an unsupported media type (415).
  server.removeContentTypeParser('text/plain');
  installJsonParser(server);
  server.setValidatorCompiler(validatorCompiler);
  installErrorHandling(server);
  server.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });

  installSecurityHeaders(server, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
      },
    },
  });
  await server.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) => new HttpError('RateLimited', `Too many requests; retry in ${ctx.after}`),
  });
  const sockets = new SocketGate({ ...DEFAULT_SOCKET_LIMITS, ...options.sockets }, app.clock);
  await installWebSocket(server, sockets);
  installAuth(server, app.accounts);
  refuseUnknownBodies(server);

  await server.register(swagger, {
    openapi: {
      info: {
        title: 'Samaritan API',
        version: '0.1.0',
        description:
          'Dispatch for fire and rescue. Every /api route needs `Authorization: Bearer <token>` or the console session cookie ' +
          '(with `x-csrf-token` on unsafe methods). Errors are {"error":{"code","message","details"}}. Coordinates are {lat, lon} in WGS84.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await server.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });

  const { queries } = app;
  const deps = { app, queries };
  await server.register(metaRoutes(deps));
  await server.register(sessionRoutes(deps, new SignInThrottle(app.shortLived, app.clock)));
  await server.register(accountRoutes(deps));
  await server.register(incidentRoutes(deps));
  await server.register(unitRoutes(deps));
  await server.register(eventRoutes(deps));
  await server.register(streamRoutes(deps, sockets, options.stream));
  await server.register(volunteerRoutes(deps));
  await server.register(aedRoutes(deps));
  await server.register(volunteerAlertRoutes(deps));
  await server.register(geoRoutes(deps));
  await server.register(geojsonRoutes(deps));
  await server.register(capRoutes(deps));
  await server.register(emsiRoutes(deps));
  await server.register(eidoRoutes(deps));
  await server.register(amlRoutes(deps));
  await server.register(handOverRoutes(deps));
  await server.register(reportRoutes(deps));
  const devices = new ResponderDevices(app);
  await server.register(responderDeviceRoutes(deps, devices));
  installResponderSocket(server, app, sockets, devices);
  server.get('/openapi.json', { schema: { hide: true } }, () => server.swagger());
  await installWebPages(server);
  return server;
}

/** Requests Node's HTTP parser refuses (an unknown method, broken headers…), answered in the API's error shape. */
function clientErrorHandler(err: Error & { code?: string }, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [code, message]: [ErrorCode, string] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? ['HeadersTooLarge', 'The request headers are too large']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? ['RequestTimeout', 'The request did not arrive in time']
        : ['MalformedRequest', 'The request is not valid HTTP/1.1'];
  const status = ERROR_STATUS[code];
  const body = JSON.stringify({ error: { code, message } });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nX-Request-Id: ${randomUUID()}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}
