import { currentLang } from '../shared/i18n.ts';
import { CAPABILITY_FR, QUALIFICATION_FR, UNIT_TYPE_FR, type ConsoleKey } from './strings.ts';

export type Translate = (key: ConsoleKey, vars?: Record<string, string | number>) => string;

/** Says what went wrong in words: the server's message, with the code a supervisor can look up. */
export function describeError(e: unknown): string {
  const err = e as { error?: { code?: string; message?: string }; message?: string };
  return err.error ? `${err.error.message ?? ''} (${err.error.code ?? '?'})` : String(err.message ?? e);
}

/** A volunteer's qualification in the console's language. */
export const qualificationWords = (q: string): string => (currentLang() === 'fr' ? QUALIFICATION_FR[q] : undefined) ?? q.replace(/_/g, ' ');

/** A unit type in the console's language. */
export const unitTypeWords = (type: string): string => (currentLang() === 'fr' ? UNIT_TYPE_FR[type] : undefined) ?? type.replace(/_/g, ' ');

/** A capability (what a unit brings) in the console's language. */
export const capabilityWords = (c: string): string => (currentLang() === 'fr' ? CAPABILITY_FR[c] : undefined) ?? c.replace(/_/g, ' ');
