import type { LatLon } from '../../core/lat-lon.ts';
import { readXml, type XmlElement, type XmlRefusalCode, type XmlValue } from '../xml/read-xml.ts';
import { escapeXml } from '../xml/xml-writer.ts';

/**
 * PIDF-LO, the location object EIDO carries as an XML string (RFC 4119, with RFC 5491's profile:
 * a GML point in WGS 84 as "lat lon", and RFC 5139's civic address).
 */

/** A civic address of RFC 5139, the elements we write and read. */
export interface CivicAddress {
  readonly country?: string;
  readonly A1?: string;
  readonly A3?: string;
  /** House number, its suffix, street prefix, road, street suffix, post-directional. */
  readonly HNO?: string;
  readonly HNS?: string;
  readonly PRD?: string;
  readonly RD?: string;
  readonly STS?: string;
  readonly POD?: string;
  readonly FLR?: string;
  /** Additional location information: where we keep access notes. */
  readonly LOC?: string;
  readonly NAM?: string;
  readonly PC?: string;
}

const CIVIC_ORDER = ['country', 'A1', 'A3', 'PRD', 'RD', 'STS', 'POD', 'HNO', 'HNS', 'LOC', 'FLR', 'NAM', 'PC'] as const;

export interface PidfLocation {
  readonly point?: LatLon;
  /** Radius (m) of a circle, when the position was given as one. */
  readonly radiusM?: number;
  readonly civic?: CivicAddress;
}

export const WGS84_2D = 'urn:ogc:def:crs:EPSG::4326';

/** Writes a PIDF-LO document for one place: its point, and its civic address when there is one. */
export function toPidfLo(o: { entity: string; deviceId: string; location: LatLon; civic?: CivicAddress; timestamp: string }): string {
  const civic =
    o.civic === undefined
      ? ''
      : `<ca:civicAddress xml:lang="en">${CIVIC_ORDER.filter((k) => o.civic?.[k] !== undefined && o.civic[k] !== '')
          .map((k) => `<ca:${k}>${escapeXml(o.civic![k]!)}</ca:${k}>`)
          .join('')}</ca:civicAddress>`;
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:gp="urn:ietf:params:xml:ns:pidf:geopriv10"' +
    ' xmlns:gml="http://www.opengis.net/gml" xmlns:ca="urn:ietf:params:xml:ns:pidf:geopriv10:civicAddr"' +
    ` xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model" entity="${escapeXml(o.entity)}">` +
    `<dm:device id="${escapeXml(o.deviceId)}"><gp:geopriv><gp:location-info>` +
    `<gml:Point srsName="${WGS84_2D}"><gml:pos>${o.location.lat} ${o.location.lon}</gml:pos></gml:Point>` +
    civic +
    '</gp:location-info><gp:usage-rules/><gp:method>Manual</gp:method></gp:geopriv>' +
    `<dm:timestamp>${escapeXml(o.timestamp)}</dm:timestamp></dm:device></presence>`
  );
}

export type PidfReading = { readonly ok: true; readonly location: PidfLocation } | { readonly ok: false; readonly code: XmlRefusalCode | 'NotPidfLo'; readonly message: string };

const isElement = (v: XmlValue | undefined): v is XmlElement => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The text of an element read with or without attributes. */
function textOf(v: XmlValue | undefined): string | undefined {
  if (typeof v === 'string') return v;
  if (isElement(v)) return typeof v['#text'] === 'string' ? v['#text'] : undefined;
  if (Array.isArray(v)) return textOf(v[0] as XmlValue);
  return undefined;
}

/** Every element named `name` anywhere below `v`, depth first, in document order. */
function findAll(v: XmlValue, name: string, out: XmlElement[] = []): XmlElement[] {
  if (Array.isArray(v)) {
    for (const x of v as XmlValue[]) findAll(x, name, out);
  } else if (isElement(v)) {
    for (const [k, child] of Object.entries(v)) {
      if (k.startsWith('@') || k === '#text') continue;
      if (k === name) for (const c of Array.isArray(child) ? (child as XmlValue[]) : [child]) out.push(isElement(c) ? c : { '#text': String(c) });
      findAll(child, name, out);
    }
  }
  return out;
}

const GEODETIC_CRS = /^urn:ogc:def:crs:EPSG::(4326|4979)$/;

function positionOf(shape: XmlElement): LatLon | undefined {
  const srs = shape['@srsName'];
  if (typeof srs === 'string' && !GEODETIC_CRS.test(srs.trim())) return undefined;
  const pos = textOf(shape['pos']);
  if (pos === undefined) return undefined;
  const [lat, lon] = pos.trim().split(/\s+/).map(Number);
  return lat === undefined || lon === undefined || !Number.isFinite(lat) || !Number.isFinite(lon) ? undefined : { lat, lon };
}

/**
 * Reads the first geodetic position (a point, or the centre of a circle) and the first civic
 * address of a PIDF-LO document, through the one safe XML reader (no DTD, no entity, bounded).
 */
export function fromPidfLo(xml: string): PidfReading {
  const doc = readXml(xml, { maxBytes: 256 * 1024 });
  if (!doc.ok) return doc;
  if (doc.root !== 'presence') return { ok: false, code: 'NotPidfLo', message: `The location is a <${doc.root}>, not a PIDF-LO <presence>` };
  const root = doc.value;
  let point: LatLon | undefined;
  let radiusM: number | undefined;
  for (const p of findAll(root, 'Point')) {
    point = positionOf(p);
    if (point !== undefined) break;
  }
  if (point === undefined) {
    for (const c of findAll(root, 'Circle')) {
      point = positionOf(c);
      const r = Number(textOf(c['radius']));
      if (point !== undefined) {
        if (Number.isFinite(r) && r >= 0) radiusM = r;
        break;
      }
    }
  }
  const civicEl = findAll(root, 'civicAddress')[0];
  let civic: CivicAddress | undefined;
  if (civicEl !== undefined) {
    const c: Record<string, string> = {};
    for (const k of CIVIC_ORDER) {
      const t = textOf(civicEl[k]);
      if (t !== undefined && t !== '') c[k] = t;
    }
    civic = c;
  }
  return {
    ok: true,
    location: { ...(point === undefined ? {} : { point }), ...(radiusM === undefined ? {} : { radiusM }), ...(civic === undefined ? {} : { civic }) },
  };
}

/** Splits a typed address into house number and road, as a civic address holds them ("1 Dr Carlton B Goodlett Pl"). */
export function civicOfAddress(address: string): CivicAddress {
  const m = /^(\d+[A-Za-z]?)\s+(.+)$/.exec(address.trim());
  return m === null ? { RD: address.trim() } : { HNO: m[1]!, RD: m[2]! };
}

/** One line of text from a civic address: "42 W Cellular Street, Wilmington". */
export function addressOfCivic(c: CivicAddress): string | undefined {
  const street = [c.HNO, c.HNS, c.PRD, c.RD, c.STS, c.POD].filter((x) => x !== undefined && x !== '').join(' ');
  const line = [street, c.A3].filter((x) => x !== undefined && x !== '').join(', ');
  return line === '' ? undefined : line;
}
