import { api } from '../shared/api.ts';
import type { Translate } from './context.ts';
import type { ConsoleKey } from './strings.ts';
import type { LatLon } from './map-view.ts';

/** A caller's phone position (AML), as GET /api/aml and an incident's `callerLocation` give it. */
export interface CallerFix {
  readonly location: LatLon;
  readonly radiusM: number;
  readonly locatedAt: string;
  readonly method: string;
}

/** The latest position the phone of this number sent, or undefined (none, or no right to read it). */
export async function callerFixFor(number: string): Promise<CallerFix | undefined> {
  if (number.replace(/\D/g, '').length < 7) return undefined;
  try {
    return (await api<{ fix: CallerFix | null }>('GET', `/api/aml?${new URLSearchParams({ number })}`)).fix ?? undefined;
  } catch {
    return undefined;
  }
}

/** "Caller's phone: satellite fix, within 12 m, at 18:40:12", in the console's language. */
export function describeFix(fix: CallerFix, t: Translate, lang: string): string {
  const time = new Date(fix.locatedAt).toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return t('amlFix', { method: t(`amlMethod_${fix.method}` as ConsoleKey), m: Math.round(fix.radiusM), time });
}
