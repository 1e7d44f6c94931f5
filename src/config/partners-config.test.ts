import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPartners, parsePartners } from './partners-config.ts';

const KEY = 'k'.repeat(32);
const partner = (more: Record<string, unknown> = {}) => ({
  id: 'oakland',
  name: 'Oakland Fire Dispatch',
  url: 'https://cad.oakland.example/api/partners/sf/incidents',
  format: 'eido',
  keyEnv: 'OAKLAND_KEY',
  ...more,
});
const parse = (partners: unknown[], env: Record<string, string> = { OAKLAND_KEY: KEY }) => () => parsePartners({ partners }, env, 'partners.json');

describe('partner centres (config/partners.json)', () => {
  it('reads a partner with its key from the environment variable the file names', () => {
    expect(parse([partner()])()).toEqual([{ id: 'oakland', name: 'Oakland Fire Dispatch', url: partner().url, format: 'eido', key: KEY }]);
  });

  it('stops start-up with the file, the partner and the field that is wrong', () => {
    expect(parse([partner({ format: 'cap' })])).toThrow('partners.json: oakland.format must be one of eido, emsi');
    expect(parse([partner({ url: 'ftp://x' })])).toThrow('oakland.url must be an http(s) URL');
    expect(parse([partner(), partner()])).toThrow('partners[1].id oakland is listed twice');
    expect(parse([partner({ id: 'Bad Id' })])).toThrow('partners[0].id must be');
    expect(parse([partner()], {})).toThrow('oakland: the environment variable OAKLAND_KEY (its signing key) is not set');
    expect(parse([partner()], { OAKLAND_KEY: 'short' })).toThrow('at least 32 characters');
    expect(parse([partner({ key: KEY })])).toThrow('a signing key never goes in the file');
    expect(() => parsePartners({}, {}, 'partners.json')).toThrow('must be an object with a "partners" list');
  });

  it('reads the file SAMARITAN_PARTNERS_FILE names; the shipped file has no partner; bad JSON is named', () => {
    const dir = mkdtempSync(join(tmpdir(), 'partners-'));
    const file = join(dir, 'p.json');
    writeFileSync(file, JSON.stringify({ partners: [partner()] }));
    expect(loadPartners({ SAMARITAN_PARTNERS_FILE: file, OAKLAND_KEY: KEY }).map((p) => p.id)).toEqual(['oakland']);
    expect(loadPartners({})).toEqual([]);
    writeFileSync(file, '{');
    expect(() => loadPartners({ SAMARITAN_PARTNERS_FILE: file })).toThrow(`${file}: is not valid JSON`);
  });
});
