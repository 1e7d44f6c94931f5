import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newContext, screenshot, seriousAxeViolations } from './support/browser.ts';
import { useConsoleRig } from './support/console-rig.ts';

const PASSWORD = 'console dispatch password 1';

/** Signs in through the page's own form, with the keyboard. */
async function signInByForm(page: Page, name: string, password: string): Promise<void> {
  await page.locator('#sign-in-name').waitFor();
  await page.keyboard.type(name);
  await page.keyboard.press('Tab');
  await page.keyboard.type(password);
  await page.keyboard.press('Enter');
}

describe('a dispatcher at the keyboard', () => {
  const rig = useConsoleRig({ name: 'kdisp', password: PASSWORD });

  it('signs in, creates an incident from a typed intersection, sees the recommendation, dispatches with D and watches the unit board change', async () => {
    const { context, errors } = await newContext(rig.browser);
    const page = await context.newPage();
    await page.goto(rig.t.base + '/');
    await page.locator('#sign-in-name').waitFor();
    await screenshot(page, 'console-sign-in');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await signInByForm(page, rig.name, rig.password);
    await page.waitForSelector('.leaflet-container canvas');
    await page.waitForSelector('[data-state="live"]');

    // N opens the form with the focus in the address field.
    await page.keyboard.press('n');
    expect(await page.evaluate('document.activeElement?.id')).toBe('new-address');
    await page.keyboard.type('Market St & 5th St');
    const firstSuggestion = page.locator('#new-address + [role="listbox"] [role="option"]').first();
    await firstSuggestion.waitFor();
    expect(await firstSuggestion.textContent()).toMatch(/market/i);
    await screenshot(page, 'console-create-suggestions');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.locator('.pin-line', { hasText: /37\.78/ }).waitFor();
    expect(await page.evaluate('document.activeElement?.id')).toBe('new-nature');
    await page.keyboard.type('cardiac');
    await page.locator('#new-nature + [role="listbox"] [role="option"]').first().waitFor();
    await page.keyboard.press('Enter');
    expect(await page.evaluate('document.activeElement?.id')).toBe('new-priority');
    await page.keyboard.press('Tab');
    await page.keyboard.press('p'); // Public place
    await page.keyboard.press('Tab');
    await page.keyboard.type('3rd floor');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Door code 1234');
    await screenshot(page, 'console-create-form');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.keyboard.press('Control+Enter');

    // The new incident is selected, with its recommendation.
    const arrival = page.locator('.arrival[data-kind="unit"]');
    await arrival.first().waitFor();
    const { body: list } = await rig.t.request('GET', '/api/incidents?status=open');
    const created = list.incidents.find((i: { address?: string }) => i.address === 'Market St & 5th St') ?? list.incidents[0];
    expect(created).toMatchObject({ nature: 'cardiac_arrest', place: 'public', floor: '3rd floor', access: 'Door code 1234' });
    expect(created.location.lat).toBeCloseTo(37.78, 1);
    const rec = (await rig.t.request('GET', `/api/incidents/${created.id}/recommendation`)).body;
    const names: string[] = rec.candidates.map((c: { name: string }) => c.name);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) await page.locator('.arrival .who strong', { hasText: name }).first().waitFor();
    await screenshot(page, 'console-recommendation');

    // One key sends the plan; the board shows the units committed.
    expect(await page.evaluate('document.activeElement?.tagName')).not.toBe('INPUT');
    await page.keyboard.press('d');
    for (const c of rec.candidates as { unitId: string }[]) {
      await page.locator(`.unit-list li[data-unit="${c.unitId}"][data-status="dispatched"]`).waitFor();
    }
    await page.locator('.timeline li[data-type="UnitsDispatched"]', { hasText: 'kdisp' }).waitFor();
    await screenshot(page, 'console-dispatched');
    expect(await seriousAxeViolations(page)).toEqual([]);

    // A status the unit's type does not take is refused, and the board says why.
    const engine = (rec.candidates as { unitId: string; unitType: string }[]).find((c) => c.unitType === 'engine');
    if (engine) {
      await page.keyboard.press('u');
      await page.locator('#unit-filter').fill(engine.unitId);
      await page.locator(`.unit-list li[data-unit="${engine.unitId}"]`).focus();
      await page.keyboard.press('t');
      await page.locator('.units .error', { hasText: 'StatusNotAllowedForUnitType' }).waitFor();
      await page.keyboard.press('e');
      await page.locator(`.unit-list li[data-unit="${engine.unitId}"][data-status="en_route"]`).waitFor();
    }
    await page.keyboard.press('?');
    await page.locator('dialog.help[open]').waitFor();
    await screenshot(page, 'console-help');
    await page.keyboard.press('Escape');
    expect(errors).toEqual([]);
    await context.close();
  });
});
