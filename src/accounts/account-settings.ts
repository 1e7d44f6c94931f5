import type { AccountsOptions } from './accounts.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The accounts' settings from the environment: `SAMARITAN_SCRYPT_LOG2N` (password hashing cost as
 * log2 N, default 17; tests lower it) and `SAMARITAN_TOKEN_TTL_DAYS` (lifetime of new integration
 * tokens, default 90). A value that is not a whole number in range stops start-up with a sentence.
 */
export function accountSettingsFrom(env: Readonly<Record<string, string | undefined>>): AccountsOptions {
  const log2n = whole(env, 'SAMARITAN_SCRYPT_LOG2N', 1, 20);
  const days = whole(env, 'SAMARITAN_TOKEN_TTL_DAYS', 1, 3650);
  return {
    ...(log2n === undefined ? {} : { scryptLog2N: log2n }),
    ...(days === undefined ? {} : { apiTokenTtlMs: days * DAY_MS }),
  };
}

/** Days as ms, for a token lifetime given on the command line or in a request. */
export const daysToMs = (days: number): number => days * DAY_MS;

function whole(env: Readonly<Record<string, string | undefined>>, name: string, min: number, max: number): number | undefined {
  const text = env[name];
  if (text === undefined || text === '') return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`${name} must be a whole number from ${min} to ${max}, not "${text}"`);
  return n;
}
