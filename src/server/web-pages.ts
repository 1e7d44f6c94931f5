import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { PROJECT_ROOT } from '../config/configuration.ts';

/** Where `npm run build:web` (run by `npm ci` and `npm install`) puts the console and the responder app. */
export const WEB_DIST = join(PROJECT_ROOT, 'web', 'dist');

/**
 * The console at `/` and the responder app at `/responder/`, public pages: sign-in happens inside
 * them. Hashed assets are cached for a year; the pages and the service worker are revalidated, so a
 * new release reaches every phone.
 */
export async function installWebPages(server: FastifyInstance, root = WEB_DIST): Promise<void> {
  if (!existsSync(join(root, 'index.html'))) {
    server.log.warn(`no console build in ${root}: run npm run build:web`);
    return;
  }
  await server.register(fastifyStatic, {
    root,
    prefix: '/',
    index: ['index.html'],
    redirect: false,
    wildcard: true,
    cacheControl: false,
    setHeaders: (res, path) => {
      res.header('cache-control', path.includes(`${join(root, 'assets')}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
      if (path.endsWith('sw.js')) res.header('service-worker-allowed', '/responder/');
    },
  });
}
