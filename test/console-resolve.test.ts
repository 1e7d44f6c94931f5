import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot, seriousAxeViolations } from './support/browser.ts';
import { useConsoleRig } from './support/console-rig.ts';

const PASSWORD = 'console resolve password 1';

describe('resolving an incident from the console', () => {
  const rig = useConsoleRig({ name: 'rdisp', password: PASSWORD });

  const open = async (page: Page) => {
    await page.goto(rig.t.base + '/');
    await page.waitForSelector('[data-state="live"]');
  };
  const status = async (id: string) => (await rig.t.request('GET', `/api/incidents/${id}`)).body.status as string;

  it('Q then Enter opens the incident on screen, and R resolves it after a confirmation that Esc cancels', async () => {
    const { context, page, errors } = await rig.signedInPage(undefined, { goto: false });
    const older = await rig.t.request('POST', '/api/incidents', { location: { lat: 37.7793, lon: -122.4193 }, nature: 'medical', priority: 2, address: 'Older 1 Polk St' });
    const newer = await rig.t.request('POST', '/api/incidents', { location: { lat: 37.7793, lon: -122.4193 }, nature: 'medical', priority: 2, address: 'Newer 2 Polk St' });
    await open(page);
    // The older incident is first in the queue; the dispatcher opens the newer one.
    await page.locator(`li[data-incident="${newer.body.id}"]`).click();
    await page.locator('.incident-head .addr', { hasText: 'Newer 2 Polk St' }).waitFor();
    await page.locator('section.detail').focus();
    // A call coming in redraws the queue while the dispatcher reads the incident.
    const third = await rig.t.request('POST', '/api/incidents', { location: { lat: 37.7793, lon: -122.4193 }, nature: 'medical', priority: 2, address: 'Third 3 Polk St' });
    await page.locator(`li[data-incident="${third.body.id}"]`).waitFor();
    await page.keyboard.press('q');
    expect(await page.evaluate('document.activeElement?.dataset?.incident')).toBe(newer.body.id);
    await page.keyboard.press('Enter');
    expect(await page.locator('li[aria-current="true"]').getAttribute('data-incident')).toBe(newer.body.id);

    await page.keyboard.press('r');
    const dialog = page.locator('dialog.confirm[open]');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('Newer 2 Polk St');
    await screenshot(page, 'console-resolve-confirm');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await status(newer.body.id)).toBe('received');

    await page.keyboard.press('r');
    await dialog.waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.incident-head .status-tag', { hasText: 'resolved' }).waitFor();
    expect(await status(newer.body.id)).toBe('resolved');
    expect(await status(older.body.id)).toBe('received');

    await page.keyboard.press('?');
    await page.locator('dialog.help[open] dt', { hasText: /^R$/ }).waitFor();
    expect(await page.locator('dialog.help[open]').textContent()).toContain('Resolve the selected incident');
    await page.keyboard.press('Escape');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a resolved incident offers no dispatch, says how many units are still committed, and C clears them (a unit that may not, says why)', async () => {
    const created = await rig.t.request('POST', '/api/incidents', { location: { lat: 37.7793, lon: -122.4193 }, nature: 'cardiac_arrest', priority: 1, address: 'Clear 4 Polk St' });
    const id = created.body.id as string;
    const rec = (await rig.t.request('GET', `/api/incidents/${id}/recommendation`)).body as { candidates: { unitId: string; unitType: string }[] };
    const unitIds = rec.candidates.map((c) => c.unitId);
    expect(unitIds.length).toBeGreaterThan(1);
    expect((await rig.t.request('POST', `/api/incidents/${id}/dispatch`, { unitIds })).status).toBe(200);
    // A medic carrying a patient cannot go straight back to available.
    const medic = rec.candidates.find((c) => c.unitType === 'medic')!;
    for (const s of ['en_route', 'on_scene', 'transporting']) expect((await rig.t.request('POST', `/api/units/${medic.unitId}/status`, { status: s })).status).toBeLessThan(300);
    expect((await rig.t.request('POST', `/api/incidents/${id}/resolve`, {})).status).toBeLessThan(300);

    const { context, page, errors } = await rig.signedInPage(undefined, { goto: false });
    await open(page);
    await page.keyboard.press('/');
    await page.locator('#search-text').fill('Clear 4 Polk');
    await page.keyboard.press('Enter');
    await page.locator(`li[data-incident="${id}"]`).click();
    const line = page.locator('.committed-line');
    await line.waitFor();
    expect(await line.textContent()).toContain(`${unitIds.length} units still committed`);
    expect(await page.locator('#dispatch-plan').isVisible()).toBe(false);
    expect(await page.locator('#more-units').isVisible()).toBe(false);
    await screenshot(page, 'console-resolved-committed');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.locator('section.detail').focus();
    await page.keyboard.press('d'); // nothing to send on a resolved incident
    await page.keyboard.press('c');
    await page.locator('.detail > .error', { hasText: 'IllegalTransition' }).waitFor();
    await line.filter({ hasText: '1 unit still committed' }).waitFor();
    for (const u of unitIds) {
      const unit = (await rig.t.request('GET', `/api/units/${u}`)).body as { status: string };
      expect(unit.status, u).toBe(u === medic.unitId ? 'transporting' : 'available');
    }
    await screenshot(page, 'console-cleared-units');
    expect(errors).toEqual([]);
    await context.close();
  });
});
