import { describe, expect, it } from 'vitest';
import { screenshot, seriousAxeViolations } from './support/browser.ts';
import { useConsoleRig } from './support/console-rig.ts';

const PASSWORD = 'console search password 1';

describe('searching past incidents in the console', () => {
  const fires: string[] = [];
  const rig = useConsoleRig({
    name: 'sdisp',
    password: PASSWORD,
    extra: async (t) => {
      for (let n = 0; n < 25; n++) {
        const res = await t.request('POST', '/api/incidents', { location: { lat: 37.77 + n / 2000, lon: -122.42 }, nature: 'medical', address: `${100 + n} Alpha Street` });
        expect(res.status).toBe(201);
      }
      for (let n = 0; n < 3; n++) {
        const res = await t.request('POST', '/api/incidents', { location: { lat: 37.76, lon: -122.41 + n / 2000 }, nature: 'vehicle_fire', address: `${n} Beta Lane` });
        fires.push(res.body.id);
      }
      for (const id of fires.slice(0, 2)) expect((await t.request('POST', `/api/incidents/${id}/resolve`, {})).status).toBe(200);
    },
  });

  it('finds by text a page at a time, then by nature and status, and opens a result with the keyboard', async () => {
    const { context, page, errors } = await rig.signedInPage();
    await page.waitForSelector('[data-state="live"]');
    await page.keyboard.press('/');
    expect(await page.evaluate('document.activeElement?.id')).toBe('search-text');
    await page.keyboard.type('alpha');
    await page.keyboard.press('Enter');
    const results = page.locator('.search-pane li[data-incident]');
    await results.nth(19).waitFor();
    expect(await results.count()).toBe(20);
    await page.getByRole('button', { name: /^More$/ }).click();
    await results.nth(24).waitFor();
    expect(await results.count()).toBe(25);
    await screenshot(page, 'console-search');
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.locator('#search-text').fill('');
    await page.locator('#search-nature').selectOption('vehicle_fire');
    await page.locator('#search-status').selectOption('resolved');
    await page.locator('#search-status').press('Enter');
    await expect.poll(() => results.count(), { timeout: 10_000 }).toBe(2);
    const found = await Promise.all((await results.all()).map((r) => r.getAttribute('data-incident')));
    expect(found.sort()).toEqual(fires.slice(0, 2).sort());

    await results.first().focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.locator('#detail-title', { hasText: 'Vehicle fire' }).waitFor();
    await page.locator('.timeline li[data-type="IncidentStatusChanged"]').waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });
});
