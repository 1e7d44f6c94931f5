import type { LatLon } from '../../core/lat-lon.ts';

/**
 * Advanced Mobile Location: the position a phone sends by itself when it calls an emergency
 * number. Read as ETSI TS 103 625 V1.1.1 (2019-12) "Transporting Handset Location to PSAPs for
 * Emergency Calls - Advanced Mobile Location" defines it, in its two transports:
 *
 * - HTTPS: a POST of `application/x-www-form-urlencoded` fields (`v`, `device_number`,
 *   `emergency_number`, `source`, `time`, `location_latitude`, `location_longitude`, `location_time`,
 *   `location_accuracy`, `location_source`, `location_confidence`, `location_altitude`,
 *   `location_vertical_accuracy`, `location_floor`, `location_bearing`, `location_speed`, `imei`,
 *   `imsi`, `network_mcc`, `network_mnc`, `cell_home_mcc`, `cell_home_mnc`, `device_model`); times
 *   are Unix milliseconds, distances metres, the confidence a percentage.
 * - SMS: one text `A"ML=1;lt=…;lg=…;rd=…;top=…;lc=…;pm=…;si=…;ei=…;mcc=…;mnc=…;ml=…` (latitude and
 *   longitude in decimal degrees, radius in metres, time of positioning YYYYMMDDhhmmss UTC, level
 *   of confidence %, positioning method G(NSS), W(i-Fi), C(ell) or N(one), IMSI, IMEI, network
 *   codes, and the message's own length). The calling number is the SMS's originating address,
 *   which the operator's gateway passes beside the text.
 *
 * Every field the specification names is checked when present, so a sender learns which field it
 * got wrong; fields it does not name are ignored (later versions add some). The IMSI and IMEI are
 * checked and then dropped: placing the caller needs neither, and they identify the person.
 */
export type AmlVia = 'https' | 'sms';
export type AmlMethod = 'gnss' | 'wifi' | 'cell' | 'fused' | 'unknown';

export interface AmlFix {
  /** The calling number, digits with a leading + when the sender gave one. */
  readonly number: string;
  readonly location: LatLon;
  /** Accuracy radius, metres. */
  readonly radiusM: number;
  /** When the phone took the fix (ISO). */
  readonly locatedAt: string;
  readonly method: AmlMethod;
  readonly confidencePct?: number;
  readonly altitudeM?: number;
  readonly floor?: string;
  readonly emergencyNumber?: string;
  /** When the call began (ISO), HTTPS only. */
  readonly callStartedAt?: string;
  readonly via: AmlVia;
}

/** Why a message was refused; each names the field at fault where there is one. */
export type AmlErrorCode = 'AmlNotRecognised' | 'AmlFieldMissing' | 'AmlFieldInvalid' | 'AmlNoPosition';

export type AmlParse =
  | { readonly ok: true; readonly fix: AmlFix }
  | { readonly ok: false; readonly code: AmlErrorCode; readonly field?: string; readonly message: string };

class Refusal {
  constructor(
    readonly code: AmlErrorCode,
    readonly message: string,
    readonly field?: string,
  ) {}
}

const invalid = (field: string, expected: string) => new Refusal('AmlFieldInvalid', `${field}: expected ${expected}`, field);
const missing = (field: string) => new Refusal('AmlFieldMissing', `${field} is missing`, field);

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
/** An E.164 number (up to 15 digits), with or without its +. */
const PHONE = /^\+?\d{3,15}$/;

function decimal(field: string, text: string, min: number, max: number): number {
  const x = Number(text);
  if (!NUMBER.test(text) || !(x >= min && x <= max)) throw invalid(field, `a number from ${min} to ${max}`);
  return x;
}

function digits(field: string, text: string, min: number, max: number): string {
  if (!new RegExp(`^\\d{${min},${max}}$`).test(text)) throw invalid(field, min === max ? `${min} digits` : `${min} to ${max} digits`);
  return text;
}

/** From 2000 to 2100: a clock far outside these is a broken phone, not a time. */
const EARLIEST = Date.UTC(2000, 0, 1);
const LATEST = Date.UTC(2100, 0, 1);

function unixMs(field: string, text: string): string {
  if (!/^\d{1,15}$/.test(text) || Number(text) < EARLIEST || Number(text) >= LATEST) throw invalid(field, 'Unix time in milliseconds');
  return new Date(Number(text)).toISOString();
}

