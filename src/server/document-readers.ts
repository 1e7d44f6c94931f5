import type { SchemaError } from '../interop/eido/eido-schema.ts';
import type { EidoDocument } from '../interop/eido/eido-types.ts';
import type { EidoValidation } from '../interop/eido/eido-validation.ts';
import { eidoChanges, eidoDetails, fromEido, type EidoIncident } from '../interop/eido/from-eido.ts';
import { validateEmsi } from '../interop/emsi/emsi-schema.ts';
import { emsiFromXml } from '../interop/emsi/emsi-xml.ts';
import { changedDetails, fromEmsi } from '../interop/emsi/from-emsi.ts';
import { HttpError } from './error-status.ts';
import type { DocumentIncident } from './take-in-document.ts';
import { isXmlBody, MAX_XML_BODY_BYTES, xmlRefusalError } from './xml-body.ts';

/**
 * The standards' documents as incidents to take in, for every route that takes one (POST /api/eido,
 * POST /api/emsi, a partner's hand-over): checked against the official schema first, every error
 * listed with its path (422 InvalidDocument), then read.
 */

const invalid = (standard: 'EIDO' | 'EMSI', errors: readonly SchemaError[]): HttpError =>
  new HttpError('InvalidDocument', `The ${standard} ${standard === 'EIDO' ? 'document' : 'message'} is not valid: ${errors.length} error(s)`, { errors });

/** An EIDO document to take in, with the sender's units as it reports them. */
export type EidoTakeIn = DocumentIncident & { readonly read: EidoIncident };

/** Reads an EIDO 1.0 document; a new incident takes its nature's default priority (EIDO carries none of ours). */
export async function readEidoDocument(json: unknown, validation: EidoValidation, defaultPriority: (nature: string) => 1 | 2 | 3): Promise<EidoTakeIn> {
  const errors = await validation.check(json);
  if (errors !== undefined) throw invalid('EIDO', errors);
  const read = fromEido(json as EidoDocument);
  if (!read.ok) {
    if (read.code === 'InvalidDocument') throw invalid('EIDO', read.errors);
    throw new HttpError(read.code, read.message, { path: read.path });
  }
  return { read, origin: read.origin, details: eidoDetails(read, defaultPriority(read.nature)), changes: (current) => eidoChanges(current, read) };
}

/** The EMSI message in a body: XML bytes (read by the one safe reader), or JSON, bare or as {"emsi": {...}}. */
export function emsiMessageOf(body: unknown): Record<string, unknown> {
  if (isXmlBody(body)) {
    const read = emsiFromXml(body, MAX_XML_BODY_BYTES);
    if (read.ok) return read.message;
    if (read.code === 'InvalidDocument') throw invalid('EMSI', read.errors);
    throw xmlRefusalError(read);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid('EMSI', [{ path: '/', message: 'must be an object' }]);
  const wrapped = body as Record<string, unknown>;
  const keys = Object.keys(wrapped);
  return keys.length === 1 && keys[0] === 'emsi' ? (wrapped['emsi'] as Record<string, unknown>) : wrapped;
}

/** Reads an EMSI message (ANS profile) checked against its JSON schema. */
export function readEmsiMessage(message: Record<string, unknown>): DocumentIncident {
  const errors = validateEmsi(message);
  if (errors.length > 0) throw invalid('EMSI', errors);
  const read = fromEmsi(message);
  if (!read.ok) throw invalid('EMSI', read.errors);
  const doc = read.value;
  return { origin: doc.origin, details: doc.details, changes: (current) => changedDetails(current, doc.details) };
}
