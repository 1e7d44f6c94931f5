import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { LatLon } from '../../src/core/lat-lon.ts';
import { newContext } from './browser.ts';
import type { TestServer } from './server.ts';

/** A phone in a browser context: a small touch screen, a language, and a position it gives to the page. */
export async function phoneContext(browser: Browser, o: { locale?: string; at?: LatLon } = {}): Promise<{ context: BrowserContext; errors: string[] }> {
  return newContext(browser, {
    locale: o.locale ?? 'en-US',
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    ...(o.at ? { geolocation: { latitude: o.at.lat, longitude: o.at.lon }, permissions: ['geolocation'] } : {}),
  });
}

/** Signs a volunteer up through the app's own form, as a new user would; they tick the location consent unless told not to. */
export async function signUpInApp(page: Page, base: string, who: { name: string; phone: string; consent?: boolean }): Promise<void> {
  await page.goto(`${base}/responder/`);
  await page.locator('input[name="name"]').fill(who.name);
  await page.locator('input[name="phone"]').fill(who.phone);
  if (who.consent ?? true) await page.locator('input[name="consent"]').check();
  await page.locator('form button[type="submit"]').click();
  await page.locator('.screen.home').waitFor();
}

/** The device token the app keeps for this phone, and the volunteer it stands for. */
export async function volunteerOfPage(t: TestServer, page: Page): Promise<{ id: string; token: string }> {
  const token = (await page.evaluate('localStorage.getItem("samaritan.responder.token")')) as string;
  const res = await t.request('GET', '/api/volunteers/me', undefined, { authorization: `Bearer ${token}` });
  if (res.status !== 200) throw new Error(`GET /api/volunteers/me: ${res.status} ${res.text}`);
  return { id: res.body.id as string, token };
}

/** Declares a qualification through the app's form; the expiry stays the form's default (a year on). */
export async function declareInApp(page: Page, kind: string): Promise<void> {
  // The form is folded away once the volunteer has a qualification.
  if ((await page.locator('details.declare-more').getAttribute('open')) === null) await page.locator('details.declare-more summary').click();
  await page.locator('select[name="kind"]').selectOption(kind);
  await page.locator('form.declare button[type="submit"]').click();
  await page.locator(`.quals li[data-kind="${kind}"]`).waitFor();
}

/** Goes on duty with the switch and waits until the phone's position reached the server. */
export async function goOnDuty(page: Page): Promise<void> {
  await page.locator('button[role="switch"]').click();
  await page.locator('button[role="switch"][aria-checked="true"]').waitFor();
  await page.locator('[data-position="sent"]').waitFor();
}

/**
 * How much of the page's Leaflet canvas is painted in a colour (r, g, b within 40): the route line
 * is drawn on the canvas, not as elements, so this is how a test sees it.
 */
export async function canvasPixels(page: Page, rgb: readonly [number, number, number]): Promise<number> {
  return (await page.evaluate(`(() => {
    const [r, g, b] = ${JSON.stringify(rgb)};
    let n = 0;
    for (const c of document.querySelectorAll('.route-map canvas')) {
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 200 && Math.abs(d[i] - r) < 40 && Math.abs(d[i + 1] - g) < 40 && Math.abs(d[i + 2] - b) < 40) n++;
    }
    return n;
  })()`)) as number;
}
