import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newContext, screenshot, seriousAxeViolations, signInContext } from './support/browser.ts';
import { useConsoleRig } from './support/console-rig.ts';

const PASSWORD = 'console warning password 1';
const SUPERVISOR = 'pwsuper';

/** A supervisor warns the public about an incident from the console, by keyboard, and withdraws it. */
describe('public warnings in the console', () => {
  const rig = useConsoleRig({
    name: 'pwdisp',
    password: PASSWORD,
    extra: async (t) => {
      await t.app.accounts.addUser(SUPERVISOR, 'supervisor', PASSWORD, 'test');
    },
  });
  const feed = async () => (await rig.t.request('GET', '/api/cap/feed', undefined, { authorization: '' })).text;
  const openIncident = async (page: Page, id: string) => {
    await page.goto(rig.t.base + '/');
    await page.waitForSelector('[data-state="live"]');
    await page.locator(`li[data-incident="${id}"]`).click();
    await page.locator('.public-warning h3').waitFor();
    await page.locator('section.detail').focus();
  };

  it('W opens the form, Ctrl+Enter publishes the warning to the feed; the withdraw step asks first, and the warning leaves the feed', async () => {
    const id = (await rig.t.request('POST', '/api/incidents', { location: { lat: 37.7793, lon: -122.4193 }, nature: 'gas_leak', address: '200 Larkin St', access: 'code 8080' })).body.id as string;
    const { context, errors } = await newContext(rig.browser);
    await signInContext(context, rig.t.base, SUPERVISOR, PASSWORD);
    const page = await context.newPage();
    await openIncident(page, id);
    await page.locator('#pw-issue').waitFor();
    expect(await page.locator('.public-warning').textContent()).toContain('The public has not been warned.');

    await page.keyboard.press('w');
    const dialog = page.locator('dialog.confirm[open]');
    await dialog.waitFor();
    expect(await page.evaluate('document.activeElement?.name')).toBe('headline');
    await page.keyboard.type('Gas leak on Larkin Street');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Stay away from Larkin St between Grove and McAllister.');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.value')).toBe('200 Larkin St');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('Civic Center, Larkin Street');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('400');
    await screenshot(page, 'console-public-warning-form');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.keyboard.press('Control+Enter');
    await dialog.waitFor({ state: 'detached' });
    await page.locator('.pw-state.in-force', { hasText: 'Gas leak on Larkin Street' }).waitFor();
    expect(await page.locator('.pw-state').textContent()).toContain('within 400 m');
    const published = await feed();
    expect(published).toContain('<headline>Gas leak on Larkin Street</headline>');
    expect(published).not.toContain('code 8080');
    await screenshot(page, 'console-public-warning-in-force');
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.locator('#pw-withdraw').focus();
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('Withdraw this public warning?');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await feed()).toContain('Gas leak on Larkin Street');
    await page.locator('#pw-withdraw').focus();
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.pw-state', { hasText: 'Withdrawn' }).waitFor();
    expect(await feed()).not.toContain('Gas leak on Larkin Street');

    await page.keyboard.press('?');
    await page.locator('dialog.help[open] dt', { hasText: /^W$/ }).waitFor();
    await page.keyboard.press('Escape');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('in French, the panel and its form speak French; a bad radius is refused with the reason, not sent', async () => {
    const id = (await rig.t.request('POST', '/api/incidents', { location: { lat: 37.7793, lon: -122.4193 }, nature: 'structure_fire', address: '1 Polk St' })).body.id as string;
    const { context, errors } = await newContext(rig.browser, { locale: 'fr-FR' });
    await signInContext(context, rig.t.base, SUPERVISOR, PASSWORD);
    const page = await context.newPage();
    await openIncident(page, id);
    await page.locator('#pw-issue', { hasText: 'Alerter la population' }).waitFor();
    await page.keyboard.press('w');
    const dialog = page.locator('dialog.confirm[open]');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('Consignes à la population');
    await page.keyboard.type('Incendie rue Polk');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Fermez vos fenêtres.');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('10');
    await page.keyboard.press('Control+Enter');
    // The browser's own check refuses it: nothing is published.
    expect(await page.evaluate('document.activeElement?.name')).toBe('radiusM');
    await screenshot(page, 'console-public-warning-fr');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect((await rig.t.request('GET', `/api/incidents/${id}`)).body.publicWarning).toBeUndefined();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a dispatcher sees whether the public was warned, but has no W and no form', async () => {
    const id = (await rig.t.request('POST', '/api/incidents', { location: { lat: 37.7793, lon: -122.4193 }, nature: 'hazmat', address: '3 Polk St' })).body.id as string;
    const supervisor = { authorization: `Bearer ${await rig.t.token('supervisor')}` };
    const warned = await rig.t.request('POST', `/api/incidents/${id}/public-warning`, { headline: 'Chemical spill', instruction: 'Stay indoors.', areaDesc: 'Polk St', radiusM: 300 }, supervisor);
    expect(warned.status).toBe(200);
    const { context, page, errors } = await rig.signedInPage();
    await page.waitForSelector('[data-state="live"]');
    await openIncident(page, id);
    await page.locator('.pw-state.in-force', { hasText: 'Chemical spill' }).waitFor();
    expect(await page.locator('#pw-issue').count()).toBe(0);
    await page.keyboard.press('w');
    expect(await page.locator('dialog[open]').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});
