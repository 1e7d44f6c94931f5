import { existsSync, readFileSync } from 'node:fs';
import { HANDOVER_FORMATS, type HandOverFormat } from '../core/handover-terms.ts';
import { PROJECT_ROOT } from './configuration.ts';
import { MIN_SIGNING_KEY_LENGTH, signingKeyOf } from './signing-key.ts';

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

/** The shortest signing key taken. */
export const MIN_PARTNER_KEY_LENGTH = MIN_SIGNING_KEY_LENGTH;

const ID = /^[a-z0-9][a-z0-9_.-]{0,63}$/;

function fail(file: string, what: string): never {
  throw new Error(`${file}: ${what}`);
}

/** Checks the file's content; every problem stops start-up with the file, the partner and the field. */
export function parsePartners(raw: unknown, env: Readonly<Record<string, string | undefined>>, file: string): Partner[] {
  if (typeof raw !== 'object' || raw === null || !Array.isArray((raw as { partners?: unknown }).partners)) {
    fail(file, 'must be an object with a "partners" list');
  }
  const seen = new Set<string>();
  return ((raw as { partners: unknown[] }).partners).map((p, i): Partner => {
    const at = `partners[${i}]`;
    if (typeof p !== 'object' || p === null) fail(file, `${at} must be an object`);
    const o = p as Record<string, unknown>;
    const id = o['id'];
    if (typeof id !== 'string' || !ID.test(id)) fail(file, `${at}.id must be 1 to 64 lower-case letters, digits, '.', '_' or '-'`);
    if (seen.has(id)) fail(file, `${at}.id ${id} is listed twice`);
    seen.add(id);
    const name = o['name'];
    if (typeof name !== 'string' || name.trim() === '') fail(file, `${id}.name must be a non-empty string`);
    const url = o['url'];
    if (typeof url !== 'string' || !URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) fail(file, `${id}.url must be an http(s) URL`);
    const format = o['format'];
    if (typeof format !== 'string' || !(HANDOVER_FORMATS as readonly string[]).includes(format)) {
      fail(file, `${id}.format must be one of ${HANDOVER_FORMATS.join(', ')}`);
    }
    const key = signingKeyOf(id, o, env, (what) => fail(file, what));
    return { id, name: name.trim(), url, format: format as HandOverFormat, key };
  });
}

/**
 * Reads the partner centres: `SAMARITAN_PARTNERS_FILE`, else config/partners.json; no file, no
 * partners. Read once at start-up.
 */
export function loadPartners(env: Readonly<Record<string, string | undefined>> = process.env): Partner[] {
  const file = env['SAMARITAN_PARTNERS_FILE'] ?? `${PROJECT_ROOT}config/partners.json`;
  if (!existsSync(file)) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    fail(file, `is not valid JSON: ${(e as Error).message}`);
  }
  return parsePartners(raw, env, file);
}
