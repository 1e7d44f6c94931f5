import type { IncidentState } from '../../core/incident.ts';
import type { LatLon } from '../../core/lat-lon.ts';
import { areaOf } from '../../core/scene.ts';
import { capGravity, capNature, type CapCategory } from './cap-natures.ts';
import { el, textEl, withAttrs, writeXml, XML_DECLARATION, type XmlNode } from '../xml/xml-writer.ts';
import { instantOf, offsetDateTime } from '../date-time.ts';

/**
 * OASIS CAP 1.2 alerts (namespace urn:oasis:names:tc:emergency:cap:1.2). Pure: the incident's
 * state in, a document out. Rules the XSD does not check are kept here: times carry an offset,
 * never "Z"; identifier and sender hold no space, comma, "<" or "&"; a circle is "lat,lon radiusKm";
 * a restriction only with scope Restricted. A public alert says what the supervisor wrote and
 * where, on a 100 m grid; no alert carries the caller, the floor, door codes or the notes.
 */
export const CAP_NAMESPACE = 'urn:oasis:names:tc:emergency:cap:1.2';
export const CAP_CONTENT_TYPE = 'application/cap+xml';

export interface CapOptions {
  /** Who sends (CAP `sender`), e.g. "dispatch@samaritan.example"; made safe by `capToken`. */
  readonly sender: string;
  readonly senderName: string;
  readonly language?: string;
}

export type MsgType = 'Alert' | 'Update' | 'Cancel';
export interface CapReference {
  readonly identifier: string;
  readonly sent: string;
}

export interface CapArea {
  readonly areaDesc: string;
  readonly center: LatLon;
  readonly radiusKm: number;
}

export interface CapInfo {
  readonly category: CapCategory;
  readonly event: string;
  readonly responseType?: 'AllClear' | 'Monitor' | 'Avoid' | 'Shelter' | 'Evacuate' | 'Prepare' | 'Execute' | 'Assess' | 'None';
  readonly urgency: 'Immediate' | 'Expected' | 'Future' | 'Past' | 'Unknown';
  readonly severity: 'Extreme' | 'Severe' | 'Moderate' | 'Minor' | 'Unknown';
  readonly certainty: 'Observed' | 'Likely' | 'Possible' | 'Unlikely' | 'Unknown';
  readonly eventCodes?: readonly { readonly valueName: string; readonly value: string }[];
  readonly onset?: string;
  readonly expires?: string;
  readonly headline: string;
  readonly description?: string;
  readonly instruction?: string;
  readonly parameters?: readonly { readonly valueName: string; readonly value: string }[];
  /** Absent when the message concerns no place (a stand-down). */
  readonly area?: CapArea;
}

export interface CapAlert {
  readonly identifier: string;
  readonly sent: string;
  readonly msgType: MsgType;
  readonly scope: 'Public' | 'Restricted' | 'Private';
  readonly restriction?: string;
  readonly addresses?: readonly string[];
  readonly note?: string;
  readonly references?: readonly CapReference[];
  readonly incidents?: readonly string[];
  readonly info: CapInfo;
}

/** An identifier or sender as CAP allows it: no whitespace, comma, "<" or "&" (each becomes "-"). */
export const capToken = (s: string): string => s.replace(/[\s,<&]+/g, '-') || '-';

/** An ISO instant as CAP writes it: seconds, and "-00:00" for UTC (the XSD refuses "Z"). */
export const capTime = (iso: string): string => offsetDateTime(instantOf(iso), { utc: '-00:00' });

