/** The shortest signing key taken: 32 characters (HMAC-SHA256 gains nothing from less entropy). */
export const MIN_SIGNING_KEY_LENGTH = 32;

const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;

/**
 * The HMAC key of a configured peer (a partner centre, a webhook subscriber) named `id`. It is never
 * in the file: the entry's `keyEnv` names the environment variable that holds it. A problem goes to
 * `fail` as a sentence that starts with the id.
 */
export function signingKeyOf(
  id: string,
  entry: Readonly<Record<string, unknown>>,
  env: Readonly<Record<string, string | undefined>>,
  fail: (what: string) => never,
): string {
  if ('key' in entry) fail(`${id}.key: a signing key never goes in the file; name its environment variable in keyEnv`);
  const keyEnv = entry['keyEnv'];
  if (typeof keyEnv !== 'string' || !ENV_NAME.test(keyEnv)) fail(`${id}.keyEnv must name an environment variable (A-Z, 0-9, _)`);
  const key = env[keyEnv];
  if (key === undefined || key === '') fail(`${id}: the environment variable ${keyEnv} (its signing key) is not set`);
  if (key.length < MIN_SIGNING_KEY_LENGTH) fail(`${id}: the key in ${keyEnv} must be at least ${MIN_SIGNING_KEY_LENGTH} characters`);
  return key;
}
