import type { Strings } from '../shared/i18n.ts';
import { en, type ConsoleKey } from './strings-en.ts';
import { fr } from './strings-fr.ts';

export type { ConsoleKey };
export { CAPABILITY_FR, NATURE_FR, QUALIFICATION_FR, UNIT_TYPE_FR } from './strings-fr.ts';

export const STRINGS: Strings<ConsoleKey> = { en, fr };
