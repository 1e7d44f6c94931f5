import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAmlForm, parseAmlSms, sameLine } from './aml.ts';
import { latestFix, lineBucket, withFix } from './caller-fixes.ts';

/** Samples written from the fields of ETSI TS 103 625 V1.1.1 (see test/fixtures/standards/aml/README.md). */
const SAMPLES = join(import.meta.dirname, '..', '..', '..', 'test', 'fixtures', 'standards', 'aml');
const HTTPS_SAMPLE: Readonly<Record<string, string>> = Object.fromEntries(new URLSearchParams(readFileSync(join(SAMPLES, 'https-form.txt'), 'utf8').trim()));
const SMS_SAMPLE = readFileSync(join(SAMPLES, 'sms.txt'), 'utf8').trim();

const smsBody = (fields: string) => {
  const withoutLength = `A"ML=1;${fields};ml=`;
  // The length counts the whole message, its own digits included.
  for (let digits = 1; digits <= 4; digits++) {
    const total = withoutLength.length + digits;
    if (String(total).length === digits) return `${withoutLength}${total}`;
  }
  throw new Error('too long');
};

describe('AML over HTTPS (form fields)', () => {
  it('reads every field of the specification, keeps what places the caller and drops the IMEI and IMSI', () => {
    const r = parseAmlForm(HTTPS_SAMPLE);
    expect(r).toEqual({
      ok: true,
      fix: {
        number: '+14155550123',
        location: { lat: 37.77925, lon: -122.41921 },
        radiusM: 12,
        locatedAt: '2025-07-08T18:40:12.000Z',
        method: 'gnss',
        confidencePct: 68,
        altitudeM: 18.5,
        floor: '2',
        emergencyNumber: '911',
        callStartedAt: '2025-07-08T18:40:00.000Z',
        via: 'https',
      },
    });
    expect(JSON.stringify(r)).not.toMatch(/356708041746734|310260123456789/);
  });

  it('needs only the number, the position and its accuracy; the fix time falls back to the call time', () => {
    const minimal = { device_number: '4155550123', location_latitude: '37.7', location_longitude: '-122.4', location_accuracy: '30', time: '1752000000000' };
    const r = parseAmlForm(minimal);
    expect(r.ok && r.fix).toMatchObject({ method: 'unknown', locatedAt: '2025-07-08T18:40:00.000Z', number: '4155550123' });
    // The gateway may give the number beside the form.
    const { device_number: _n, ...noNumber } = minimal;
    expect(parseAmlForm(noNumber, '+1 (415) 555-0123')).toMatchObject({ ok: true, fix: { number: '+14155550123' } });
    // Fields the specification does not name are ignored.
    expect(parseAmlForm({ ...minimal, thunderbird_version: '2800' }).ok).toBe(true);
    for (const [source, method] of [['wifi', 'wifi'], ['cell', 'cell'], ['fused', 'fused'], ['GPS', 'gnss'], ['unknown', 'unknown']]) {
      expect(parseAmlForm({ ...minimal, location_source: source! })).toMatchObject({ fix: { method } });
    }
  });

  const bad: [string, string, string][] = [
    ['v', '4', 'AmlFieldInvalid'],
    ['v', '1.5', 'AmlFieldInvalid'],
    ['device_number', '12', 'AmlFieldInvalid'],
    ['device_number', 'call me', 'AmlFieldInvalid'],
    ['device_number', '', 'AmlFieldMissing'],
    ['emergency_number', '9-1-1', 'AmlFieldInvalid'],
    ['source', 'pigeon', 'AmlFieldInvalid'],
    ['time', 'yesterday', 'AmlFieldInvalid'],
    ['time', '1000', 'AmlFieldInvalid'],
    ['location_latitude', '91', 'AmlFieldInvalid'],
    ['location_latitude', '37,7', 'AmlFieldInvalid'],
    ['location_latitude', '', 'AmlFieldMissing'],
    ['location_longitude', '-180.5', 'AmlFieldInvalid'],
    ['location_longitude', 'NaN', 'AmlFieldInvalid'],
    ['location_time', '1.5e12', 'AmlFieldInvalid'],
    ['location_accuracy', '-3', 'AmlFieldInvalid'],
    ['location_accuracy', '', 'AmlFieldMissing'],
    ['location_altitude', 'high', 'AmlFieldInvalid'],
    ['location_floor', 'x'.repeat(21), 'AmlFieldInvalid'],
    ['location_source', 'astrology', 'AmlFieldInvalid'],
    ['location_vertical_accuracy', '-1', 'AmlFieldInvalid'],
    ['location_confidence', '101', 'AmlFieldInvalid'],
    ['location_bearing', '361', 'AmlFieldInvalid'],
    ['location_speed', '-2', 'AmlFieldInvalid'],
    ['imei', '1234', 'AmlFieldInvalid'],
    ['imsi', '31026012345678901', 'AmlFieldInvalid'],
    ['network_mcc', '31', 'AmlFieldInvalid'],
    ['network_mnc', 'ab', 'AmlFieldInvalid'],
    ['cell_home_mcc', '3100', 'AmlFieldInvalid'],
    ['cell_home_mnc', '2', 'AmlFieldInvalid'],
    ['device_model', 'm'.repeat(201), 'AmlFieldInvalid'],
  ];
  for (const [field, value, code] of bad) {
    it(`refuses ${field}=${JSON.stringify(value.slice(0, 20))} with ${code}, naming the field`, () => {
      expect(parseAmlForm({ ...HTTPS_SAMPLE, [field]: value })).toMatchObject({ ok: false, code, field });
    });
  }

  it('refuses a field given twice, a missing fix time, and a form that is not AML', () => {
    expect(parseAmlForm({ ...HTTPS_SAMPLE, location_latitude: ['37.7', '37.8'] })).toMatchObject({ ok: false, code: 'AmlFieldInvalid', field: 'location_latitude' });
    const { location_time: _l, time: _t, ...untimed } = HTTPS_SAMPLE;
    expect(parseAmlForm(untimed)).toMatchObject({ ok: false, code: 'AmlFieldMissing', field: 'location_time' });
    expect(parseAmlForm({ name: 'Ada', message: 'hello' })).toMatchObject({ ok: false, code: 'AmlNotRecognised' });
  });
});

