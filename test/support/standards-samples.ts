import { readXml } from '../../src/interop/xml/read-xml.ts';
import { validateEmsi } from '../../src/interop/emsi/emsi-schema.ts';
import { alertsInFeed } from './cap-check.ts';
import {
  ansErrors,
  atomFeedProblems,
  checkGeojsonErrors,
  eido10Errors,
  eido11DraftErrors,
  fixture,
  fixtureText,
  fixturesUnder,
  geojsonSchemaErrors,
  xsdErrors,
  type XsdSet,
} from './standards-checks.ts';

/**
 * Every sample of the field's standards that the project keeps (test/fixtures/standards, copied
 * from the official repositories: see each PROVENANCE.md), what it is checked against, and what
 * the answer should be. The test runs each one; `scripts/standards-samples.ts` prints the table.
 */

export type Verdict = 'valid' | 'invalid';

export interface SampleCase {
  readonly standard: string;
  /** Path under test/fixtures/standards (with `#…` when a part of the file is checked). */
  readonly sample: string;
  readonly against: string;
  readonly expected: Verdict;
  /** Why an expected failure fails, or anything unusual about the check. */
  readonly note?: string;
  /** For an expected failure: what one of the problems found must say (so it fails for that reason). */
  readonly because?: RegExp;
  /** The problems found; empty when the document is valid. */
  readonly check: () => Promise<string[]> | string[];
}

const F = 'test/fixtures/standards/';
const XSD = {
  cap12: { schema: `${F}cap/cap12.xsd` },
  cap12x: { schema: `${F}cap/cap12_extended.xsd` },
  cap11: { schema: `${F}cap/cap11/cap11.xsd` },
  rss: { schema: `${F}cap/feeds/rss-2_0.xsd` },
  edxlde10: { schema: `${F}cap/feeds/edxlde-1_0.xsd` },
  emsi: { schema: 'schemas/emsi/EMSI.xsd' },
  ans: (name: string): XsdSet =>
    name === 'EDXL-DE-full.xsd' ? { schema: `${F}emsi/ans/xsd/${name}`, preloadDir: `${F}emsi/ans/xsd/` } : { schema: `${F}emsi/ans/xsd/${name}` },
  nemsisEms: { schema: `${F}nemsis/xsd/EMSDataSet_v3.xsd`, preloadDir: `${F}nemsis/xsd/` },
  nemsisDem: { schema: `${F}nemsis/xsd/DEMDataSet_v3.xsd`, preloadDir: `${F}nemsis/xsd/` },
} as const;

const json = (path: string): unknown => JSON.parse(fixtureText(path));
const base = (path: string): string => path.split('/').pop()!;

function xmlCase(standard: string, sample: string, set: XsdSet, expected: Verdict, note?: string, contents?: string, because?: RegExp): SampleCase {
  return {
    standard,
    sample,
    against: set.schema.replace(F, ''),
    expected,
    ...(note ? { note } : {}),
    ...(because ? { because } : {}),
    check: xsdErrors(set, base(sample), contents ?? fixture(sample)),
  };
}

// ---- NENA EIDO -----------------------------------------------------------------------------

