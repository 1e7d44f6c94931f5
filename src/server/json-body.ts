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

/** A `\uD800`-`\uDFFF` escape: only such an escape can put a surrogate into text that decoded as UTF-8. */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;
/** A surrogate that is not half of a pair (no `u` flag: the pattern sees UTF-16 code units). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether any string of a parsed JSON value, keys included, holds a lone surrogate. */
export function hasLoneSurrogate(value: unknown): boolean {
  if (typeof value === 'string') return LONE_SURROGATE.test(value);
  if (Array.isArray(value)) return value.some(hasLoneSurrogate);
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).some(([k, v]) => LONE_SURROGATE.test(k) || hasLoneSurrogate(v));
  }
  return false;
}

/** Strict UTF-8: a malformed byte sequence throws instead of becoming U+FFFD. The BOM is kept, and refused by JSON. */
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Parses JSON bodies with bounds: a depth limit, prototype-poisoning keys refused (`__proto__`,
 * `constructor.prototype`), as Fastify's own parser does, and text that is not Unicode refused
 * (bytes that are not UTF-8, or an escaped lone surrogate) rather than silently replaced.
 */
export function installJsonParser(server: FastifyInstance): void {
  server.removeContentTypeParser('application/json');
  server.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => {
    let text: string;
    try {
      text = UTF8.decode(body as Buffer);
    } catch {
      return done(new HttpError('InvalidUnicode', 'The body is not valid UTF-8'), undefined);
    }
    if (text.trim() === '') return done(new HttpError('MalformedJson', 'The body is empty'), undefined);
    if (jsonDepth(text) > MAX_JSON_DEPTH) {
      return done(new HttpError('JsonTooDeep', `JSON nests deeper than ${MAX_JSON_DEPTH} levels`), undefined);
    }
    let parsed: unknown;
    try {
      parsed = sjson.parse(text, null, { protoAction: 'error', constructorAction: 'error' }) as unknown;
    } catch {
      return done(new HttpError('MalformedJson', 'The body is not valid JSON'), undefined);
    }
    if (SURROGATE_ESCAPE.test(text) && hasLoneSurrogate(parsed)) {
      return done(
        new HttpError(
          'InvalidUnicode',
          'The body holds a lone surrogate (\\ud800-\\udfff not in a pair): text must be valid Unicode',
        ),
        undefined,
      );
    }
    done(null, parsed);
  });
}
