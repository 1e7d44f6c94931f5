import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/config/configuration.ts';
import { loadVolunteerPolicy, validateVolunteerPolicy, VOLUNTEER_POLICY_FILE } from '../src/config/volunteer-policy-config.ts';

/** config/volunteer-policy.json is loaded and checked at start-up; a bad file names its bad field. */
const raw = () => JSON.parse(readFileSync(`${PROJECT_ROOT}${VOLUNTEER_POLICY_FILE}`, 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('loading the volunteer policy', () => {
  it('loads the shipped policy as the core reads it', () => {
    const p = loadVolunteerPolicy();
    expect(p.version).toBe(raw()['version']);
    expect(p.natureRules.map((r) => r.id)).toContain('nature.cardiac_arrest');
    expect(p.waves).toMatchObject({ maxWalkingS: 480, waveIntervalS: 30, targetArrivals: 2 });
  });

  it('reads the file SAMARITAN_VOLUNTEER_POLICY_FILE names instead, and names that file when it is bad', () => {
    const dir = mkdtempSync(join(tmpdir(), 'samaritan-policy-'));
    try {
      const own = raw();
      own['version'] = 'own-1';
      own['waves'].alertExpiryS = 5;
      const file = join(dir, 'policy.json');
      writeFileSync(file, JSON.stringify(own));
      const p = loadVolunteerPolicy(PROJECT_ROOT, { SAMARITAN_VOLUNTEER_POLICY_FILE: file });
      expect(p.version).toBe('own-1');
      expect(p.waves.alertExpiryS).toBe(5);
      writeFileSync(file, '{');
      expect(() => loadVolunteerPolicy(PROJECT_ROOT, { SAMARITAN_VOLUNTEER_POLICY_FILE: file })).toThrow(file);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const broken: [string, (d: Record<string, any>) => void, RegExp][] = [ // eslint-disable-line @typescript-eslint/no-explicit-any
    ['no version', (d) => delete d['version'], /\.version: must be a non-empty string/],
    ['a bad effective date', (d) => (d['effectiveFrom'] = 'soon'), /\.effectiveFrom: must be an ISO date/],
    ['an unknown qualification', (d) => d['natureRules'][0].qualifications.push('wizard'), /natureRules\[0\]\.qualifications\[6\]: must be one of/],
    ['an unknown role', (d) => (d['natureRules'][0].roles = ['cpr', 'drive']), /natureRules\[0\]\.roles\[1\]/],
    ['a nature in two rules', (d) => d['natureRules'][1].natures.push('cardiac_arrest'), /nature cardiac_arrest is listed by two rules/],
    ['an alerting rule without roles', (d) => (d['natureRules'][2].roles = []), /a rule that alerts must name qualifications and roles/],
    ['a missing place rule', (d) => delete d['places'].home, /places\.home: must be an object/],
    ['a missing volunteer check', (d) => delete d['volunteerRules'].quietHours, /volunteerRules\.quietHours/],
    ['a probability over 1', (d) => (d['waves'].acceptancePrior = 1.5), /waves\.acceptancePrior: is a probability/],
    ['a zero walking time', (d) => (d['waves'].maxWalkingS = 0), /waves\.maxWalkingS: must be a number > 0/],
    ['a rule id used twice', (d) => (d['places'].home.id = 'place.public'), /rule id place\.public is used twice/],
  ];
  for (const [what, change, message] of broken) {
    it(`refuses ${what}`, () => {
      const d = raw();
      change(d);
      expect(() => validateVolunteerPolicy(d)).toThrow(message);
    });
  }
});
