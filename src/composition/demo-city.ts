import { readFileSync } from 'node:fs';
import type { Command } from '../core/commands.ts';
import { epochMs } from '../core/ids.ts';
import type { LatLon } from '../core/lat-lon.ts';
import type { Configuration } from '../config/configuration.ts';
import { PROJECT_ROOT } from '../config/configuration.ts';

interface StationRow {
  id: string;
  name: string;
  address: string;
  location: LatLon;
  source: string;
}
interface FleetRow {
  id: string;
  name: string;
  unitType: string;
  stationId: string;
}

/** The commands that open the bundled San Francisco stations and commission its fleet. */
export function demoCityCommands(config: Configuration, now: number, root: string = PROJECT_ROOT): Command[] {
  const stations = JSON.parse(readFileSync(`${root}data/sf/stations.json`, 'utf8')) as StationRow[];
  const fleet = JSON.parse(readFileSync(`${root}data/sf/fleet.json`, 'utf8')) as FleetRow[];
  const t = epochMs(now);
  return [
    ...stations.map((s): Command => ({ type: 'OpenStation', now: t, stationId: s.id, ...s })),
    ...fleet.map((u): Command => {
      const profile = config.unitTypes.get(u.unitType);
      if (!profile) throw new Error(`data/sf/fleet.json: unit ${u.id} has unknown type ${u.unitType}`);
      return {
        type: 'CommissionUnit',
        now: t,
        unitId: u.id,
        name: u.name,
        unitType: u.unitType,
        capabilities: [...profile.capabilities],
        stationId: u.stationId,
      };
    }),
  ];
}
