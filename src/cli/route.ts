import { PROJECT_ROOT } from '../config/configuration.ts';
import { formatDuration } from '../core/recommend.ts';
import { isValidLatLon, type LatLon } from '../core/lat-lon.ts';
import { loadSfRouter } from '../routing/sf-demo.ts';
import { PROFILE_NAMES, type ProfileName } from '../routing/travel-mode.ts';
import { parse } from './args.ts';
import { UsageError } from './usage-error.ts';

function latLon(flag: string, text: string | undefined): LatLon {
  if (text === undefined) throw new UsageError(`--${flag} <lat,lon> is required`);
  const parts = text.split(',').map((x) => x.trim());
  const p = { lat: Number(parts[0]), lon: Number(parts[1]) };
  if (parts.length !== 2 || parts.some((x) => x === '') || !isValidLatLon(p)) {
    throw new UsageError(`--${flag} must be "lat,lon" in decimal degrees, e.g. 37.7793,-122.4193; got "${text}"`);
  }
  return p;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** `samaritan route`: the quickest road route between two points on the SF demo graph. */
export async function route(args: string[]): Promise<number> {
  const { values } = parse(args, {
    from: { type: 'string' },
    to: { type: 'string' },
    profile: { type: 'string' },
    'unit-type': { type: 'string' },
    json: { type: 'boolean' },
  });
  const from = latLon('from', values.from);
  const to = latLon('to', values.to);
  const profile = (values.profile ?? 'drive') as ProfileName;
  if (!PROFILE_NAMES.includes(profile)) throw new UsageError(`--profile must be one of ${PROFILE_NAMES.join(', ')}; got "${values.profile}"`);
  const router = loadSfRouter(PROJECT_ROOT, (m) => process.stderr.write(`samaritan route: ${m}\n`));
  const r = router.route(from, to, profile, values['unit-type']);
  if (!r.ok) {
    if (values.json) process.stdout.write(JSON.stringify({ error: { code: r.code, message: r.message } }) + '\n');
    else process.stderr.write(`No route: ${r.message}.\n`);
    return 1;
  }
  if (values.json) {
    process.stdout.write(JSON.stringify({ timeS: round1(r.timeS), distanceM: round1(r.distanceM), geometry: r.geometry }) + '\n');
    return 0;
  }
  const who = profile === 'walk' ? 'Walking' : `Driving${values['unit-type'] ? ` (${values['unit-type']})` : ''}`;
  process.stdout.write(
    `${who}: ${(r.distanceM / 1000).toFixed(2)} km in ${formatDuration(r.timeS)}` +
      ` (start ${Math.round(r.snappedM[0])} m and destination ${Math.round(r.snappedM[1])} m from the road; ${r.geometry.coordinates.length} points of line).\n`,
  );
  return 0;
}
