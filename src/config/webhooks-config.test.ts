import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWebhooks, parseWebhooks } from './webhooks-config.ts';

const KEY = 'k'.repeat(32);
const hook = (more: Record<string, unknown> = {}) => ({ id: 'county-gis', url: 'https://gis.county.example/samaritan', keyEnv: 'GIS_KEY', ...more });
const parse = (webhooks: unknown[], env: Record<string, string> = { GIS_KEY: KEY }) => () => parseWebhooks({ webhooks }, env, 'webhooks.json');

describe('webhook subscribers (config/webhooks.json)', () => {
  it('takes every event and no EIDO unless the entry says otherwise; the key comes from the environment variable the file names', () => {
    expect(parse([hook()])()).toEqual([{ id: 'county-gis', url: hook().url, events: 'all', eido: false, key: KEY }]);
    expect(parse([hook({ events: ['IncidentReceived', 'IncidentReceived', 'UnitsDispatched'], eido: true })])()[0]).toMatchObject({
      events: ['IncidentReceived', 'UnitsDispatched'],
      eido: true,
    });
    expect(parse([hook({ events: [], eido: true })])()[0]!.events).toEqual([]);
  });

  it('stops start-up with the file, the subscriber and the field that is wrong', () => {
    expect(parse([hook({ events: ['IncidentRecieved'] })])).toThrow('webhooks.json: county-gis.events: IncidentRecieved is not an event type');
    expect(parse([hook({ events: 'some' })])).toThrow('county-gis.events must be "all" or a list of event types');
    expect(parse([hook({ eido: 'yes' })])).toThrow('county-gis.eido must be true or false');
    expect(parse([hook({ url: 'ftp://x' })])).toThrow('county-gis.url must be an http(s) URL');
    expect(parse([hook(), hook()])).toThrow('webhooks[1].id county-gis is listed twice');
    expect(parse([hook({ id: 'Bad Id' })])).toThrow('webhooks[0].id must be');
    expect(parse([hook()], {})).toThrow('county-gis: the environment variable GIS_KEY (its signing key) is not set');
    expect(parse([hook()], { GIS_KEY: 'short' })).toThrow('at least 32 characters');
    expect(parse([hook({ key: KEY })])).toThrow('a signing key never goes in the file');
    expect(() => parseWebhooks({}, {}, 'webhooks.json')).toThrow('must be an object with a "webhooks" list');
  });

  it('reads the file SAMARITAN_WEBHOOKS_FILE names; the shipped file has no subscriber; bad JSON is named', () => {
    const dir = mkdtempSync(join(tmpdir(), 'webhooks-'));
    const file = join(dir, 'w.json');
    writeFileSync(file, JSON.stringify({ webhooks: [hook()] }));
    expect(loadWebhooks({ SAMARITAN_WEBHOOKS_FILE: file, GIS_KEY: KEY }).map((w) => w.id)).toEqual(['county-gis']);
    expect(loadWebhooks({})).toEqual([]);
    writeFileSync(file, '{');
    expect(() => loadWebhooks({ SAMARITAN_WEBHOOKS_FILE: file })).toThrow(`${file}: is not valid JSON`);
  });
});
