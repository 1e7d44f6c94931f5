import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { PROJECT_ROOT } from '../config/configuration.ts';

/** Where `npm run build:web` (run by `npm ci` and `npm install`) puts the console and the responder app. */
export const WEB_DIST = join(PROJECT_ROOT, 'web', 'dist');

/**
 * The console at `/` and the responder app at `/responder/`: public pages, sign-in happens inside
 * them. Only these paths are served, never a catch-all, so every other path keeps the API's own
 * answers (404 RouteNotFound, 400 for an overlong id). Hashed assets are cached for a year; pages
 * and the service worker are revalidated, so a new release reaches every phone.
 */
export async function installWebPages(server: FastifyInstance, root = WEB_DIST): Promise<void> {
  if (!existsSync(join(root, 'index.html'))) {
    server.log.warn(`no console build in ${root}: run npm run build:web`);
    return;
  }
  await server.register(fastifyStatic, { root, serve: false, cacheControl: false });
  const send = (reply: FastifyReply, file: string, immutable = false) => {
    reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    if (file.endsWith('sw.js')) reply.header('service-worker-allowed', '/responder/');
    return reply.sendFile(file);
  };
  const hide = { schema: { hide: true } };
  server.get('/', hide, (_req, reply) => send(reply, 'index.html'));
  server.get('/responder/', hide, (_req, reply) => send(reply, 'responder/index.html'));
  server.get<{ Params: { '*': string } }>('/responder/*', hide, (req, reply) => send(reply, `responder/${req.params['*']}`));
  server.get<{ Params: { '*': string } }>('/assets/*', hide, (req, reply) => send(reply, `assets/${req.params['*']}`, true));
}
