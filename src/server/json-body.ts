import type { FastifyInstance } from 'fastify';
import sjson from 'secure-json-parse';
import { HttpError } from './error-status.ts';

/** Deeper JSON than this is refused before parsing: no request of ours nests beyond a few levels. */
export const MAX_JSON_DEPTH = 32;

/** The nesting depth of JSON text, counted without parsing it (brackets inside strings do not count). */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) max = Math.max(max, ++depth);
    else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
  }
  return max;
}

/**
 * Parses JSON bodies with bounds: a depth limit, and prototype-poisoning keys refused
 * (`__proto__`, `constructor.prototype`), as Fastify's own parser does.
 */
export function installJsonParser(server: FastifyInstance): void {
  server.removeContentTypeParser('application/json');
  server.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = body as string;
    if (text.trim() === '') return done(new HttpError('MalformedJson', 'The body is empty'), undefined);
    if (jsonDepth(text) > MAX_JSON_DEPTH) {
      return done(new HttpError('JsonTooDeep', `JSON nests deeper than ${MAX_JSON_DEPTH} levels`), undefined);
    }
    try {
      done(null, sjson.parse(text, null, { protoAction: 'error', constructorAction: 'error' }) as unknown);
    } catch {
      done(new HttpError('MalformedJson', 'The body is not valid JSON'), undefined);
    }
  });
}
