import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getIssues } from '@placemarkio/check-geojson';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import yaml from 'js-yaml';
import { validateXML } from 'xmllint-wasm';
import { eidoValidator, schemaErrors } from '../../src/interop/eido/eido-schema.ts';
import { atomProblems } from './cap-check.ts';
import { geojsonSchema } from './geojson-check.ts';

/**
 * The validators the samples of the standards are run through, each loaded the way the product
 * (or the tests of the part that speaks the standard) loads it. Every check answers the problems it
 * found: an empty list means the document is valid.
 */

export const STANDARDS = new URL('../fixtures/standards/', import.meta.url);
const ROOT = new URL('../../', import.meta.url);
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

export const fixture = (path: string): Buffer => readFileSync(new URL(path, STANDARDS));
export const fixtureText = (path: string): string => fixture(path).toString('utf8');

/** Every file under a fixture folder, as paths relative to the fixtures (sorted, for a stable table). */
export function fixturesUnder(dir: string, ext?: string): string[] {
  const base = fileURLToPath(STANDARDS);
  return readdirSync(new URL(dir, STANDARDS), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && (ext === undefined || e.name.endsWith(ext)))
    .map((e) => relative(base, join(e.parentPath, e.name)))
    .sort();
}

// ---- XML Schema (xmllint-wasm) ---------------------------------------------------------------

export interface XsdSet {
  /** The schema file the documents are validated against (relative to the repository root). */
  readonly schema: string;
  /** Files the schema includes or imports, by their path relative to the schema's folder. */
  readonly preloadDir?: string;
}

const xsdFile = (path: string, as: string) => ({ fileName: as, contents: readFileSync(new URL(path, ROOT), 'utf8') });

function preloads(set: XsdSet): { fileName: string; contents: string }[] {
  if (set.preloadDir === undefined) return [];
  const dir = fileURLToPath(new URL(set.preloadDir, ROOT));
  const main = set.schema.slice(set.preloadDir.length);
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.xsd'))
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .filter((rel) => rel !== main)
    .map((rel) => xsdFile(`${set.preloadDir}${rel}`, rel));
}

const batches = new Map<string, { docs: Map<string, string | Buffer>; result?: Promise<Map<string, string[]>> }>();

/**
 * Queues a document for validation against an XSD; the first answer asked for runs every queued
 * document of that schema in one xmllint call (compiling a schema is most of the cost).
 */
export function xsdErrors(set: XsdSet, name: string, contents: string | Buffer): () => Promise<string[]> {
  const key = `${set.schema}|${set.preloadDir ?? ''}`;
  const batch = batches.get(key) ?? { docs: new Map<string, string | Buffer>() };
  batches.set(key, batch);
  const fileName = `doc${batch.docs.size}-${name.replace(/[^A-Za-z0-9._-]/g, '_')}`;
  batch.docs.set(fileName, contents);
  return async () => {
    batch.result ??= runBatch(set, batch.docs);
    return (await batch.result).get(fileName) ?? [];
  };
}

async function runBatch(set: XsdSet, docs: Map<string, string | Buffer>): Promise<Map<string, string[]>> {
  const main = xsdFile(set.schema, set.schema.split('/').pop()!);
  const result = await validateXML({
    xml: [...docs].map(([fileName, contents]) => ({ fileName, contents: typeof contents === 'string' ? contents : new Uint8Array(contents) })),
    schema: [main],
    preload: preloads(set),
  });
  const byFile = new Map<string, string[]>([...docs.keys()].map((f) => [f, []]));
  for (const e of result.errors) {
    const file = e.loc?.fileName ?? [...docs.keys()].find((f) => e.message.startsWith(`${f} `));
    if (file !== undefined) byFile.get(file)?.push(e.message);
  }
  return byFile;
}

// ---- JSON Schema (ajv) -----------------------------------------------------------------------

/** The EIDO 1.0 schema the product validates imports against (src/interop/eido/eido-schema.ts). */
export function eido10Errors(doc: unknown): string[] {
  const validate = eidoValidator();
  return validate(doc) ? [] : schemaErrors(validate.errors).map((e) => `${e.path} ${e.message}`);
}

let eido11: ValidateFunction | undefined;

