import type { FastifyInstance, FastifyRequest, preValidationHookHandler } from 'fastify';
import { HttpError } from './error-status.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route reads a body that no JSON schema describes (a file upload it checks itself). */
    readonly ownBody?: boolean;
  }
}

/**
 * A route that takes no body refuses one with fields, as the routes with a body schema refuse
 * fields they do not know: `{}` (or no body) passes; anything else is 400 ValidationFailed, so a
 * client that sends `{"force": true}` to an action learns it was not heard.
 */
export function refuseUnknownBodies(server: FastifyInstance): void {
  server.addHook('onRoute', (route) => {
    if ((route.schema as { body?: unknown } | undefined)?.body !== undefined || route.config?.ownBody === true) return;
    const own =
      route.preValidation === undefined ? [] : Array.isArray(route.preValidation) ? route.preValidation : [route.preValidation];
    route.preValidation = [noFields as preValidationHookHandler, ...(own as preValidationHookHandler[])];
  });
}

async function noFields(req: FastifyRequest): Promise<void> {
  const body = req.body;
  if (body === undefined) return;
  const isObject = typeof body === 'object' && body !== null && !Array.isArray(body);
  if (isObject && Object.keys(body).length === 0) return;
  const details = isObject
    ? Object.keys(body).map((field) => ({
        path: 'body',
        message: 'must NOT have additional properties',
        params: { additionalProperty: field },
      }))
    : [{ path: 'body', message: 'must be an empty object or absent: this route takes no body' }];
  throw new HttpError('ValidationFailed', `Invalid body: ${req.method} ${req.routeOptions.url ?? ''} takes no body`, details);
}