/** YYYYMMDDhhmmss, UTC, as the SMS's `top` gives it. */
function compactUtc(field: string, text: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text);
  const [y, mo, d, h, mi, s] = (m ?? []).slice(1).map(Number) as number[];
  const t = m ? Date.UTC(y!, mo! - 1, d!, h!, mi!, s!) : NaN;
  const back = new Date(t);
  // A date that rolls over (month 13, 31 April, 25 h) is refused rather than moved.
  if (!m || back.getUTCMonth() !== mo! - 1 || back.getUTCDate() !== d! || back.getUTCHours() !== h! || t < EARLIEST || t >= LATEST) {
    throw invalid(field, 'YYYYMMDDhhmmss (UTC)');
  }
  return back.toISOString();
}

const phone = (field: string, text: string): string => {
  const compact = text.replace(/[\s().-]/g, '');
  if (!PHONE.test(compact)) throw invalid(field, 'a phone number of 3 to 15 digits, + allowed first');
  return compact;
};

const HTTPS_SOURCES: Readonly<Record<string, AmlMethod>> = { gps: 'gnss', gnss: 'gnss', wifi: 'wifi', cell: 'cell', fused: 'fused', unknown: 'unknown' };
const SMS_METHODS: Readonly<Record<string, AmlMethod>> = { G: 'gnss', W: 'wifi', C: 'cell' };

/**
 * The HTTPS transport's fields, already split (a form body). `from` is the calling number when the
 * gateway knows it and the form has no `device_number`.
 */
