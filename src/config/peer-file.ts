import { existsSync, readFileSync } from 'node:fs';

/**
 * What the files of configured peers (partner centres, webhook subscribers) share: a JSON object
 * with one list of entries, each with an `id` and an http(s) `url`. Every problem stops start-up
 * with one sentence naming the file, the entry and the field.
 */

const ID = /^[a-z0-9][a-z0-9_.-]{0,63}$/;

export function failIn(file: string, what: string): never {
  throw new Error(`${file}: ${what}`);
}

/** The file parsed as JSON; undefined when there is no such file. */
export function readPeerFile(file: string): unknown {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    failIn(file, `is not valid JSON: ${(e as Error).message}`);
  }
}

/** The entries of `raw[listKey]`, each an object with a well-formed id that no other entry has. */
export function peerEntries(raw: unknown, listKey: string, file: string): { readonly id: string; readonly entry: Readonly<Record<string, unknown>> }[] {
  const list = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>)[listKey] : undefined;
  if (!Array.isArray(list)) failIn(file, `must be an object with a "${listKey}" list`);
  const seen = new Set<string>();
  return list.map((p: unknown, i) => {
    const at = `${listKey}[${i}]`;
    if (typeof p !== 'object' || p === null) failIn(file, `${at} must be an object`);
    const entry = p as Record<string, unknown>;
    const id = entry['id'];
    if (typeof id !== 'string' || !ID.test(id)) failIn(file, `${at}.id must be 1 to 64 lower-case letters, digits, '.', '_' or '-'`);
    if (seen.has(id)) failIn(file, `${at}.id ${id} is listed twice`);
    seen.add(id);
    return { id, entry };
  });
}

/** The entry's `url`, which must be http(s). */
export function httpUrlOf(id: string, entry: Readonly<Record<string, unknown>>, file: string): string {
  const url = entry['url'];
  if (typeof url !== 'string' || !URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) failIn(file, `${id}.url must be an http(s) URL`);
  return url;
}
