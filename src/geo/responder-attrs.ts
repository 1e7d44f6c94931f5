import { UNIT_STATUSES, type UnitStatus } from '../core/statuses.ts';
import { AttrBits, type AttrFilter } from './attr-bits.ts';

/** What a volunteer is trained for. */
export const VOLUNTEER_QUALIFICATIONS = ['cpr', 'aed', 'first_aid'] as const;
export type VolunteerQualification = (typeof VOLUNTEER_QUALIFICATIONS)[number];

/**
 * Samaritan's attribute word for the live index: the kind (unit or volunteer), one bit per unit
 * status (a volunteer who can take an alert is `available`), volunteer qualifications, and unit
 * capabilities (from config/unit-types.json), up to 32 bits in all.
 */
export class ResponderAttrs {
  readonly bits: AttrBits<string>;

  constructor(capabilities: readonly string[]) {
    const clash = capabilities.filter((c) => ['unit', 'volunteer', ...UNIT_STATUSES, ...VOLUNTEER_QUALIFICATIONS].includes(c));
    if (clash.length > 0) throw new RangeError(`ResponderAttrs: capability names ${clash.join(', ')} clash with kinds, statuses or qualifications`);
    this.bits = new AttrBits(['unit', 'volunteer', ...UNIT_STATUSES, ...VOLUNTEER_QUALIFICATIONS, ...new Set(capabilities)]);
  }

  /** The word of a unit in a status, with its capabilities. */
  unit(status: UnitStatus, capabilities: readonly string[]): number {
    return this.bits.mask(['unit', status, ...capabilities]);
  }

  /** The word of a volunteer: `available` when on duty and free to take an alert. */
  volunteer(available: boolean, qualifications: readonly VolunteerQualification[]): number {
    return this.bits.mask(['volunteer', ...(available ? ['available'] : []), ...qualifications]);
  }

  /** Units that may be dispatched (available or returning) and have every listed capability. */
  dispatchableUnits(capabilities: readonly string[] = []): AttrFilter {
    return this.bits.filter({ all: ['unit', ...capabilities], any: ['available', 'returning'] });
  }

  /** Volunteers free to take an alert with every listed qualification. */
  availableVolunteers(qualifications: readonly VolunteerQualification[] = []): AttrFilter {
    return this.bits.filter({ all: ['volunteer', 'available', ...qualifications] });
  }
}
