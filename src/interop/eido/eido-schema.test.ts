import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkEido, eidoValidator } from './eido-schema.ts';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../../test/fixtures/standards/nena-eido/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;

const sample = () => fixture('sample-call-transfer-eido.json');

describe('the EIDO 1.0 schema as the product loads it (schemas/nena-eido)', () => {
  // About 1,700 definitions: compiling them takes seconds on a busy machine.
  beforeAll(() => void eidoValidator(), 120_000);

  it('accepts the official NENA sample "Sample call transfer EIDO"', () => {
    expect(checkEido(sample())).toBeUndefined();
  });

  it('accepts EidoLib\'s SampleCallTransferEido', () => {
    expect(checkEido(fixture('eidolib-SampleCallTransferEido.json'))).toBeUndefined();
  });

  it('refuses EidoLib\'s EidoWithJcard, naming each component whose lastUpdateTimeStamp is missing', () => {
    const errors = checkEido(fixture('eidolib-EidoWithJcard.json'));
    const paths = errors?.filter((e) => e.message === 'is required').map((e) => e.path);
    expect(paths).toContain('/lastUpdateTimeStamp');
    expect(paths).toContain('/callComponent/0/lastUpdateTimeStamp');
    expect(paths).toContain('/agencyComponent/0/lastUpdateTimeStamp');
    expect(paths).toContain('/locationComponent/1/lastUpdateTimeStamp');
  });

  it('lists every error at once, each with its JSON pointer, and each once', () => {
    const doc = sample();
    doc['eidoVersion'] = '2.0';
    delete doc['agencyComponent'];
    doc['lastUpdateTimeStamp'] = 'yesterday afternoon';
    (doc['callComponent'] as Record<string, unknown>[])[0]!['direction'] = 'sideways';
    const errors = checkEido(doc) ?? [];
    expect(errors).toEqual(
      expect.arrayContaining([
        { path: '/eidoVersion', message: 'must be one of "1.0"' },
        { path: '/agencyComponent', message: 'is required' },
        { path: '/lastUpdateTimeStamp', message: 'must match format "date-time"' },
        { path: '/callComponent/0/direction', message: 'must be one of "incoming", "outgoing", "internal"' },
      ]),
    );
    expect(new Set(errors.map((e) => `${e.path} ${e.message}`)).size).toBe(errors.length);
  });

  it('checks the NIEM parts too: a person name that is not a NIEM name is refused where it is', () => {
    const doc = sample();
    (doc['personComponent'] as Record<string, unknown>[])[0]!['ncPersonComponent'] = { name: [{ personFullName: 'Jane Doe' }] };
    expect(checkEido(doc)).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: '/personComponent/0/ncPersonComponent/name/0/personFullName' })]),
    );
  });

  it('a document that is not an object at all is refused at its root', () => {
    expect(checkEido([1, 2])).toEqual(expect.arrayContaining([expect.objectContaining({ path: '/' })]));
  });
});
