import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * Helmet's security headers (CSP, HSTS, frame and sniffing rules…), worked out once at start-up and
 * set on every answer. The headers do not depend on the request, so there is no need to build
 * helmet's middleware again for each one, as the Fastify plugin does.
 */
export function installSecurityHeaders(server: FastifyInstance, options: HelmetOptions): void {
  const headers = new Map<string, string | number | readonly string[]>();
  const removed = new Set<string>();
  const capture = {
    setHeader: (name: string, value: string | number | readonly string[]) => headers.set(name.toLowerCase(), value),
    removeHeader: (name: string) => removed.add(name.toLowerCase()),
  } as unknown as ServerResponse;
  helmet(options)({} as never, capture, () => {});
  const fixed = [...headers];
  server.addHook('onRequest', async (_req, reply) => {
    for (const [name, value] of fixed) reply.raw.setHeader(name, value);
    for (const name of removed) reply.raw.removeHeader(name);
  });
}
