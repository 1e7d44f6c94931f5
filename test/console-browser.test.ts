import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext, screenshot, seriousAxeViolations, signInContext } from './support/browser.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const PASSWORD = 'console test password 1';

describe('the console in a real browser', () => {
  let t: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    t = await startTestServer();
    await t.app.accounts.addUser('disp', 'dispatcher', PASSWORD, 'test');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('/ and /responder/ answer 200 without credentials and without a redirect', async () => {
    for (const path of ['/', '/responder/']) {
      const res = await fetch(t.base + path, { redirect: 'manual' });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
    }
  });

  it('a signed-in dispatcher sees the map, follows the stream, and a new incident shows its address', async () => {
    const { context, errors } = await newContext(browser);
    await signInContext(context, t.base, 'disp', PASSWORD);
    const page = await context.newPage();
    const sockets: string[] = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    await page.goto(t.base + '/');
    await page.waitForSelector('.leaflet-container canvas');
    await page.waitForSelector('[data-state="live"]');
    expect(sockets.some((u) => u.includes('/api/stream'))).toBe(true);
    const address = `Browser Test ${Date.now()}`;
    const created = await t.request('POST', '/api/incidents', { location: { lat: 37.7793, lon: -122.4193 }, nature: 'structure_fire', priority: 2, address });
    expect(created.status).toBe(201);
    await page.getByText(address).waitFor();
    await screenshot(page, 'console-live-incident');
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the responder app in a French browser is French, installable, with its service worker', async () => {
    const { context, errors } = await newContext(browser, { locale: 'fr-FR', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await page.goto(t.base + '/responder/');
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    expect(await page.locator('link[rel="manifest"]').count()).toBe(1);
    await page.waitForFunction('navigator.serviceWorker.getRegistration().then((r) => !!r)');
    await screenshot(page, 'responder-fr');
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