/**
 * The NENA-STA-021.1.1 draft: its openapi.yaml and the two NIEM components it changed, with the
 * unchanged components taken from the product's 1.0 copy (identical upstream). Loaded as the
 * product's converter loads 1.0 (scripts/convert-nena-eido.ts: `.yaml` references read as `.json`,
 * the `//` typo mended), plus the draft's own typo: `minItems: 1,` is the string "1,".
 */
export function eido11DraftErrors(doc: unknown): string[] {
  if (eido11 === undefined) {
    const BASE = 'urn:samaritan:nena-eido:sta-021.1.1-draft/';
    const relink = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(relink);
      if (value === null || typeof value !== 'object') return value;
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => {
          if (k === '$ref' && typeof v === 'string') return [k, v.replace(/\/\/+/g, '/').replace(/\.yaml(?=#|$)/, '.json')];
          if (k === 'minItems' && typeof v === 'string') return [k, Number.parseInt(v, 10)];
          return [k, relink(v)];
        }),
      );
    };
    const fromYaml = (path: string) => relink(yaml.load(fixtureText(path))) as Record<string, unknown>;
    const ajv = new Ajv({ strict: false, allErrors: true, inlineRefs: false, code: { optimize: false } });
    addFormats(ajv);
    ajv.addSchema({ ...fromYaml('nena-eido/draft-1.1/openapi.yaml'), $id: `${BASE}openapi.json` });
    const changed = new Set(['j', 'mmucc']);
    for (const name of changed) ajv.addSchema({ ...fromYaml(`nena-eido/draft-1.1/NIEMComponents/${name}.yaml`), $id: `${BASE}NIEMComponents/${name}.json` });
    const niem = new URL('schemas/nena-eido/NIEMComponents/', ROOT);
    for (const file of readdirSync(niem).filter((n) => n.endsWith('.json') && !changed.has(n.slice(0, -5)))) {
      ajv.addSchema({ ...(JSON.parse(readFileSync(new URL(file, niem), 'utf8')) as object), $id: `${BASE}NIEMComponents/${file}` });
    }
    eido11 = ajv.getSchema(`${BASE}openapi.json#/components/schemas/EmergencyIncidentDataObjectType`)!;
  }
  return eido11(doc) ? [] : schemaErrors(eido11.errors).map((e) => `${e.path} ${e.message}`);
}

let ans: Ajv | undefined;

/**
 * The ANS (SAMU-Hub-Modeles) JSON schemas. Every one of them declares the same `$id`
 * (`classpath:/json-schema/schema#`), so each is registered under its own file name, which is also
 * how they name each other (`"$ref": "RC-DE.schema.json"`).
 */
export function ansErrors(schemaFile: string, doc: unknown): string[] {
  if (ans === undefined) {
    ans = new Ajv({ strict: false, allErrors: true });
    addFormats(ans);
    for (const f of fixturesUnder('emsi/ans/json-schema/', '.schema.json')) {
      ans.addSchema({ ...(JSON.parse(fixtureText(f)) as object), $id: `classpath:/json-schema/${f.split('/').pop()!}` });
    }
  }
  const validate = ans.getSchema(`classpath:/json-schema/${schemaFile}`)!;
  return validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`);
}

// ---- GeoJSON --------------------------------------------------------------------------------

export function geojsonSchemaErrors(text: string): string[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return [`not JSON: ${(e as Error).message}`];
  }
  const validate = geojsonSchema();
  return validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`);
}

export const checkGeojsonErrors = (text: string): string[] => getIssues(text).map((i) => i.message);

// ---- Atom ------------------------------------------------------------------------------------

/**
 * The structure RFC 4287 asks of a feed (test/support/cap-check.ts). That check reads Atom in the
 * default namespace; a feed written with an `atom:` prefix is read the same once the prefix becomes
 * the default namespace (every other element in such a feed declares its own).
 */
export function atomFeedProblems(xml: string): string[] {
  const prefixed = /^\s*(?:<\?xml[^>]*\?>\s*)?<atom:feed\b/.test(xml);
  const text = prefixed ? xml.replace(/<(\/?)atom:/g, '<$1').replace('xmlns:atom=', 'xmlns=') : xml;
  return atomProblems(text, { capInEntries: false });
}
