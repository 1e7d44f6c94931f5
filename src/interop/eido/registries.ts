import { readFileSync } from 'node:fs';

/**
 * The twelve registries of NENA-STA-021.1b section 3, as extracted from the standard
 * (schemas/nena-eido/registries.json). The schema leaves registry-valued fields as plain strings;
 * these are the values they may take.
 */
export const REGISTRY = {
  agencyRole: 'Agency Role Registry',
  incidentType: 'Incident Type – Common Registry',
  incidentStatus: 'Incident Status – Common Registry',
  reportNumberType: 'Report Number Type Registry',
  disposition: 'Common Disposition Codes Registry',
  personRole: 'Person Role Registry',
  vehicleRelationship: 'Vehicle Relationship Type Registry',
  locationType: 'Location Type Registry',
  primaryUnitStatus: 'Primary Unit Status-Common Registry',
  secondaryUnitStatus: 'Secondary Unit Status-Common Registry',
  emergencyResourceType: 'Emergency Resource Type-Common Registry',
  resourceAttribute: 'Resource Attribute Registry',
} as const;

export type RegistryName = keyof typeof REGISTRY;

export interface RegistryEntry {
  readonly value: string;
  readonly description: string;
}

const FILE = new URL('../../../schemas/nena-eido/registries.json', import.meta.url);

let loaded: ReadonlyMap<RegistryName, readonly RegistryEntry[]> | undefined;

function load(): ReadonlyMap<RegistryName, readonly RegistryEntry[]> {
  if (loaded !== undefined) return loaded;
  const raw = JSON.parse(readFileSync(FILE, 'utf8')) as Record<string, { Value: string; 'Literal Description': string }[]>;
  const out = new Map<RegistryName, RegistryEntry[]>();
  for (const [name, title] of Object.entries(REGISTRY) as [RegistryName, string][]) {
    const rows = raw[title];
    if (rows === undefined) throw new Error(`${FILE.pathname}: no "${title}"`);
    // The extraction kept two empty rows of the incident type table: they are no value.
    out.set(
      name,
      rows.filter((r) => r.Value.trim() !== '').map((r) => ({ value: r.Value, description: r['Literal Description'] })),
    );
  }
  loaded = out;
  return out;
}

/** Every value of a registry, in the standard's order. */
export function registryEntries(name: RegistryName): readonly RegistryEntry[] {
  return load().get(name)!;
}

const sets = new Map<RegistryName, ReadonlySet<string>>();

/** Whether `value` is one the registry lists (exact, case-sensitive, as the standard spells it). */
export function inRegistry(name: RegistryName, value: string): boolean {
  let set = sets.get(name);
  if (set === undefined) {
    set = new Set(registryEntries(name).map((e) => e.value));
    sets.set(name, set);
  }
  return set.has(value);
}