const EIDO_10 = 'schemas/nena-eido (STA-021.1b, EIDO 1.0)';
const eido: SampleCase[] = [
  { standard: 'NENA EIDO', sample: 'nena-eido/sample-call-transfer-eido.json', against: EIDO_10, expected: 'valid', check: () => eido10Errors(json('nena-eido/sample-call-transfer-eido.json')) },
  { standard: 'NENA EIDO', sample: 'nena-eido/eidolib-SampleCallTransferEido.json', against: EIDO_10, expected: 'valid', check: () => eido10Errors(json('nena-eido/eidolib-SampleCallTransferEido.json')) },
  {
    standard: 'NENA EIDO',
    sample: 'nena-eido/eidolib-NotifyWithEido.json#/event/notification/0',
    against: EIDO_10,
    expected: 'valid',
    note: 'the EIDO carried by an EIDO Conveyance (STA-024) notify message',
    check: () => eido10Errors((json('nena-eido/eidolib-NotifyWithEido.json') as { event: { notification: unknown[] } }).event.notification[0]),
  },
  {
    standard: 'NENA EIDO',
    sample: 'nena-eido/eidolib-EidoWithJcard.json',
    against: EIDO_10,
    expected: 'invalid',
    note: 'its components spell the prologue lastUpdateTimestamp, so each lacks lastUpdateTimeStamp',
    because: /lastUpdateTimeStamp is required/,
    check: () => eido10Errors(json('nena-eido/eidolib-EidoWithJcard.json')),
  },
  {
    standard: 'NENA EIDO',
    sample: 'nena-eido/draft-1.1/sample-call-transfer-eido.json',
    against: 'nena-eido/draft-1.1 (STA-021.1.1 draft, 2025-06)',
    expected: 'valid',
    check: () => eido11DraftErrors(json('nena-eido/draft-1.1/sample-call-transfer-eido.json')),
  },
];

// ---- OASIS CAP -----------------------------------------------------------------------------

const CAP = 'OASIS CAP 1.2';
const cap12Samples = fixturesUnder('cap/samples/').filter((f) => !f.endsWith('.atom'));
const cap: SampleCase[] = [
  ...cap12Samples.flatMap((f) => [xmlCase(CAP, f, XSD.cap12, 'valid'), xmlCase(CAP, f, XSD.cap12x, 'valid')]),
  xmlCase(CAP, 'cap/negative/invalid.cap', XSD.cap12, 'invalid', 'no scope', undefined, /Expected is one of .*scope/),
  xmlCase(CAP, 'cap/negative/invalid.cap', XSD.cap12x, 'invalid', 'no scope', undefined, /Expected is one of .*scope/),
  xmlCase(CAP, 'cap/negative/wmo-bz-invalid_schema.xml', XSD.cap12, 'invalid', 'no sender', undefined, /Expected is \( \{[^}]+\}sender \)/),
  xmlCase(CAP, 'cap/negative/wmo-bz-invalid_schema.xml', XSD.cap12x, 'invalid', 'no sender', undefined, /Expected is \( \{[^}]+\}sender \)/),
  xmlCase(CAP, 'cap/negative/canada_errors.cap', XSD.cap12, 'valid', 'its faults are beyond the OASIS schema'),
  xmlCase(CAP, 'cap/negative/canada_errors.cap', XSD.cap12x, 'invalid', 'an empty references element', undefined, /references.*pattern/),
  ...['xml/xee.cap', 'xml/external-entity.xml'].map(
    (f): SampleCase => ({
      standard: f.endsWith('.cap') ? CAP : 'EMSI (EDXL-DE)',
      sample: f,
      against: 'our XML reader (src/interop/xml/read-xml.ts)',
      expected: 'invalid',
      note: 'refused before parsing: it declares a DTD and entities (XXE)',
      because: /^XmlDoctypeRefused/,
      check: () => {
        const read = readXml(fixture(f));
        return read.ok ? [] : [`${read.code}: ${read.message}`];
      },
    }),
  ),
];