export function parseAmlForm(form: Readonly<Record<string, string | readonly string[] | undefined>>, from?: string): AmlParse {
  try {
    const one = (field: string): string | undefined => {
      const v = form[field];
      if (v === undefined) return undefined;
      if (typeof v !== 'string') throw invalid(field, 'one value');
      return v.trim();
    };
    const need = (field: string): string => {
      const v = one(field);
      if (v === undefined || v === '') throw missing(field);
      return v;
    };
    const opt = <T>(field: string, read: (text: string) => T): T | undefined => {
      const v = one(field);
      return v === undefined || v === '' ? undefined : read(v);
    };

    if (one('v') === undefined && one('location_latitude') === undefined && one('device_number') === undefined) {
      throw new Refusal('AmlNotRecognised', 'The form has none of the AML fields (v, device_number, location_latitude...)');
    }
    const v = opt('v', (t) => decimal('v', t, 1, 3));
    if (v !== undefined && !Number.isInteger(v)) throw invalid('v', 'version 1, 2 or 3');
    const numberText = one('device_number') || from;
    if (numberText === undefined || numberText === '') throw missing('device_number');
    const number = phone(one('device_number') ? 'device_number' : 'from', numberText);
    const emergencyNumber = opt('emergency_number', (t) => {
      if (!/^[0-9*#+]{1,15}$/.test(t)) throw invalid('emergency_number', 'the digits dialled');
      return t;
    });
    opt('source', (t) => {
      if (!/^(call|sms)$/i.test(t)) throw invalid('source', 'call or sms');
    });
    const callStartedAt = opt('time', (t) => unixMs('time', t));
    const lat = decimal('location_latitude', need('location_latitude'), -90, 90);
    const lon = decimal('location_longitude', need('location_longitude'), -180, 180);
    const radiusM = decimal('location_accuracy', need('location_accuracy'), 0, 1_000_000);
    const locatedAt = opt('location_time', (t) => unixMs('location_time', t)) ?? callStartedAt;
    if (locatedAt === undefined) throw missing('location_time');
    const method =
      opt('location_source', (t) => {
        const m = HTTPS_SOURCES[t.toLowerCase()];
        if (m === undefined) throw invalid('location_source', 'gps, wifi, cell, fused or unknown');
        return m;
      }) ?? 'unknown';
    const confidencePct = opt('location_confidence', (t) => decimal('location_confidence', t, 0, 100));
    const altitudeM = opt('location_altitude', (t) => decimal('location_altitude', t, -1000, 20_000));
    opt('location_vertical_accuracy', (t) => decimal('location_vertical_accuracy', t, 0, 100_000));
    opt('location_bearing', (t) => decimal('location_bearing', t, 0, 360));
    opt('location_speed', (t) => decimal('location_speed', t, 0, 1000));
    const floor = opt('location_floor', (t) => {
      if (t.length > 20) throw invalid('location_floor', 'a floor label of at most 20 characters');
      return t;
    });
    opt('imei', (t) => digits('imei', t, 14, 16));
    opt('imsi', (t) => digits('imsi', t, 6, 15));
    for (const f of ['network_mcc', 'cell_home_mcc']) opt(f, (t) => digits(f, t, 3, 3));
    for (const f of ['network_mnc', 'cell_home_mnc']) opt(f, (t) => digits(f, t, 2, 3));
    opt('device_model', (t) => {
      if (t.length > 200) throw invalid('device_model', 'at most 200 characters');
    });
    return {
      ok: true,
      fix: {
        number,
        location: { lat, lon },
        radiusM,
        locatedAt,
        method,
        ...(confidencePct === undefined ? {} : { confidencePct }),
        ...(altitudeM === undefined ? {} : { altitudeM }),
        ...(floor === undefined ? {} : { floor }),
        ...(emergencyNumber === undefined ? {} : { emergencyNumber }),
        ...(callStartedAt === undefined ? {} : { callStartedAt }),
        via: 'https',
      },
    };
  } catch (e) {
    return refused(e);
  }
}

/** The SMS keys, in the order the specification sends them. */
type SmsKey = 'lt' | 'lg' | 'rd' | 'top' | 'lc' | 'pm' | 'si' | 'ei' | 'mcc' | 'mnc' | 'ml';

/** The SMS transport: the message text, and the number it came from (its originating address). */
export function parseAmlSms(text: string, from: string | undefined): AmlParse {
  try {
    const body = text.replace(/\r?\n$/, '');
    const header = /^A"ML=(\d+)(;|$)/.exec(body);
    if (!header) throw new Refusal('AmlNotRecognised', 'The text does not start with the AML header A"ML=<version>');
    if (header[1] !== '1' && header[1] !== '2') throw invalid('A"ML', 'version 1 or 2');
    if (from === undefined || from === '') throw missing('from');
    const number = phone('from', from);
    const fields = new Map<string, string>();
    for (const part of body.slice(header[0].length).split(';')) {
      if (part === '') continue;
      const eq = part.indexOf('=');
      if (eq <= 0) throw new Refusal('AmlFieldInvalid', `"${part.slice(0, 20)}" is not key=value`, part.slice(0, 20));
      const key = part.slice(0, eq);
      if (fields.has(key)) throw invalid(key, 'one value');
      fields.set(key, part.slice(eq + 1));
    }
    const get = (k: SmsKey) => {
      const v = fields.get(k);
      return v === undefined || v === '' ? undefined : v;
    };
    const need = (k: SmsKey) => get(k) ?? (() => { throw missing(k); })();

    // The message's length, counted by the phone: a shorter text is a truncated SMS.
    const ml = get('ml');
    if (ml !== undefined && Number(digits('ml', ml, 1, 4)) !== body.length) throw invalid('ml', `the length of the message (${body.length})`);
    const pm = need('pm');
    if (pm === 'N') throw new Refusal('AmlNoPosition', 'The phone found no position (pm=N)', 'pm');
    const method = SMS_METHODS[pm];
    if (method === undefined) throw invalid('pm', 'G, W, C or N');
    const lat = decimal('lt', need('lt'), -90, 90);
    const lon = decimal('lg', need('lg'), -180, 180);
    const rd = need('rd');
    const radiusM = Number(digits('rd', rd, 1, 7));
    const locatedAt = compactUtc('top', need('top'));
    const lc = get('lc');
    const confidencePct = lc === undefined ? undefined : decimal('lc', digits('lc', lc, 1, 3), 0, 100);
    const si = get('si');
    if (si !== undefined) digits('si', si, 6, 15);
    const ei = get('ei');
    if (ei !== undefined) digits('ei', ei, 14, 16);
    const mcc = get('mcc');
    if (mcc !== undefined) digits('mcc', mcc, 3, 3);
    const mnc = get('mnc');
    if (mnc !== undefined) digits('mnc', mnc, 2, 3);
    return {
      ok: true,
      fix: {
        number,
        location: { lat, lon },
        radiusM,
        locatedAt,
        method,
        ...(confidencePct === undefined ? {} : { confidencePct }),
        via: 'sms',
      },
    };
  } catch (e) {
    return refused(e);
  }
}

function refused(e: unknown): AmlParse {
  if (e instanceof Refusal) return { ok: false, code: e.code, message: e.message, ...(e.field === undefined ? {} : { field: e.field }) };
  throw e;
}

/**
 * Whether two phone numbers are the same line: typed by a call-taker ("(415) 555-0123") or sent by a
 * phone ("+14155550123"). Digits only; the shorter, of at least 7 digits, must end the longer, so a
 * number with and without its country code match and two local numbers that differ do not.
 */
export function sameLine(a: string, b: string): boolean {
  const x = a.replace(/\D/g, '');
  const y = b.replace(/\D/g, '');
  const [short, long] = x.length <= y.length ? [x, y] : [y, x];
  return short.length >= 7 && long.endsWith(short);
}
