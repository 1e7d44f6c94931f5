import type { ConsoleKey } from './strings.ts';

export type Translate = (key: ConsoleKey, vars?: Record<string, string | number>) => string;

/** Says what went wrong in words: the server's message, with the code a supervisor can look up. */
export function describeError(e: unknown): string {
  const err = e as { error?: { code?: string; message?: string }; message?: string };
  return err.error ? `${err.error.message ?? ''} (${err.error.code ?? '?'})` : String(err.message ?? e);
}
