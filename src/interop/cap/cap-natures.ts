/**
 * Our natures as CAP 1.2 sees them: the category (the OASIS list) and the event in words. A nature
 * that is not listed (a deployment's own) is `Other`, its id made readable.
 */
export type CapCategory = 'Geo' | 'Met' | 'Safety' | 'Security' | 'Rescue' | 'Fire' | 'Health' | 'Env' | 'Transport' | 'Infra' | 'CBRNE' | 'Other';

const NATURES: Readonly<Record<string, { readonly category: CapCategory; readonly event: string }>> = {
  cardiac_arrest: { category: 'Health', event: 'Cardiac arrest' },
  choking: { category: 'Health', event: 'Choking' },
  medical: { category: 'Health', event: 'Medical emergency' },
  fall_from_height: { category: 'Rescue', event: 'Fall from height' },
  structure_fire: { category: 'Fire', event: 'Structure fire' },
  outside_fire: { category: 'Fire', event: 'Outside fire' },
  vehicle_fire: { category: 'Fire', event: 'Vehicle fire' },
  alarm: { category: 'Fire', event: 'Fire alarm' },
  traffic_collision: { category: 'Transport', event: 'Traffic collision' },
  water_rescue: { category: 'Rescue', event: 'Water rescue' },
  elevator_rescue: { category: 'Rescue', event: 'Elevator rescue' },
  confined_space_collapse: { category: 'Rescue', event: 'Confined space or collapse' },
  gas_leak: { category: 'Safety', event: 'Gas leak' },
  electrical_hazard: { category: 'Infra', event: 'Electrical hazard' },
  hazmat: { category: 'CBRNE', event: 'Hazardous materials' },
  smoke_investigation: { category: 'Fire', event: 'Smoke investigation' },
  odor: { category: 'Env', event: 'Odor investigation' },
  violence: { category: 'Security', event: 'Violence' },
  citizen_assist: { category: 'Other', event: 'Citizen assist' },
  other: { category: 'Other', event: 'Other emergency' },
};

export function capNature(nature: string): { category: CapCategory; event: string } {
  const known = NATURES[nature];
  if (known !== undefined) return known;
  const words = nature.replace(/_/g, ' ').trim();
  return { category: 'Other', event: words === '' ? 'Emergency' : `${words[0]!.toUpperCase()}${words.slice(1)}` };
}

/** How urgent and severe a call of our priority is (1 the most), in CAP's words; a report is `Observed`. */
export function capGravity(priority: 1 | 2 | 3): { urgency: 'Immediate' | 'Expected'; severity: 'Severe' | 'Moderate' | 'Minor' } {
  return priority === 1
    ? { urgency: 'Immediate', severity: 'Severe' }
    : priority === 2
      ? { urgency: 'Expected', severity: 'Moderate' }
      : { urgency: 'Expected', severity: 'Minor' };
}
