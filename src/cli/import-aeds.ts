import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { AedRegistry, type AedFormat } from '../volunteers/aeds.ts';
import { openSamaritan } from '../composition/samaritan.ts';
import { DEFAULT_DATA_DIR, parse } from './args.ts';
import { databaseFromEnv } from './database-url.ts';
import { UsageError } from './usage-error.ts';

/**
 * `samaritan import-aeds <file>`: loads an AED registry file (CSV, or GeoJSON .geojson/.json) into
 * the data dir. All or nothing: a file with problems imports nothing and lists them (exit 1).
 * AEDs already known by id are replaced; others are kept.
 */
export async function importAeds(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { 'data-dir': { type: 'string' }, format: { type: 'string' } }, true);
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new UsageError('give exactly one AED file (.csv, .geojson or .json)');
  const ext = extname(file).toLowerCase();
  const format = (values.format ?? (ext === '.csv' ? 'csv' : ext === '.geojson' || ext === '.json' ? 'geojson' : '')) as AedFormat | '';
  if (format !== 'csv' && format !== 'geojson') throw new UsageError(`cannot tell the format of ${file}: use --format csv or --format geojson`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
  }
  let content: unknown = text;
  if (format === 'geojson') {
    try {
      content = JSON.parse(text) as unknown;
    } catch (e) {
      process.stderr.write(`${file} is not valid JSON: ${(e as Error).message}\n`);
      return 1;
    }
  }
  const parsed = AedRegistry.parse(format, content, basename(file));
  if (!parsed.ok) {
    process.stderr.write(`${file}: ${parsed.problems.length} problem(s); nothing was imported\n`);
    for (const p of parsed.problems) process.stderr.write(`  ${format === 'csv' ? 'line' : 'feature'} ${p.row}${p.field ? ` ${p.field}` : ''}: ${p.message}\n`);
    return 1;
  }
  const app = await openSamaritan({ dataDir: values['data-dir'] ?? DEFAULT_DATA_DIR, demoCity: false, background: false, ...databaseFromEnv() });
  try {
    const { created, updated, total } = await app.aeds.save(parsed.records, { source: basename(file), format, by: 'cli' });
    process.stdout.write(`Imported ${parsed.records.length} AEDs from ${file}: ${created} new, ${updated} replaced; the registry holds ${total}.\n`);
  } finally {
    await app.close();
  }
  return 0;
}
