import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext, signInContext } from './support/browser.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const PASSWORD = 'console map click password 1';

describe('the console map', () => {
  let t: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    t = await startTestServer();
    await t.app.accounts.addUser('mapdisp', 'dispatcher', PASSWORD, 'test');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('opens an incident when its marker is clicked, as the queue does', async () => {
    const { context, errors } = await newContext(browser);
    await signInContext(context, t.base, 'mapdisp', PASSWORD);
    const at = { lat: 37.7793, lon: -122.4193 };
    const created = await t.request('POST', '/api/incidents', { location: at, nature: 'structure_fire', address: '1 Dr Carlton B Goodlett Pl' });
    const page = await context.newPage();
    await page.goto(t.base + '/');
    await page.waitForSelector('[data-state="live"]');
    await page.locator(`li[data-incident="${created.body.id}"]`).waitFor();
    await page.locator('.incident-head').waitFor({ state: 'detached' });
    // Where Leaflet draws the marker, in the page's pixels.
    const point = (await page.evaluate(`(() => {
      const map = window.samaritan.map;
      const p = map.latLngToContainerPoint([${at.lat}, ${at.lon}]);
      const box = map.getContainer().getBoundingClientRect();
      return { x: box.left + p.x, y: box.top + p.y };
    })()`)) as { x: number; y: number };
    await page.mouse.click(point.x, point.y);
    await page.locator('.incident-head', { hasText: '1 Dr Carlton B Goodlett Pl' }).waitFor();
    expect(await page.locator(`li[data-incident="${created.body.id}"]`).getAttribute('aria-current')).toBe('true');
    expect(errors).toEqual([]);
    await context.close();
  });
});
