import { readFileSync } from 'node:fs';

/** The NENA registries file read on its own (not through the product's loader), for checking documents. */
const registries = JSON.parse(readFileSync(new URL('../../schemas/nena-eido/registries.json', import.meta.url), 'utf8')) as Record<
  string,
  { Value: string }[]
>;

/** The values of one registry, by its title in the standard. */
export const registryValues = (title: string): ReadonlySet<string> => new Set(registries[title]!.map((r) => r.Value).filter((v) => v !== ''));

/** Each registry-valued field of the EIDO schema ("Shall only contain values present in the ... registry") and its registry. */
export const REGISTRY_FIELDS: Readonly<Record<string, string>> = {
  agencyRoleDescriptionRegistryText: 'Agency Role Registry',
  incidentTypeCommonRegistryText: 'Incident Type – Common Registry',
  incidentStatusCommonRegistryText: 'Incident Status – Common Registry',
  reportNumberType: 'Report Number Type Registry',
  dispositionCommonRegistryCode: 'Common Disposition Codes Registry',
  personIncidentRoleRegistryText: 'Person Role Registry',
  vehicleRelationshipType: 'Vehicle Relationship Type Registry',
  locationTypeDescriptionRegistryText: 'Location Type Registry',
  primaryUnitStatusRegistryText: 'Primary Unit Status-Common Registry',
  secondaryUnitStatusRegistryText: 'Secondary Unit Status-Common Registry',
  emergencyResourceTypeCommonRegistryText: 'Emergency Resource Type-Common Registry',
  resourceAttributeRegistryText: 'Resource Attribute Registry',
};

/** Every (field, value) pair anywhere in a document, array items one by one. */
export function fieldValues(v: unknown, out: [string, unknown][] = []): [string, unknown][] {
  if (Array.isArray(v)) for (const x of v) fieldValues(x, out);
  else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (Array.isArray(x)) for (const y of x) out.push([k, y]);
      else out.push([k, x]);
      fieldValues(x, out);
    }
  }
  return out;
}

/** Registry-valued fields whose value their registry does not list, as "field: value". */
export function registryViolations(doc: unknown): string[] {
  return fieldValues(doc)
    .filter(([k, v]) => REGISTRY_FIELDS[k] !== undefined && !registryValues(REGISTRY_FIELDS[k]).has(v as string))
    .map(([k, v]) => `${k}: ${String(v)}`);
}

/** How many registry-valued fields a document fills. */
export const registryFieldCount = (doc: unknown): number => fieldValues(doc).filter(([k]) => REGISTRY_FIELDS[k] !== undefined).length;
