import { describe, expect, it } from 'vitest';
import { screenshot } from './support/browser.ts';
import { useConsoleRig } from './support/console-rig.ts';

const PASSWORD = 'console duplicates password 1';

describe('duplicates and greater alarms in the console', () => {
  const rig = useConsoleRig({ name: 'ddisp', password: PASSWORD });

  it('offers the incident already logged nearby, merges the new call into it, and asks for the next alarm', async () => {
    const { context, page, errors } = await rig.signedInPage();
    await page.waitForSelector('[data-state="live"]');
    const geo = (await rig.t.request('GET', `/api/geocode?q=${encodeURIComponent('Market St & 5th St')}&limit=1`)).body.suggestions[0];
    const first = await rig.t.request('POST', '/api/incidents', { location: geo.location, nature: 'structure_fire', address: 'Market and 5th, smoke' });
    expect(first.status).toBe(201);

    await page.keyboard.press('n');
    await page.keyboard.type('Market St & 5th St');
    await page.locator('#new-address + [role="listbox"] [role="option"]').first().waitFor();
    await page.keyboard.press('Enter');
    const offer = page.locator(`button[data-duplicate-of="${first.body.id}"]`);
    await offer.waitFor();
    await page.keyboard.type('structure');
    await page.keyboard.press('Enter');
    await screenshot(page, 'console-duplicates');
    await offer.click();
    await page.locator('#detail-title', { hasText: 'Structure fire' }).waitFor();
    await page.locator('.timeline li[data-type="DuplicateMerged"]').waitFor();
    const open = (await rig.t.request('GET', '/api/incidents?status=open')).body.incidents as { id: string }[];
    expect(open.map((i) => i.id)).toEqual([first.body.id]);

    // M, then Enter on "next alarm": the recommendation grows to the second alarm.
    const before = await page.locator('.arrival[data-kind="unit"]').count();
    await page.locator('#detail-title').click();
    await page.keyboard.press('m');
    expect(await page.evaluate('document.activeElement?.id')).toBe('more-capability');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.locator('.recommendation h4', { hasText: 'Alarm 2' }).waitFor();
    expect(await page.locator('.arrival[data-kind="unit"]').count()).toBeGreaterThan(before);
    await screenshot(page, 'console-second-alarm');
    expect(errors).toEqual([]);
    await context.close();
  });
});
