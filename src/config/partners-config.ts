import { existsSync, readFileSync } from 'node:fs';
import { HANDOVER_FORMATS, type HandOverFormat } from '../core/handover-terms.ts';
import { PROJECT_ROOT } from './configuration.ts';

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

/** The shortest signing key taken: 32 characters (HMAC-SHA256 gains nothing from less entropy). */
export const MIN_PARTNER_KEY_LENGTH = 32;

const ID = /^[a-z0-9][a-z0-9_.-]{0,63}$/;
const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;

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
    if ('key' in o) fail(file, `${id}.key: a signing key never goes in the file; name its environment variable in keyEnv`);
    const keyEnv = o['keyEnv'];
    if (typeof keyEnv !== 'string' || !ENV_NAME.test(keyEnv)) fail(file, `${id}.keyEnv must name an environment variable (A-Z, 0-9, _)`);
    const key = env[keyEnv];
    if (key === undefined || key === '') fail(file, `${id}: the environment variable ${keyEnv} (its signing key) is not set`);
    if (key.length < MIN_PARTNER_KEY_LENGTH) fail(file, `${id}: the key in ${keyEnv} must be at least ${MIN_PARTNER_KEY_LENGTH} characters`);
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
