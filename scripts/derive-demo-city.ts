/**
 * Derives the bundled demo city (data/sf/stations.json, data/sf/fleet.json) from the DataSF files
 * in ../shared/data/sf. Run once by a maintainer: `npx tsx scripts/derive-demo-city.ts <shared/data/sf>`.
 * The product reads only the derived files in data/sf.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsvRecords } from '../src/interop/csv.ts';

const src = process.argv[2] ?? '../shared/data/sf';
const out = 'data/sf';

interface Station {
  id: string;
  name: string;
  address: string;
  location: { lat: number; lon: number };
  source: string;
}

const geo = JSON.parse(readFileSync(join(src, 'sf_fire_stations_city_facilities.geojson'), 'utf8')) as {
  features: { properties: { common_name: string; address: string; latitude: number; longitude: number } }[];
};
const stations: Station[] = geo.features.map((f) => {
  const id = /#(\d+)/.exec(f.properties.common_name)![1]!;
  return {
    id,
    name: `Station ${id}`,
    address: `${f.properties.address}, San Francisco`,
    location: { lat: +f.properties.latitude.toFixed(6), lon: +f.properties.longitude.toFixed(6) },
    source: 'DataSF City Facilities (PDDL)',
  };
});
// Stations that answer calls in the data but are missing from City Facilities, placed by hand
// at their published street addresses (positions read off the public address, ~20 m).
stations.push(
  {
    id: '35',
    name: 'Station 35',
    address: 'Pier 22 1/2, The Embarcadero, San Francisco',
    location: { lat: 37.78942, lon: -122.38745 },
    source: 'placed at its public address (fireboat station, Pier 22 1/2)',
  },
  {
    id: '51',
    name: 'Station 51',
    address: '218 Lincoln Blvd, Presidio, San Francisco',
    location: { lat: 37.80113, lon: -122.45684 },
    source: 'placed at its public address (Presidio, 218 Lincoln Blvd)',
  },
);
stations.sort((a, b) => Number(a.id) - Number(b.id));
const stationIds = new Set(stations.map((s) => s.id));

const calls = parseCsvRecords(readFileSync(join(src, 'sf_fire_calls_2016-12-31_to_2017-01-03.csv'), 'utf8'));
const areas = new Map<string, Map<string, number>>();
const kinds = new Map<string, string>();
for (const r of calls) {
  const u = r['Unit ID']!;
  kinds.set(u, r['Unit Type']!);
  const area = String(Number(r['Station Area']));
  if (!stationIds.has(area)) continue;
  const m = areas.get(u) ?? new Map<string, number>();
  m.set(area, (m.get(area) ?? 0) + 1);
  areas.set(u, m);
}
const modeArea = (u: string): string | undefined =>
  [...(areas.get(u) ?? new Map<string, number>())].sort((a, b) => b[1] - a[1] || Number(a[0]) - Number(b[0]))[0]?.[0];
// Ambulances roam, so the station they answered most from is just the busiest area. Post them
// instead across stations in proportion to each area's medical calls (largest remainder), round-robin.
const medicalByArea = new Map<string, Set<string>>();
for (const r of calls) {
  const area = String(Number(r['Station Area']));
  if (r['Call Type'] !== 'Medical Incident' || !stationIds.has(area)) continue;
  medicalByArea.set(area, (medicalByArea.get(area) ?? new Set()).add(r['Incident Number']!));
}
const ambulanceIds = [...kinds].filter(([, k]) => k === 'MEDIC' || k === 'PRIVATE').map(([u]) => u);
const totalMedical = [...medicalByArea.values()].reduce((n, s) => n + s.size, 0);
const quotas = [...medicalByArea].map(([area, s]) => {
  const exact = (ambulanceIds.length * s.size) / totalMedical;
  return { area, slots: Math.floor(exact), rest: exact - Math.floor(exact), volume: s.size };
});
let left = ambulanceIds.length - quotas.reduce((n, q) => n + q.slots, 0);
for (const q of [...quotas].sort((a, b) => b.rest - a.rest)) if (left-- > 0) q.slots++;
const posts: string[] = [];
for (let round = 0; posts.length < ambulanceIds.length; round++) {
  for (const q of [...quotas].sort((a, b) => b.volume - a.volume)) if (q.slots > round) posts.push(q.area);
}
const ambulancePost = new Map<string, string>();
const medicsFirst = [...kinds].filter(([, k]) => k === 'MEDIC').map(([u]) => u).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
const privates = [...kinds].filter(([, k]) => k === 'PRIVATE').map(([u]) => u).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
[...medicsFirst, ...privates].forEach((u, i) => ambulancePost.set(u, posts[i]!));
const AMBULANCE_RULE = 'posted by the medical-call volume of station areas in the calls data';

const num = (s: string) => String(Number(s.replace(/^\D+/, '')));

interface FleetUnit {
  id: string;
  name: string;
  unitType: string;
  stationId: string;
  homeRule: string;
}
const fleet: FleetUnit[] = [];
for (const [u, kind] of [...kinds].sort((a, b) => a[0].localeCompare(b[0], 'en', { numeric: true }))) {
  const home = (id: string | undefined, rule: string) => (id && stationIds.has(id) ? { stationId: id, homeRule: rule } : undefined);
  const posted = home(modeArea(u), 'posted at the station area it answered most in the calls data');
  let t: { unitType: string; name: string; at: { stationId: string; homeRule: string } | undefined } | undefined;
  switch (kind) {
    case 'ENGINE':
      t = { unitType: 'engine', name: `Engine ${num(u)}`, at: home(num(u), 'engine of its numbered station') };
      break;
    case 'TRUCK':
      t = { unitType: 'truck', name: `Truck ${num(u)}`, at: home(num(u), 'truck of its numbered station') };
      break;
    case 'RESCUE SQUAD':
      t = { unitType: 'rescue', name: `Rescue Squad ${num(u)}`, at: posted };
      break;
    case 'RESCUE CAPTAIN':
      t = { unitType: 'ems_supervisor', name: `Rescue Captain ${num(u)}`, at: posted };
      break;
    case 'MEDIC':
      t = { unitType: 'medic', name: `Medic ${u}`, at: home(ambulancePost.get(u), AMBULANCE_RULE) };
      break;
    case 'PRIVATE':
      t = { unitType: 'ambulance', name: `Ambulance ${u}`, at: home(ambulancePost.get(u), AMBULANCE_RULE) };
      break;
    case 'CHIEF':
      if (u.startsWith('D')) {
        const hq = u === 'D2' ? '5' : u === 'D3' ? '7' : undefined;
        t = { unitType: 'chief', name: `Division ${num(u)}`, at: home(hq, 'division headquarters station') ?? posted };
      } else if (u.startsWith('EMS')) t = { unitType: 'ems_supervisor', name: `EMS ${num(u)}`, at: posted };
      else t = { unitType: 'chief', name: `Battalion ${num(u)}`, at: posted };
      break;
    case 'SUPPORT':
      if (u.startsWith('FB')) t = { unitType: 'fireboat', name: `Fireboat ${num(u)}`, at: home('35', 'fireboat station') };
      else if (u.startsWith('RB')) t = { unitType: 'rescue_boat', name: `Rescue Boat ${num(u)}`, at: home('35', 'fireboat station') };
      else t = { unitType: 'support', name: `Support ${u}`, at: posted };
      break;
    case 'INVESTIGATION':
      t = { unitType: 'investigator', name: `Investigator ${u}`, at: posted };
      break;
    default:
      t = undefined; // the airport unit serves SFO, outside the city's stations
  }
  if (t?.at) fleet.push({ id: u, name: t.name, unitType: t.unitType, ...t.at });
  else console.error(`skipped ${u} (${kind}): no home station in the city`);
}

writeFileSync(join(out, 'stations.json'), JSON.stringify(stations, null, 1) + '\n');
writeFileSync(join(out, 'fleet.json'), JSON.stringify(fleet, null, 1) + '\n');
console.log(`${stations.length} stations, ${fleet.length} units`);
