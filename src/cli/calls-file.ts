import { readFileSync } from 'node:fs';
import { parseCsvRecords } from '../interop/csv.ts';
import { UsageError } from './usage-error.ts';

/** Reads a DataSF calls CSV named on the command line; a missing file or column is a usage error. */
export function readCallsFile(file: string, requiredColumn: string): Record<string, string>[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
  }
  const records = parseCsvRecords(text);
  if (records.length === 0 || !(requiredColumn in records[0]!)) {
    throw new UsageError(`${file} has no "${requiredColumn}" column: not a DataSF calls file`);
  }
  return records;
}
