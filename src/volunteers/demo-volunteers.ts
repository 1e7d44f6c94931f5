import type { Command } from '../core/commands.ts';
import { epochMs } from '../core/ids.ts';
import type { LatLon } from '../core/lat-lon.ts';
import type { QualificationKind } from '../core/volunteer-policy.ts';
import type { DemoPopulationRecord, VolunteerProfile } from '../store/volunteer-profile-store.ts';
import { PROJECT_ROOT } from '../config/configuration.ts';
import { seededRandom } from '../core/seeded-random.ts';
import { apportion, pointIn, readBlockGroups, totalResidents } from './population-density.ts';

/**
 * The synthetic demo population of citizen responders: 1 % of San Francisco's residents, placed
 * where people live by the census population-density file, 20 % on duty. Everything follows from
 * the seed, so each start regenerates the same people at the same places; only the registry
 * (ids, qualifications, availability) is written, once, and positions stay in memory.
 */
export const DEMO_VOLUNTEER_SEED = 2024_05_01;
export const DEMO_SHARE_OF_RESIDENTS = 0.01;
export const DEMO_AVAILABLE_SHARE = 0.2;
export const POPULATION_FILE = 'data/sf/sf_popdensity_blockgroups.geojson';
export const DEMO_ID_PREFIX = 'demo-';

export const demoVolunteerId = (i: number): string => `${DEMO_ID_PREFIX}${String(i).padStart(5, '0')}`;
export const isDemoVolunteerId = (id: string): boolean => id.startsWith(DEMO_ID_PREFIX);

/**
 * Who they are trained as, cumulative shares: mostly CPR (half of it verified, as a course
 * certificate is quick to check), some first aid or AED courses (unverified), and a few verified
 * nurses, doctors and off-duty firefighters, who alone may be sent into homes.
 */
const MIX: readonly { kind: QualificationKind; share: number; verifiedShare: number }[] = [
  { kind: 'doctor', share: 0.03, verifiedShare: 1 },
  { kind: 'nurse', share: 0.05, verifiedShare: 1 },
  { kind: 'firefighter_off_duty', share: 0.02, verifiedShare: 1 },
  { kind: 'cpr', share: 0.6, verifiedShare: 0.5 },
  { kind: 'first_aid', share: 0.18, verifiedShare: 0 },
  { kind: 'aed', share: 0.12, verifiedShare: 0 },
];
/** Languages besides English, with roughly San Francisco's shares of speakers. */
const LANGUAGES: readonly [string, number][] = [
  ['es', 0.12],
  ['zh', 0.1],
  ['tl', 0.03],
  ['ru', 0.02],
  ['vi', 0.02],
];

export interface DemoVolunteer {
  readonly id: string;
  readonly home: LatLon;
  readonly blockGroup: string;
  readonly available: boolean;
  readonly kind: QualificationKind;
  readonly verified: boolean;
  /** Days from the load until the qualification expires (3 months to 2 years). */
  readonly validDays: number;
  readonly languages: readonly string[];
}

export interface DemoPopulation {
  readonly seed: number;
  /** Residents of the city by the density file: persons per square mile × block-group area. */
  readonly residents: number;
  readonly volunteers: readonly DemoVolunteer[];
}

/**
 * Generates the population: `count` volunteers, or 1 % of the residents when `count` is
 * undefined. Block groups get their share by largest remainder; points are uniform inside each.
 */
export function generateDemoPopulation(count?: number, seed: number = DEMO_VOLUNTEER_SEED, root: string = PROJECT_ROOT): DemoPopulation {
  const groups = readBlockGroups(`${root}${POPULATION_FILE}`);
  const residents = totalResidents(groups);
  const n = count ?? Math.round(residents * DEMO_SHARE_OF_RESIDENTS);
  const places = seededRandom(seed);
  const traits = seededRandom(seed ^ 0x9e3779b9);
  const duty = seededRandom(seed + 2);

  // Exactly 20 % on duty, drawn by a seeded shuffle.
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(duty() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const onDuty = new Set(order.slice(0, Math.round(n * DEMO_AVAILABLE_SHARE)));

  const volunteers: DemoVolunteer[] = [];
  apportion(groups, n).forEach((k, g) => {
    const group = groups[g]!;
    for (let j = 0; j < k; j++) {
      const i = volunteers.length;
      const u = traits();
      let acc = 0;
      const mix = MIX.find((m) => (acc += m.share) > u) ?? MIX[3]!;
      const verified = traits() < mix.verifiedShare;
      const validDays = 90 + Math.floor(traits() * 640);
      const languages = ['en', ...LANGUAGES.filter(([, share]) => traits() < share).map(([l]) => l)];
      volunteers.push({
        id: demoVolunteerId(i),
        home: pointIn(group, places),
        blockGroup: group.id,
        available: onDuty.has(i),
        kind: mix.kind,
        verified,
        validDays,
        languages,
      });
    }
  });
  return { seed, residents, volunteers };
}

/** The commands that register one demo volunteer: sign-up, a qualification (verified or not), on duty. */
function commandsOf(v: DemoVolunteer, now: number): Command[] {
  const t = epochMs(now);
  const c: Command[] = [
    { type: 'RegisterVolunteer', now: t, volunteerId: v.id, languages: [], locationConsent: true },
    { type: 'DeclareQualification', now: t, volunteerId: v.id, kind: v.kind, expiresAt: epochMs(now + v.validDays * 86_400_000) },
  ];
  if (v.verified) c.push({ type: 'VerifyQualification', now: t, volunteerId: v.id, kind: v.kind, by: 'demo-population' });
  if (v.available) c.push({ type: 'SetAvailability', now: t, volunteerId: v.id, available: true });
  return c;
}

/**
 * The registry writes of the population, to be decided by the core like any sign-up (about 2.6
 * commands per volunteer), and the profiles, which say `synthetic` and carry made-up names and
 * fictional 555-01xx phone numbers. Languages stay in the profile, as for every volunteer.
 */
export function demoRegistryWrites(pop: DemoPopulation, now: number) {
  const commands: Command[] = [];
  const profiles: VolunteerProfile[] = [];
  const at = new Date(now).toISOString();
  for (const v of pop.volunteers) {
    commands.push(...commandsOf(v, now));
    const n = v.id.slice(DEMO_ID_PREFIX.length);
    profiles.push({
      volunteerId: v.id,
      name: `Demo volunteer ${n}`,
      phone: `+1 415 555 01${n.slice(-2)}`,
      languages: v.languages,
      devices: [],
      synthetic: true,
      createdAt: at,
      updatedAt: at,
    });
  }
  const record: DemoPopulationRecord = {
    seed: pop.seed,
    count: pop.volunteers.length,
    available: pop.volunteers.filter((v) => v.available).length,
    residents: Math.round(pop.residents),
    loadedAt: at,
  };
  return { commands, profiles, record };
}
