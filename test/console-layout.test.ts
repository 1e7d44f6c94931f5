import { describe, expect, it } from 'vitest';
import { screenshot } from './support/browser.ts';
import { useConsoleRig } from './support/console-rig.ts';

const PASSWORD = 'console layout password 1';

describe('the console layout on a desk screen', () => {
  const rig = useConsoleRig({ name: 'ldisp', password: PASSWORD, demoVolunteers: true });

  it('keeps the incident title in sight after D, fits the volunteers table, and outlines the focused unit', async () => {
    const { context, page, errors } = await rig.signedInPage({ viewport: { width: 1366, height: 700 } }, { goto: false });
    const created = await rig.t.request('POST', '/api/incidents', { location: { lat: 37.7793, lon: -122.4193 }, nature: 'cardiac_arrest', priority: 1, place: 'public', address: '1 Dr Carlton B Goodlett Pl' });
    await page.goto(rig.t.base + '/');
    await page.waitForSelector('[data-state="live"]');
    await page.locator(`li[data-incident="${created.body.id}"]`).click();
    await page.locator('.volunteers tr[data-status]').first().waitFor();
    await page.locator('section.detail').focus();
    await page.keyboard.press('d');
    await page.locator('.timeline li[data-type="UnitsDispatched"]').waitFor();
    // Whatever the panel shows, its title and address are within the visible part of the panel.
    await page.locator('.right').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    const pane = (await page.locator('.right').boundingBox())!;
    for (const sel of ['#detail-title', '.incident-head .addr']) {
      const box = (await page.locator(sel).boundingBox())!;
      expect(box.y, sel).toBeGreaterThanOrEqual(pane.y - 1);
      expect(box.y + box.height, sel).toBeLessThanOrEqual(pane.y + pane.height);
    }
    await screenshot(page, 'console-dispatched-scrolled');
    // The last column of the volunteers table is inside the panel.
    const table = (await page.locator('.volunteers table').boundingBox())!;
    const last = (await page.locator('.volunteers th').last().boundingBox())!;
    expect(last.x + last.width).toBeLessThanOrEqual(table.x + table.width + 1);
    expect(table.x + table.width).toBeLessThanOrEqual(pane.x + pane.width);

    await page.keyboard.press('u');
    const focused = page.locator('.unit-list li:focus');
    await focused.waitFor();
    const outline = await page.evaluate('(() => { const s = getComputedStyle(document.activeElement); return `${s.outlineStyle} ${s.outlineWidth} ${s.outlineOffset}`; })()');
    expect(outline).toBe('solid 3px -3px');
    await screenshot(page, 'console-unit-focus');
    expect(errors).toEqual([]);
    await context.close();
  });
});
