import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { IncidentState } from '../../core/incident.ts';
import { alertsInFeed, atomProblems, CAP_FIXTURES, capErrors } from '../../../test/support/cap-check.ts';
import { capFeed } from './atom-feed.ts';
import { capTime, capXml, incidentCap, type CapOptions } from './cap-alert.ts';

const O: CapOptions = { sender: 'dispatch@samaritan.example', senderName: 'Samaritan <SF> & Co' };
const RECEIVED = '2024-01-15T09:00:00.000Z';
const incident = (more: Partial<IncidentState> = {}): IncidentState => ({
  id: 'I240115-ABC123',
  status: 'dispatched',
  details: {
    location: { lat: 37.779312, lon: -122.419287 },
    address: '1 Dr Carlton B Goodlett Pl',
    floor: '2',
    access: 'door code 5555',
    nature: 'structure_fire',
    priority: 1,
    callerName: 'Ada Caller',
    callbackNumber: '+1 415 555 0199',
    notes: 'caller says smoke from the stairs',
  },
  receivedAt: RECEIVED,
  statusChangedAt: '2024-01-15T09:01:00.000Z',
  duplicates: [],
  assignments: {},
  ...more,
});
const WARNING = {
  headline: 'Smoke over Civic Center',
  instruction: 'Keep windows closed & avoid Polk St <until further notice>.',
  areaDesc: 'Civic Center',
  radiusM: 800,
  revision: 1,
  issuedRevision: 1,
  issuedAt: '2024-01-15T09:05:00.000Z',
  updatedAt: '2024-01-15T09:05:00.000Z',
};
const at = (version: number, iso = '2024-01-15T09:01:00.000Z') => ({ version, at: iso });
const tag = (xml: string, name: string) => [...xml.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, 'g'))].map((m) => m[1]);

async function expectValid(xml: string) {
  expect(await capErrors(xml)).toEqual({ plain: [], extended: [] });
}

describe('CAP 1.2 alerts of an incident', () => {
  it('the official samples that should validate do, against cap12.xsd and the stricter cap12_extended.xsd', async () => {
    const samples = readdirSync(new URL('samples/', CAP_FIXTURES)).filter((f) => !f.endsWith('.atom'));
    expect(samples.length).toBeGreaterThanOrEqual(10);
    for (const f of samples) expect({ f, ...(await capErrors(readFileSync(new URL(`samples/${f}`, CAP_FIXTURES)), f)) }).toEqual({ f, plain: [], extended: [] });
  });

  it('the validator is not a rubber stamp: a "Z" time, a space in the identifier and elements out of order fail', async () => {
    const good = capXml(incidentCap(incident(), at(3)), O);
    await expectValid(good);
    const z = await capErrors(good.replace(/<sent>[^<]+<\/sent>/, '<sent>2024-01-15T09:01:00Z</sent>'));
    expect(z.extended.length).toBeGreaterThan(0);
    const spaced = await capErrors(good.replace('<identifier>I240115-ABC123.v3', '<identifier>I240115 ABC123.v3'));
    expect(spaced).toMatchObject({ plain: [] });
    expect(spaced.extended.length).toBeGreaterThan(0);
    const swapped = await capErrors(good.replace(/<status>Actual<\/status>\s*<msgType>Update<\/msgType>/, '<msgType>Update</msgType><status>Actual</status>'));
    expect(swapped.plain.length).toBeGreaterThan(0);
  });

  it('without a public warning: Restricted, with the restriction, following the incident (Alert, Update, Cancel with references)', async () => {
    const first = capXml(incidentCap(incident({ status: 'received' }), at(1, RECEIVED)), O);
    await expectValid(first);
    expect(tag(first, 'msgType')).toEqual(['Alert']);
    expect(tag(first, 'scope')).toEqual(['Restricted']);
    expect(tag(first, 'restriction')).toEqual(['For emergency services only; not for the public']);
    expect(first).not.toContain('<references>');
    expect(tag(first, 'sent')).toEqual(['2024-01-15T09:00:00-00:00']);
    expect(tag(first, 'category')).toEqual(['Fire']);
    expect(tag(first, 'urgency')).toEqual(['Immediate']);
    expect(tag(first, 'severity')).toEqual(['Severe']);
    expect(tag(first, 'circle')).toEqual(['37.77931,-122.41929 0.1']);
    expect(tag(first, 'areaDesc')).toEqual(['1 Dr Carlton B Goodlett Pl']);

    const update = capXml(incidentCap(incident(), at(3)), O);
    await expectValid(update);
    expect(tag(update, 'identifier')).toEqual(['I240115-ABC123.v3']);
    expect(tag(update, 'msgType')).toEqual(['Update']);
    expect(tag(update, 'references')).toEqual(['dispatch@samaritan.example,I240115-ABC123.v1,2024-01-15T09:00:00-00:00']);

    for (const status of ['cancelled', 'closed'] as const) {
      const end = capXml(incidentCap(incident({ status }), at(7, '2024-01-15T10:00:00.000Z')), O);
      await expectValid(end);
      expect(tag(end, 'msgType')).toEqual(['Cancel']);
      expect(tag(end, 'responseType')).toEqual(['AllClear']);
      expect(tag(end, 'references')).toEqual(['dispatch@samaritan.example,I240115-ABC123.v1,2024-01-15T09:00:00-00:00']);
    }
  });

  it('never carries the caller, the floor, the door code or the notes', () => {
    for (const s of [incident(), incident({ publicWarning: WARNING })]) {
      const xml = capXml(incidentCap(s, at(3)), O);
      expect(xml).not.toMatch(/Ada Caller|555 0199|5555|door code|smoke from the stairs|<floor/);
    }
  });

  it('a public warning: Public, no restriction, what the supervisor wrote, the area on a 100 m grid, escaped', async () => {
    const xml = capXml(incidentCap(incident({ publicWarning: WARNING }), at(4)), O);
    await expectValid(xml);
    expect(tag(xml, 'scope')).toEqual(['Public']);
    expect(xml).not.toContain('<restriction>');
    expect(tag(xml, 'msgType')).toEqual(['Alert']);
    expect(tag(xml, 'identifier')).toEqual(['I240115-ABC123.warning.1']);
    expect(tag(xml, 'headline')).toEqual(['Smoke over Civic Center']);
    expect(tag(xml, 'instruction')).toEqual(['Keep windows closed &amp; avoid Polk St &lt;until further notice&gt;.']);
    expect(tag(xml, 'senderName')).toEqual(['Samaritan &lt;SF&gt; &amp; Co']);
    expect(tag(xml, 'areaDesc')).toEqual(['Civic Center']);
    expect(xml).not.toContain('Goodlett');
    const [latLon, km] = tag(xml, 'circle')[0]!.split(' ');
    expect(km).toBe('0.8');
    const [lat, lon] = latLon!.split(',').map(Number);
    expect(Math.abs(lat! - 37.779312)).toBeLessThan(0.001);
    expect(Math.abs(lon! - -122.419287)).toBeLessThan(0.001);
    expect(lat).not.toBe(37.779312);
  });

  it('an amended warning is an Update, a withdrawn one or one whose incident ended a Cancel, each referring to the warning as issued', async () => {
    const amended = { ...WARNING, revision: 2, updatedAt: '2024-01-15T09:20:00.000Z', instruction: 'Stay indoors.' };
    const update = capXml(incidentCap(incident({ publicWarning: amended }), at(5)), O);
    const withdrawn = capXml(incidentCap(incident({ publicWarning: { ...amended, revision: 3, withdrawnAt: '2024-01-15T09:40:00.000Z', updatedAt: '2024-01-15T09:40:00.000Z' } }), at(6)), O);
    const closed = capXml(incidentCap(incident({ status: 'closed', statusChangedAt: '2024-01-15T11:00:00.000Z', publicWarning: amended }), at(9)), O);
    const ref = 'dispatch@samaritan.example,I240115-ABC123.warning.1,2024-01-15T09:05:00-00:00';
    for (const [xml, msgType, id, sent] of [
      [update, 'Update', 'I240115-ABC123.warning.2', '2024-01-15T09:20:00-00:00'],
      [withdrawn, 'Cancel', 'I240115-ABC123.warning.3', '2024-01-15T09:40:00-00:00'],
      [closed, 'Cancel', 'I240115-ABC123.warning.2.closed', '2024-01-15T11:00:00-00:00'],
    ] as const) {
      await expectValid(xml);
      expect({ msgType: tag(xml, 'msgType'), id: tag(xml, 'identifier'), sent: tag(xml, 'sent'), refs: tag(xml, 'references') }).toEqual({
        msgType: [msgType],
        id: [id],
        sent: [sent],
        refs: [ref],
      });
    }
  });

  it('times are written with an offset, never "Z"', () => {
    expect(capTime('2024-01-15T09:00:00.123Z')).toBe('2024-01-15T09:00:00-00:00');
    expect(() => capTime('yesterday')).toThrow(RangeError);
  });
});

