import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/** The official EMSI JSON schema (ANS SAMU-Hub-Modeles, draft-07), shipped in schemas/emsi/. */
export interface SchemaNode {
  readonly type?: string;
  readonly $ref?: string;
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly items?: SchemaNode;
  readonly definitions?: Readonly<Record<string, SchemaNode>>;
}

export interface DocumentError {
  /** JSON pointer into the message (for XML input, the same path with element names). */
  readonly path: string;
  readonly message: string;
}

const SCHEMA_FILE = new URL('../../../schemas/emsi/EMSI.schema.json', import.meta.url);

let loaded: { schema: SchemaNode; validate: ValidateFunction } | undefined;

function load(): { schema: SchemaNode; validate: ValidateFunction } {
  if (loaded) return loaded;
  const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as SchemaNode & Record<string, unknown>;
  // The profile's own keywords (x-health-only, example ...) are annotations: strict mode would refuse them.
  const ajv = new Ajv({ strict: false, allErrors: true });
  (addFormatsModule as unknown as (a: Ajv) => void)(ajv);
  loaded = { schema, validate: ajv.compile(schema) };
  return loaded;
}

/** The schema's tree, for walking a document beside it. */
export const emsiSchema = (): SchemaNode => load().schema;

/** Every way the message breaks the official schema, each with its JSON pointer; empty when valid. */
export function validateEmsi(message: unknown): DocumentError[] {
  const { validate } = load();
  if (validate(message)) return [];
  return (validate.errors ?? []).map(describe);
}

function describe(e: ErrorObject): DocumentError {
  const params = e.params as Record<string, unknown>;
  const path = e.instancePath === '' ? '/' : e.instancePath;
  if (e.keyword === 'required') return { path: `${e.instancePath}/${String(params['missingProperty'])}`, message: 'is required' };
  if (e.keyword === 'additionalProperties') {
    return { path: `${e.instancePath}/${String(params['additionalProperty'])}`, message: 'is not allowed here' };
  }
  if (e.keyword === 'enum') return { path, message: `must be one of the profile's codes (${(params['allowedValues'] as unknown[]).slice(0, 8).join(', ')}…)` };
  return { path, message: e.message ?? e.keyword };
}

/** The schema node a `$ref` names (only local `#/definitions/x` refs occur in the profile). */
export function resolveNode(node: SchemaNode | undefined): SchemaNode | undefined {
  if (node?.$ref === undefined) return node;
  const name = node.$ref.replace('#/definitions/', '');
  return load().schema.definitions?.[name];
}
