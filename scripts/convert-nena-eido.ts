/**
 * Converts the NENA EIDO 1.0 schema (NENA-STA-021.1b, OpenAPI 3.0.2 YAML plus its NIEM components)
 * into the JSON files the product validates imports against at run time (schemas/nena-eido/), and
 * copies the registries extracted from the standard beside them. Run by a maintainer:
 *
 *   npx tsx scripts/convert-nena-eido.ts <path to the NENA911/EIDO-JSON checkout at tag NENA-STA-021.1b> <registries JSON>
 *
 * The content is the upstream content. Only references are touched: a file reference `x.yaml#...`
 * becomes `x.json#...` (the files are JSON now), and the one upstream `NIEMComponents//nc.yaml`
 * (a double slash, which would name a different document) becomes `NIEMComponents/nc.json`.
 * The output is deterministic: keys keep their upstream order, two-space indentation.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';

const [source, registries] = process.argv.slice(2);
if (source === undefined || registries === undefined) {
  console.error('usage: npx tsx scripts/convert-nena-eido.ts <EIDO-JSON checkout> <registries JSON>');
  process.exit(2);
}
const OUT = 'schemas/nena-eido';

function relink(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(relink);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] =
      k === '$ref' && typeof v === 'string' ? v.replace(/\/\/+/g, '/').replace(/\.yaml(?=#|$)/, '.json') : relink(v);
  }
  return out;
}

function convert(from: string, to: string): void {
  const doc = yaml.load(readFileSync(from, 'utf8'));
  writeFileSync(to, `${JSON.stringify(relink(doc), null, 2)}\n`);
}

mkdirSync(join(OUT, 'NIEMComponents'), { recursive: true });
convert(join(source, 'Schema/openapi.yaml'), join(OUT, 'openapi.json'));
for (const f of readdirSync(join(source, 'Schema/NIEMComponents')).filter((n) => n.endsWith('.yaml')).sort()) {
  convert(join(source, 'Schema/NIEMComponents', f), join(OUT, 'NIEMComponents', f.replace(/\.yaml$/, '.json')));
}
writeFileSync(join(OUT, 'registries.json'), readFileSync(registries));