const CAP11 = 'OASIS CAP 1.1';
const cap11: SampleCase[] = fixturesUnder('cap/cap11/', '.cap').map((f) =>
  f.endsWith('earthquake_signed.cap')
    ? xmlCase(CAP11, f, XSD.cap11, 'invalid', "CAP 1.1's schema has no place for the XML signature after info", undefined, /xmldsig#\}Signature': This element is not expected/)
    : xmlCase(CAP11, f, XSD.cap11, 'valid'),
);

const FEEDS = 'CAP feeds';
const ATOM = 'Atom structure (RFC 4287)';
const atomInvalid: Record<string, string> = {
  'no_id.atom': 'no id',
  'no_link.atom': 'an entry with neither content nor link',
  'no_title.atom': 'an entry without title',
  'amber.atom': 'no author on the feed nor on its entry (RFC 4287 §4.1.1)',
};
const feeds: SampleCase[] = [
  ...['cap/feeds/ny_index.rss', 'cap/feeds/amber.rss'].map((f) => xmlCase(FEEDS, f, XSD.rss, 'valid')),
  ...['cap/feeds/bushfire_valid.edxlde', 'cap/feeds/bushfire.edxlde'].map((f) => xmlCase(FEEDS, f, XSD.edxlde10, 'valid')),
  ...[...fixturesUnder('cap/samples/', '.atom'), ...fixturesUnder('cap/feeds/', '.atom')].map((f): SampleCase => {
    const why = atomInvalid[base(f)];
    return { standard: FEEDS, sample: f, against: ATOM, expected: why ? 'invalid' : 'valid', ...(why ? { note: why, because: /id|title|link|author/ } : {}), check: () => atomFeedProblems(fixtureText(f)) };
  }),
  ...alertsInFeed(fixtureText('cap/samples/canada_signed.atom')).map((alert, i) => xmlCase(CAP, `cap/samples/canada_signed.atom#alert-${i + 1}`, XSD.cap12, 'valid', 'the alert in the entry', alert)),
  ...alertsInFeed(fixtureText('cap/feeds/no_entries.atom')).map((alert, i) =>
    xmlCase(CAP, `cap/feeds/no_entries.atom#alert-${i + 1}`, XSD.cap12, 'invalid', 'the alert outside any entry has incidents before status, out of the schema\'s order', alert, /incidents': This element is not expected/),
  ),
];

// ---- EMSI and the ANS models ---------------------------------------------------------------

const EMSI = 'EMSI (ANS profile)';
const unwrap = (doc: unknown): unknown => Object.values(doc as Record<string, unknown>)[0];
const failingJson = 'emsi/failing/EMSI-DC-missing-required-fields.json';
const failingXml = 'emsi/failing/EMSI-DC-missing-required-fields.xml';
const emsi: SampleCase[] = [
  ...fixturesUnder('emsi/examples/', '.json').map(
    (f): SampleCase => ({ standard: EMSI, sample: f, against: 'schemas/emsi/EMSI.schema.json', expected: 'valid', note: 'the {"emsi": …} wrapper removed', check: () => validateEmsi(unwrap(json(f))).map((e) => `${e.path} ${e.message}`) }),
  ),
  ...fixturesUnder('emsi/examples/', '.xml').map((f) => xmlCase(EMSI, f, XSD.emsi, 'valid')),
  {
    standard: EMSI,
    sample: `${failingJson}#/content/0/jsonContent/embeddedJsonContent/message`,
    against: 'schemas/emsi/EMSI.schema.json',
    expected: 'invalid',
    note: 'required fields missing',
    because: /is required/,
    check: () => validateEmsi((json(failingJson) as { content: { jsonContent: { embeddedJsonContent: { message: unknown } } }[] }).content[0]!.jsonContent.embeddedJsonContent.message).map((e) => `${e.path} ${e.message}`),
  },
  xmlCase(EMSI, `${failingXml}#emsi`, XSD.emsi, 'invalid', 'required fields missing (its older namespace urn:emergency:cisu:2.0:emsi read as the current one, so the content is what fails)',
    /<emsi[\s\S]*<\/emsi>/.exec(fixtureText(failingXml))![0].replace('urn:emergency:cisu:2.0:emsi', 'urn:emergency:eda:1.9:emsi'), /Missing child element|Expected is \( \{urn:emergency:eda:1\.9:emsi\}ID \)/),
];

const ANS = 'ANS SAMU-Hub models';
const ansExamples = fixturesUnder('emsi/ans/examples/');
const STALE_NS = 'upstream sample still in the retired namespace urn:emergency:cisu:3.0; the XSD of the same commit expects urn:emergency:eda:1.9';
const ansCases: SampleCase[] = [
  ...ansExamples.filter((f) => f.endsWith('.json')).map((f): SampleCase => {
    const model = f.split('/')[3]!;
    return { standard: ANS, sample: f, against: `emsi/ans/json-schema/${model}.schema.json`, expected: 'valid', note: 'its one-key wrapper removed', check: () => ansErrors(`${model}.schema.json`, unwrap(json(f))) };
  }),
  ...ansExamples.filter((f) => f.endsWith('.xml')).map((f) => xmlCase(ANS, f, XSD.ans(`${f.split('/')[3]!}.xsd`), 'valid')),
  ...fixturesUnder('emsi/ans/valid/', '.json').map((f): SampleCase => {
    const schema = f.includes('/TECHNICAL/') ? 'TECHNICAL.schema.json' : 'EDXL-DE-full.schema.json';
    return { standard: ANS, sample: f, against: `emsi/ans/json-schema/${schema}`, expected: 'valid', check: () => ansErrors(schema, json(f)) };
  }),
  ...fixturesUnder('emsi/ans/valid/', '.xml').map((f) =>
    f.includes('/TECHNICAL/') ? xmlCase(ANS, f, XSD.ans('TECHNICAL.xsd'), 'valid') : xmlCase(ANS, f, XSD.ans('EDXL-DE-full.xsd'), 'invalid', STALE_NS, undefined, /\{urn:emergency:cisu:3\.0\}message': This element is not expected/),
  ),
];

// ---- GeoJSON -------------------------------------------------------------------------------

const GEOJSON = 'GeoJSON (RFC 7946)';
const geojson: SampleCase[] = [
  ...[...fixturesUnder('geojson/valid/'), ...fixturesUnder('geojson/valid-geometries/')].flatMap((f): SampleCase[] => [
    { standard: GEOJSON, sample: f, against: 'GeoJSON.json (ajv)', expected: 'valid', check: () => geojsonSchemaErrors(fixtureText(f)) },
    { standard: GEOJSON, sample: f, against: '@placemarkio/check-geojson', expected: 'valid', check: () => checkGeojsonErrors(fixtureText(f)) },
  ]),
  ...fixturesUnder('geojson/invalid/').map((f): SampleCase => ({ standard: GEOJSON, sample: f, against: 'GeoJSON.json (ajv)', expected: 'invalid', check: () => geojsonSchemaErrors(fixtureText(f)) })),
  ...fixturesUnder('geojson/geojsonhint-good/').flatMap((f): SampleCase[] => [
    { standard: GEOJSON, sample: f, against: 'GeoJSON.json (ajv)', expected: 'valid', check: () => geojsonSchemaErrors(fixtureText(f)) },
    { standard: GEOJSON, sample: f, against: '@placemarkio/check-geojson', expected: 'valid', check: () => checkGeojsonErrors(fixtureText(f)) },
  ]),
];

// ---- NEMSIS --------------------------------------------------------------------------------

const nemsis: SampleCase[] = fixturesUnder('nemsis/samples/').map((f) => xmlCase('NEMSIS 3.5.1', f, base(f).startsWith('DEM') ? XSD.nemsisDem : XSD.nemsisEms, 'valid'));

export const SAMPLES: readonly SampleCase[] = [...eido, ...cap, ...cap11, ...feeds, ...emsi, ...ansCases, ...geojson, ...nemsis];

export interface SampleResult {
  readonly sample: SampleCase;
  readonly result: Verdict;
  readonly problems: readonly string[];
}

/** Runs one sample: valid when its check finds nothing. */
export async function runSample(sample: SampleCase): Promise<SampleResult> {
  const problems = await sample.check();
  return { sample, result: problems.length === 0 ? 'valid' : 'invalid', problems };
}

const cell = (text: string): string => text.replace(/\|/g, '\\|');

/** The results as a Markdown table: standard, sample, what it was checked against, expected, result. */
export function formatTable(results: readonly SampleResult[]): string {
  const rows = results.map(({ sample: s, result }) =>
    `| ${cell(s.standard)} | \`${cell(s.sample)}\` | ${cell(s.against)} | ${s.expected}${s.note ? ` (${cell(s.note)})` : ''} | ${result === s.expected ? result : `**${result}** (unexpected)`} |`,
  );
  return ['| standard | sample (test/fixtures/standards/) | checked against | expected | result |', '|---|---|---|---|---|', ...rows].join('\n');
}