describe('AML by SMS (A"ML=1;…)', () => {
  it('reads every field, with the number from the originating address', () => {
    expect(parseAmlSms(SMS_SAMPLE, '+14155550123')).toEqual({
      ok: true,
      fix: {
        number: '+14155550123',
        location: { lat: 37.77925, lon: -122.41921 },
        radiusM: 12,
        locatedAt: '2025-07-08T18:40:12.000Z',
        method: 'gnss',
        confidencePct: 68,
        via: 'sms',
      },
    });
    expect(parseAmlSms(`${SMS_SAMPLE}\r\n`, '+14155550123').ok).toBe(true);
    for (const [pm, method] of [['W', 'wifi'], ['C', 'cell']]) {
      expect(parseAmlSms(smsBody(`lt=+37.77925;lg=-122.41921;rd=150;top=20250708184012;lc=68;pm=${pm}`), '4155550123')).toMatchObject({ fix: { method } });
    }
    // Without its length field and the optional identities, it still places the caller.
    expect(parseAmlSms('A"ML=1;lt=37.7;lg=-122.4;rd=40;top=20250708184012;pm=G', '4155550123').ok).toBe(true);
  });

  const fields = { lt: '+37.77925', lg: '-122.41921', rd: '12', top: '20250708184012', lc: '68', pm: 'G', si: '310260123456789', ei: '356708041746734', mcc: '310', mnc: '260' };
  const sms = (changes: Record<string, string | undefined>) =>
    smsBody(
      Object.entries({ ...fields, ...changes })
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${k}=${v}`)
        .join(';'),
    );
  const bad: [string, string | undefined, string][] = [
    ['lt', '+97.1', 'AmlFieldInvalid'],
    ['lt', undefined, 'AmlFieldMissing'],
    ['lg', 'west', 'AmlFieldInvalid'],
    ['lg', undefined, 'AmlFieldMissing'],
    ['rd', '-5', 'AmlFieldInvalid'],
    ['rd', undefined, 'AmlFieldMissing'],
    ['top', '20251308184012', 'AmlFieldInvalid'],
    ['top', '20250431120000', 'AmlFieldInvalid'],
    ['top', '2025-07-08', 'AmlFieldInvalid'],
    ['top', undefined, 'AmlFieldMissing'],
    ['lc', '150', 'AmlFieldInvalid'],
    ['pm', 'X', 'AmlFieldInvalid'],
    ['pm', undefined, 'AmlFieldMissing'],
    ['si', '31026', 'AmlFieldInvalid'],
    ['ei', '35670804174673499', 'AmlFieldInvalid'],
    ['mcc', '3101', 'AmlFieldInvalid'],
    ['mnc', 'x1', 'AmlFieldInvalid'],
  ];
  for (const [field, value, code] of bad) {
    it(`refuses ${field}${value === undefined ? ' missing' : `=${value}`} with ${code}, naming the field`, () => {
      expect(parseAmlSms(sms({ [field]: value }), '+14155550123')).toMatchObject({ ok: false, code, field });
    });
  }

  it('refuses a truncated message (ml), no position (pm=N), no number, another version, and text that is not AML', () => {
    expect(parseAmlSms(SMS_SAMPLE.slice(0, -3).replace(/ml=\d*$/, 'ml=999'), '+14155550123')).toMatchObject({ code: 'AmlFieldInvalid', field: 'ml' });
    expect(parseAmlSms(SMS_SAMPLE.replace('mnc=260', 'mnc=26'), '+14155550123')).toMatchObject({ code: 'AmlFieldInvalid', field: 'ml' });
    expect(parseAmlSms('A"ML=1;lt=;lg=;rd=;top=20250708184012;lc=;pm=N', '+14155550123')).toMatchObject({ code: 'AmlNoPosition', field: 'pm' });
    expect(parseAmlSms(SMS_SAMPLE, undefined)).toMatchObject({ code: 'AmlFieldMissing', field: 'from' });
    expect(parseAmlSms(SMS_SAMPLE, 'ACME')).toMatchObject({ code: 'AmlFieldInvalid', field: 'from' });
    expect(parseAmlSms(SMS_SAMPLE.replace('A"ML=1', 'A"ML=9'), '+14155550123')).toMatchObject({ code: 'AmlFieldInvalid', field: 'A"ML' });
    expect(parseAmlSms('Help, I am at City Hall', '+14155550123')).toMatchObject({ code: 'AmlNotRecognised' });
    expect(parseAmlSms('A"ML=1;lt=37.7;garbage;pm=G', '+14155550123')).toMatchObject({ code: 'AmlFieldInvalid', field: 'garbage' });
    expect(parseAmlSms('A"ML=1;lt=37.7;lt=37.8;lg=-122.4;rd=4;top=20250708184012;pm=G', '+14155550123')).toMatchObject({ code: 'AmlFieldInvalid', field: 'lt' });
  });
});

describe('matching a line and holding fixes', () => {
  it('matches a number with and without its country code and punctuation, not two different lines', () => {
    expect(sameLine('+14155550123', '(415) 555-0123')).toBe(true);
    expect(sameLine('+33 6 12 34 56 78', '0612345678')).toBe(false);
    expect(sameLine('+33612345678', '612345678')).toBe(true);
    expect(sameLine('+14155550123', '+14155550124')).toBe(false);
    expect(sameLine('123', '123')).toBe(false);
  });

  it('holds a line’s fixes in one bucket (its last 7 digits) and offers the latest until it expires', () => {
    const a = parseAmlSms(SMS_SAMPLE, '+14155550123');
    if (!a.ok) throw new Error(a.message);
    expect(lineBucket('+1 (415) 555-0123')).toBe('5550123');
    expect(lineBucket('415 555 0123')).toBe('5550123');
    expect(lineBucket('555 012')).toBeUndefined();
    const one = { id: 'one', fix: a.fix, receivedAt: 0, expiresAt: 60_000 };
    const two = { id: 'two', fix: { ...a.fix, radiusM: 5 }, receivedAt: 10_000, expiresAt: 70_000 };
    const other = { id: 'other', fix: { ...a.fix, number: '+33 6 05 55 01 23' }, receivedAt: 15_000, expiresAt: 75_000 };
    const bucket = withFix(withFix(withFix([], one, 0), two, 10_000), other, 15_000);
    expect(latestFix(bucket, '415 555 0123', 20_000)?.id).toBe('two');
    expect(latestFix(bucket, '6 05 55 01 23', 20_000)?.id).toBe('other');
    expect(latestFix(bucket, '415 555 0199', 20_000)).toBeUndefined();
    expect(latestFix(bucket, '415 555 0123', 69_999)?.id).toBe('two');
    expect(latestFix(bucket, '415 555 0123', 70_000)).toBeUndefined();
    // What expired goes with the next fix added.
    expect(withFix(bucket, { ...one, id: 'three', receivedAt: 70_000, expiresAt: 130_000 }, 70_000).map((h) => h.id)).toEqual(['other', 'three']);
  });
});