const round = (x: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

/** `lat,lon radiusKm`: CAP's order, the reverse of GeoJSON's. */
export const capCircle = (a: CapArea): string => `${round(a.center.lat, 5)},${round(a.center.lon, 5)} ${round(Math.max(0, a.radiusKm), 3)}`;

/** The CAP document, with its XML declaration. */
export function capXml(alert: CapAlert, o: CapOptions): string {
  return `${XML_DECLARATION}\n${writeXml(capNode(alert, o))}\n`;
}

/** The `alert` element alone, with its namespace (for embedding in a feed's entry). */
export function capNode(a: CapAlert, o: CapOptions): XmlNode {
  const sender = capToken(o.sender);
  const i = a.info;
  const pairs = (name: string, list: readonly { valueName: string; value: string }[] | undefined) =>
    (list ?? []).map((p) => el(name, el('valueName', p.valueName), el('value', p.value)));
  const info = el(
    'info',
    el('language', o.language ?? 'en-US'),
    el('category', i.category),
    el('event', i.event),
    textEl('responseType', i.responseType),
    el('urgency', i.urgency),
    el('severity', i.severity),
    el('certainty', i.certainty),
    ...pairs('eventCode', i.eventCodes),
    i.onset === undefined ? undefined : el('onset', capTime(i.onset)),
    i.expires === undefined ? undefined : el('expires', capTime(i.expires)),
    textEl('senderName', o.senderName),
    textEl('headline', i.headline),
    textEl('description', i.description),
    textEl('instruction', i.instruction),
    ...pairs('parameter', i.parameters),
    i.area === undefined ? undefined : el('area', el('areaDesc', i.area.areaDesc.trim() === '' ? 'Unspecified' : i.area.areaDesc), el('circle', capCircle(i.area))),
  );
  const references = (a.references ?? []).map((r) => `${sender},${capToken(r.identifier)},${capTime(r.sent)}`).join(' ');
  const addresses = (a.addresses ?? []).map((x) => (/\s/.test(x) ? `"${x.replace(/"/g, '')}"` : x)).join(' ');
  return withAttrs(
    el(
      'alert',
      el('identifier', capToken(a.identifier)),
      el('sender', sender),
      el('sent', capTime(a.sent)),
      el('status', 'Actual'),
      el('msgType', a.msgType),
      el('scope', a.scope),
      a.scope === 'Restricted' ? textEl('restriction', a.restriction ?? 'For emergency services only') : undefined,
      a.scope === 'Private' ? textEl('addresses', addresses) : undefined,
      textEl('note', a.note),
      textEl('references', a.msgType === 'Alert' ? undefined : references),
      textEl('incidents', (a.incidents ?? []).map(capToken).join(' ')),
      info,
    ),
    { xmlns: CAP_NAMESPACE },
  );
}

const ended = (s: IncidentState) => s.status === 'cancelled' || s.status === 'closed';

/** Where the incident stands in the log: its stream's version and the time of its last event. */
export interface IncidentVersion {
  readonly version: number;
  readonly at: string;
}

/**
 * The incident as CAP. With a public warning (in force, or withdrawn since), the public alert that
 * follows the warning: Alert when issued, Update when amended, Cancel when withdrawn or when the
 * incident ends. Otherwise a Restricted alert for other services that follows the incident:
 * Alert as received, Update on each change, Cancel once cancelled or closed.
 */
export function incidentCap(s: IncidentState, at: IncidentVersion): CapAlert {
  const { category, event } = capNature(s.details.nature);
  const gravity = capGravity(s.details.priority);
  const codes = [{ valueName: 'samaritan:nature', value: s.details.nature }];
  const w = s.publicWarning;
  if (w !== undefined) {
    const over = w.withdrawnAt !== undefined || ended(s);
    const first = { identifier: `${s.id}.warning.${w.issuedRevision}`, sent: w.issuedAt };
    const endsWithIncident = w.withdrawnAt === undefined && ended(s);
    return {
      identifier: endsWithIncident ? `${s.id}.warning.${w.revision}.${s.status}` : `${s.id}.warning.${w.revision}`,
      sent: endsWithIncident ? s.statusChangedAt : w.updatedAt,
      msgType: over ? 'Cancel' : w.revision === w.issuedRevision ? 'Alert' : 'Update',
      scope: 'Public',
      ...(over ? { note: w.withdrawnAt !== undefined ? 'The warning was withdrawn.' : `The incident is ${s.status}.` } : {}),
      references: [first],
      incidents: [s.id],
      info: {
        category,
        event,
        ...(over ? { responseType: 'AllClear' as const, urgency: 'Past' as const, severity: 'Minor' as const } : gravity),
        certainty: 'Observed',
        eventCodes: codes,
        onset: s.receivedAt,
        headline: w.headline,
        instruction: over ? 'The warning is over.' : w.instruction,
        area: { areaDesc: w.areaDesc, center: areaOf(s.details.location), radiusKm: w.radiusM / 1000 },
      },
    };
  }
  const where = s.details.address ?? `${round(s.details.location.lat, 5)}, ${round(s.details.location.lon, 5)}`;
  return {
    identifier: `${s.id}.v${at.version}`,
    sent: at.at,
    msgType: ended(s) ? 'Cancel' : at.version <= 1 ? 'Alert' : 'Update',
    scope: 'Restricted',
    restriction: 'For emergency services only; not for the public',
    references: [{ identifier: `${s.id}.v1`, sent: s.receivedAt }],
    incidents: [s.id],
    info: {
      category,
      event,
      ...(ended(s) ? { responseType: 'AllClear' as const, urgency: 'Past' as const, severity: 'Minor' as const } : gravity),
      certainty: 'Observed',
      eventCodes: codes,
      onset: s.receivedAt,
      headline: `${event}, priority ${s.details.priority}: ${s.status.replace(/_/g, ' ')}`,
      parameters: [
        { valueName: 'samaritan:status', value: s.status },
        { valueName: 'samaritan:priority', value: String(s.details.priority) },
        { valueName: 'samaritan:units', value: String(Object.keys(s.assignments).length) },
      ],
      area: { areaDesc: where, center: s.details.location, radiusKm: 0.1 },
    },
  };
}
