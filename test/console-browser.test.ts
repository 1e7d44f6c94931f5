import { describe, expect, it } from 'vitest';
import { newContext, screenshot, seriousAxeViolations } from './support/browser.ts';
import { useConsoleRig } from './support/console-rig.ts';

const PASSWORD = 'console test password 1';

describe('the console in a real browser', () => {
  const rig = useConsoleRig({ name: 'disp', password: PASSWORD });

  it('/ and /responder/ answer 200 without credentials and without a redirect', async () => {
    for (const path of ['/', '/responder/']) {
      const res = await fetch(rig.t.base + path, { redirect: 'manual' });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
    }
  });

  it('a signed-in dispatcher sees the map, follows the stream, and a new incident shows its address', async () => {
    const { context, page, errors } = await rig.signedInPage(undefined, { goto: false });
    const sockets: string[] = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    await page.goto(rig.t.base + '/');
    await page.waitForSelector('.leaflet-container canvas');
    await page.waitForSelector('[data-state="live"]');
    expect(sockets.some((u) => u.includes('/api/stream'))).toBe(true);
    const address = `Browser Test ${Date.now()}`;
    const created = await rig.t.request('POST', '/api/incidents', { location: { lat: 37.7793, lon: -122.4193 }, nature: 'structure_fire', priority: 2, address });
    expect(created.status).toBe(201);
    await page.getByText(address).waitFor();
    await screenshot(page, 'console-live-incident');
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the responder app in a French browser is French, installable, with its service worker', async () => {
    const { context, errors } = await newContext(rig.browser, { locale: 'fr-FR', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await page.goto(rig.t.base + '/responder/');
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    expect(await page.locator('link[rel="manifest"]').count()).toBe(1);
    await page.waitForFunction('navigator.serviceWorker.getRegistration().then((r) => !!r)');
    await screenshot(page, 'responder-fr');
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
