import { readFileSync } from 'node:fs';
import { systemActor } from '../core/actor.ts';
import type { Command } from '../core/commands.ts';
import { epochMs } from '../core/ids.ts';
import { incidentStream } from '../core/streams.ts';
import type { IncidentId } from '../core/ids.ts';
import { PROJECT_ROOT } from '../config/configuration.ts';
import { openSamaritan } from '../composition/samaritan.ts';
import { callsToIncidents } from '../interop/datasf-calls.ts';
import { DEFAULT_DATA_DIR, parse } from './args.ts';
import { databaseFromEnv } from './database-url.ts';
import { UsageError } from './usage-error.ts';
import { progressBar } from './progress.ts';
import { readCallsFile } from './calls-file.ts';

const BATCH = 250;

export async function importCalls(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { 'data-dir': { type: 'string' } }, true);
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new UsageError('give exactly one DataSF calls CSV file');
  const records = readCallsFile(file, 'Call Number');
  const callTypes = JSON.parse(readFileSync(`${PROJECT_ROOT}config/sf-call-types.json`, 'utf8')) as Record<string, string>;
  const parsed = callsToIncidents(records, callTypes);

  const app = await openSamaritan({ dataDir: values['data-dir'] ?? DEFAULT_DATA_DIR, demoCity: false, background: false, ...databaseFromEnv() });
  const started = performance.now();
  const bar = progressBar(parsed.incidents.length, 'incidents');
  let imported = 0;
  let skipped = 0;
  let unitResponses = 0;
  try {
    for (let i = 0; i < parsed.incidents.length; i += BATCH) {
      const batch = parsed.incidents.slice(i, i + BATCH);
      const existing = await app.store.load(batch.map((h) => incidentStream(h.incidentId as IncidentId)));
      const fresh = batch.filter((h) => !existing.has(incidentStream(h.incidentId as IncidentId)));
      skipped += batch.length - fresh.length;
      const commands = fresh.map((h): Command => ({ type: 'ImportIncident', now: epochMs(h.receivedAt), incident: h }));
      const results = await app.writer.executeAll(commands, { actor: systemActor('import-calls') });
      results.forEach((r, j) => {
        const h = fresh[j]!;
        if (!r.ok) {
          parsed.rejected.push({ row: 0, reason: `call ${h.externalId}: ${r.message}` });
          return;
        }
        imported++;
        unitResponses += h.units.length;
      });
      bar.tick(Math.min(i + BATCH, parsed.incidents.length));
    }
    bar.end();
  } finally {
    await app.close();
  }
  const first = parsed.incidents[0];
  const last = parsed.incidents.at(-1);
  const natures = new Map<string, number>();
  for (const h of parsed.incidents) natures.set(h.details.nature, (natures.get(h.details.nature) ?? 0) + 1);
  const top = [...natures].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([n, c]) => `${n} ${c}`).join(', ');
  const lines = [
    `Read ${records.length} unit rows from ${file}.`,
    `Imported ${imported} incidents with ${unitResponses} unit responses; skipped ${skipped} already loaded; rejected ${parsed.rejected.length}.`,
    first && last ? `Received between ${new Date(first.receivedAt).toISOString()} and ${new Date(last.receivedAt).toISOString()}.` : '',
    `Natures: ${top}.`,
    parsed.unmappedCallTypes.size > 0 ? `Call types with no nature (imported as other): ${[...parsed.unmappedCallTypes].join('; ')}.` : '',
    `Took ${((performance.now() - started) / 1000).toFixed(1)} s.`,
  ];
  process.stdout.write(lines.filter(Boolean).join('\n') + '\n');
  for (const r of parsed.rejected.slice(0, 10)) process.stderr.write(`  rejected row ${r.row}: ${r.reason}\n`);
  return 0;
}
