import { readdirSync, readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** The official NENA-STA-021.1b schema, converted to JSON (schemas/nena-eido/PROVENANCE.md). */
const SCHEMA_DIR = new URL('../../../schemas/nena-eido/', import.meta.url);
/** A base that resolves the schema's relative file references among themselves; never fetched. */
const BASE = 'urn:samaritan:nena-eido:sta-021.1b/';
const ROOT = `${BASE}openapi.json#/components/schemas/EmergencyIncidentDataObjectType`;

const readJson = (url: URL): Record<string, unknown> => JSON.parse(readFileSync(url, 'utf8')) as Record<string, unknown>;

export interface SchemaError {
  /** JSON pointer to the value that is wrong (for a missing property: to the property it would be). */
  readonly path: string;
  readonly message: string;
}

let validator: ValidateFunction | undefined;

/**
 * The EIDO validator, compiled on first use and kept. Every error is collected (`allErrors`), and
 * the schema is used as published: `strict: false` because OpenAPI keywords (`example`, `title`
 * inside properties named `$ref`) are not JSON Schema vocabulary.
 */
export function eidoValidator(): ValidateFunction {
  if (validator !== undefined) return validator;
  // Referenced definitions stay functions of their own rather than being inlined, and the generated
  // code is not optimised: the schema is large (about 1,700 definitions) and this halves its compile time.
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true, inlineRefs: false, code: { optimize: false } });
  addFormats(ajv);
  ajv.addSchema({ ...readJson(new URL('openapi.json', SCHEMA_DIR)), $id: `${BASE}openapi.json` });
  const niem = new URL('NIEMComponents/', SCHEMA_DIR);
  for (const name of readdirSync(niem).filter((n) => n.endsWith('.json'))) {
    ajv.addSchema({ ...readJson(new URL(name, niem)), $id: `${BASE}NIEMComponents/${name}` });
  }
  const compiled = ajv.getSchema(ROOT);
  if (compiled === undefined) throw new Error(`The EIDO schema has no ${ROOT}`);
  validator = compiled;
  return compiled;
}

/** Escapes one JSON pointer token (RFC 6901). */
const token = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Ajv's errors as paths and messages, one per distinct problem. The schema's `allOf` reports some
 * problems twice over; a missing property points at the property itself, so the reader sees where.
 */
export function schemaErrors(errors: readonly ErrorObject[] | null | undefined): SchemaError[] {
  const seen = new Set<string>();
  const out: SchemaError[] = [];
  for (const e of errors ?? []) {
    const missing = e.keyword === 'required' ? (e.params as { missingProperty?: string }).missingProperty : undefined;
    const path = missing === undefined ? e.instancePath : `${e.instancePath}/${token(missing)}`;
    const message =
      missing !== undefined
        ? 'is required'
        : e.keyword === 'enum'
          ? `must be one of ${((e.params as { allowedValues?: unknown[] }).allowedValues ?? []).map((v) => JSON.stringify(v)).join(', ')}`
          : (e.message ?? 'is not valid');
    const key = `${path}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ path: path === '' ? '/' : path, message });
  }
  return out;
}

/** Checks a document against the EIDO 1.0 schema: undefined when valid, else every error with its path. */
export function checkEido(doc: unknown): SchemaError[] | undefined {
  const validate = eidoValidator();
  return validate(doc) ? undefined : schemaErrors(validate.errors);
}