describe('the Atom feed of public warnings', () => {
  const feedOf = (alerts: ReturnType<typeof incidentCap>[]) =>
    capFeed(
      alerts.map((a) => ({ alert: a, href: `https://samaritan.example/api/incidents/${a.incidents![0]}/cap` })),
      { ...O, selfUrl: 'https://samaritan.example/api/cap/feed', title: 'Samaritan public warnings', now: '2024-01-15T12:00:00.000Z' },
    );

  it('the structural check accepts the upstream feeds and refuses a feed without ids', () => {
    for (const f of ['earthquake_index.atom', 'canada_signed.atom']) {
      expect(atomProblems(readFileSync(new URL(`samples/${f}`, CAP_FIXTURES), 'utf8'), { capInEntries: false })).toEqual([]);
    }
    const feed = feedOf([incidentCap(incident({ publicWarning: WARNING }), at(4))]);
    expect(atomProblems(feed.replace(/<id>[^<]*<\/id>/g, ''), { capInEntries: true })).toContain('feed has 0 id (one wanted)');
  });

  it('is well-formed Atom, each entry carrying a CAP alert that validates on its own', async () => {
    const second = incident({ id: 'I240115-XYZ789', details: { ...incident().details, nature: 'gas_leak', priority: 2 }, publicWarning: { ...WARNING, headline: 'Gas leak: keep away' } });
    const feed = feedOf([incidentCap(incident({ publicWarning: WARNING }), at(4)), incidentCap(second, at(2))]);
    expect(atomProblems(feed, { capInEntries: true })).toEqual([]);
    const alerts = alertsInFeed(feed);
    expect(alerts).toHaveLength(2);
    for (const a of alerts) await expectValid(a);
    expect(tag(alerts[1]!, 'category')).toEqual(['Safety']);
    expect(feed).toContain('<updated>2024-01-15T09:05:00-00:00</updated>');
  });

  it('an empty feed is still a valid feed, dated now', () => {
    const feed = feedOf([]);
    expect(atomProblems(feed, { capInEntries: true })).toEqual([]);
    expect(feed).toContain('<updated>2024-01-15T12:00:00-00:00</updated>');
  });
});
