import type { FastifyInstance } from 'fastify';
import type { XmlRefusal } from '../interop/xml/read-xml.ts';
import { HttpError } from './error-status.ts';

/** XML bodies may be larger than JSON ones (a full EMSI or CAP message with its missions): 512 KiB. */
export const MAX_XML_BODY_BYTES = 512 * 1024;

/**
 * Accepts `application/xml` (and `text/xml`) bodies as raw bytes, size-limited, in the plugin it is
 * installed in only: the routes that take XML install it, so every other route still refuses XML
 * with 415 instead of validating a Buffer as its JSON body. The bytes are not parsed here: each route reads them with `readXml` (src/interop/xml/read-xml.ts),
 * the one reader of outside XML, which refuses DTDs and entities and knows the document's encoding.
 */
export function installXmlParser(server: FastifyInstance): void {
  server.addContentTypeParser(
    ['application/xml', 'text/xml'],
    { parseAs: 'buffer', bodyLimit: MAX_XML_BODY_BYTES },
    (_req, body, done) => {
      if (body.length === 0) return done(new HttpError('MalformedXml', 'The body is empty'), undefined);
      done(null, body);
    },
  );
}

/** The HTTP error for a refusal of the XML reader. */
export function xmlRefusalError(refusal: XmlRefusal): HttpError {
  return new HttpError(refusal.code === 'XmlTooLarge' ? 'BodyTooLarge' : refusal.code, refusal.message);
}

/** Whether the body came as XML (a Buffer from the parser above) rather than JSON. */
export const isXmlBody = (body: unknown): body is Buffer => Buffer.isBuffer(body);
