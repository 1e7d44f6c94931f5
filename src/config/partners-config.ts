import { HANDOVER_FORMATS, type HandOverFormat } from '../core/handover-terms.ts';
import { PROJECT_ROOT } from './configuration.ts';
import { failIn, httpUrlOf, peerEntries, readPeerFile } from './peer-file.ts';
import { signingKeyOf } from './signing-key.ts';

/**
 * A partner centre for mutual aid: where hand-overs to it go (`url`, the partner's
 * `POST /api/partners/<our id there>/incidents`), in which standard, and the key both sides sign
 * with. The key is never in the file: `keyEnv` names the environment variable that holds it.
 */
export interface Partner {
  readonly id: string;
  readonly name: string;
  readonly url: string;
  readonly format: HandOverFormat;
  readonly key: string;
}

/** Checks the file's content; every problem stops start-up with the file, the partner and the field. */
export function parsePartners(raw: unknown, env: Readonly<Record<string, string | undefined>>, file: string): Partner[] {
  return peerEntries(raw, 'partners', file).map(({ id, entry: o }): Partner => {
    const name = o['name'];
    if (typeof name !== 'string' || name.trim() === '') failIn(file, `${id}.name must be a non-empty string`);
    const url = httpUrlOf(id, o, file);
    const format = o['format'];
    if (typeof format !== 'string' || !(HANDOVER_FORMATS as readonly string[]).includes(format)) {
      failIn(file, `${id}.format must be one of ${HANDOVER_FORMATS.join(', ')}`);
    }
    const key = signingKeyOf(id, o, env, (what) => failIn(file, what));
    return { id, name: name.trim(), url, format: format as HandOverFormat, key };
  });
}

/**
 * Reads the partner centres: `SAMARITAN_PARTNERS_FILE`, else config/partners.json; no file, no
 * partners. Read once at start-up.
 */
export function loadPartners(env: Readonly<Record<string, string | undefined>> = process.env): Partner[] {
  const file = env['SAMARITAN_PARTNERS_FILE'] ?? `${PROJECT_ROOT}config/partners.json`;
  const raw = readPeerFile(file);
  if (raw === undefined) return [];
  return parsePartners(raw, env, file);
}
