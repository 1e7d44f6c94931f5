import type { HistoricalIncident } from '../core/commands.ts';
import { epochMs, type EpochMs } from '../core/ids.ts';
import { parseDataSfTime } from './datasf-time.ts';

/** DataSF `Unit Type` → our unit type (config/unit-types.json). */
export const DATASF_UNIT_TYPES: Readonly<Record<string, string>> = {
  ENGINE: 'engine',
  TRUCK: 'truck',
  MEDIC: 'medic',
  PRIVATE: 'ambulance',
  CHIEF: 'chief',
  'RESCUE CAPTAIN': 'ems_supervisor',
  'RESCUE SQUAD': 'rescue',
  SUPPORT: 'support',
  INVESTIGATION: 'investigator',
  AIRPORT: 'support',
};

const LOCATION = /^\(\s*(-?\d+(?:\.\d+)?),\s*(-?\d+(?:\.\d+)?)\s*\)$/;

/** Our unit type for a DataSF `Unit Type`; an unknown one is support. */
export const dataSfUnitType = (raw: string | undefined): string => DATASF_UNIT_TYPES[raw ?? ''] ?? 'support';

/** A DataSF `Location` ("(lat, lon)"), or undefined when unreadable. */
export function parseDataSfLocation(text: string | undefined): { lat: number; lon: number } | undefined {
  const m = LOCATION.exec(text ?? '');
  return m ? { lat: Number(m[1]), lon: Number(m[2]) } : undefined;
}

/** DataSF `Priority` → ours: "3" is emergency (lights and siren), our 1; "2" is our 2; the letter codes are non-emergency, our 3. */
export const dataSfPriority = (p: string | undefined): 1 | 2 | 3 => (p === '3' ? 1 : p === '2' ? 2 : 3);

export interface CallsImport {
  readonly incidents: HistoricalIncident[];
  /** Rows that could not be read, with why (1-based data row numbers). */
  readonly rejected: { row: number; reason: string }[];
  readonly unmappedCallTypes: ReadonlySet<string>;
}

/**
 * Groups DataSF "Calls for Service" rows (one per unit) into incidents with each unit's real
 * times. Priority "3" is emergency (lights and siren), which is our priority 1; "2" is our 2;
 * the letter codes are non-emergency, our 3.
 */
export function callsToIncidents(rows: readonly Record<string, string>[], callTypes: Readonly<Record<string, string>>): CallsImport {
  const byCall = new Map<string, { first: Record<string, string>; rows: Record<string, string>[] }>();
  const rejected: { row: number; reason: string }[] = [];
  const unmapped = new Set<string>();
  rows.forEach((r, i) => {
    const call = r['Call Number'];
    if (!call || !r['Unit ID'] || !r['Received DtTm']) {
      rejected.push({ row: i + 1, reason: 'missing Call Number, Unit ID or Received DtTm' });
      return;
    }
    const g = byCall.get(call) ?? { first: r, rows: [] };
    g.rows.push(r);
    byCall.set(call, g);
  });
  const t = (s: string | undefined): EpochMs | undefined => {
    const ms = s ? parseDataSfTime(s) : undefined;
    return ms === undefined ? undefined : epochMs(ms);
  };
  const incidents: HistoricalIncident[] = [];
  for (const [call, { first, rows: unitRows }] of byCall) {
    const location = parseDataSfLocation(first['Location']);
    const receivedAt = t(first['Received DtTm']);
    if (!location || receivedAt === undefined) {
      rejected.push({ row: rows.indexOf(first) + 1, reason: `call ${call}: unreadable Location or Received DtTm` });
      continue;
    }
    const callType = first['Call Type'] ?? '';
    const nature = callTypes[callType];
    if (nature === undefined) unmapped.add(callType);
    const p = first['Priority'];
    const units = unitRows.map((r) => {
      const stamps = {
        dispatchedAt: t(r['Dispatch DtTm']),
        enRouteAt: t(r['Response DtTm']),
        onSceneAt: t(r['On Scene DtTm']),
        transportingAt: t(r['Transport DtTm']),
        atHospitalAt: t(r['Hospital DtTm']),
        availableAt: t(r['Available DtTm']),
      };
      const defined = Object.fromEntries(Object.entries(stamps).filter(([, v]) => v !== undefined));
      return { unitId: r['Unit ID']!, unitType: dataSfUnitType(r['Unit Type']), ...defined };
    });
    const lastStamp = Math.max(receivedAt, ...units.flatMap((u) => Object.values(u as Record<string, unknown>).filter((v): v is number => typeof v === 'number')));
    const address = [first['Address'], first['City']].filter(Boolean).join(', ');
    incidents.push({
      incidentId: `SF-${call}`,
      source: 'DataSF calls for service',
      externalId: call,
      receivedAt,
      closedAt: epochMs(lastStamp),
      details: {
        location,
        nature: nature ?? 'other',
        priority: dataSfPriority(p),
        ...(address ? { address } : {}),
        notes: `${callType}; disposition: ${first['Call Final Disposition'] ?? 'unknown'}`,
      },
      units,
    });
  }
  incidents.sort((a, b) => a.receivedAt - b.receivedAt);
  return { incidents, rejected, unmappedCallTypes: unmapped };
}
