import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { checkEido } from './eido-schema.ts';
import { EidoValidation } from './eido-validation.ts';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../../test/fixtures/standards/nena-eido/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;

describe('EIDO validation on its own thread', () => {
  const validation = new EidoValidation();
  afterAll(async () => validation.close());

  it('answers as the schema does: the official sample valid, EidoWithJcard with the same errors, documents in flight together', async () => {
    const good = fixture('sample-call-transfer-eido.json');
    const bad = fixture('eidolib-EidoWithJcard.json');
    const [a, b, c] = await Promise.all([validation.check(good), validation.check(bad), validation.check({ eidoVersion: '1.0' })]);
    expect(a).toBeUndefined();
    expect(b).toEqual(checkEido(bad));
    expect(b?.length).toBeGreaterThan(10);
    expect(c).toEqual(expect.arrayContaining([{ path: '/agencyComponent', message: 'is required' }]));
  }, 120_000);

  it('starts again after it was closed', async () => {
    await validation.close();
    expect(await validation.check(fixture('eidolib-SampleCallTransferEido.json'))).toBeUndefined();
  }, 120_000);
});
