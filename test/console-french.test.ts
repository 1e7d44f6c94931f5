import { describe, expect, it } from 'vitest';
import { newContext, screenshot, seriousAxeViolations, signInContext } from './support/browser.ts';
import { useConsoleRig } from './support/console-rig.ts';

const PASSWORD = 'console french password 1';

describe('the console in French', () => {
  const rig = useConsoleRig({ name: 'fdisp', password: PASSWORD, demoVolunteers: true });

  it('follows a French browser, labels every panel in French, and switches to English on request', async () => {
    const { context, errors } = await newContext(rig.browser, { locale: 'fr-FR' });
    const page = await context.newPage();
    await page.goto(rig.t.base + '/');
    await page.getByRole('button', { name: 'Se connecter' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    await signInContext(context, rig.t.base, rig.name, rig.password);
    const created = await rig.t.request('POST', '/api/incidents', { location: { lat: 37.7793, lon: -122.4193 }, nature: 'cardiac_arrest', place: 'public', address: '1 Dr Carlton B Goodlett Pl' });
    await page.goto(rig.t.base + '/');
    await page.waitForSelector('[data-state="live"]');
    await page.getByRole('heading', { name: 'Interventions' }).waitFor();
    await page.getByRole('heading', { name: 'Engins' }).waitFor();
    await page.getByText('En direct').waitFor();
    await page.locator(`li[data-incident="${created.body.id}"]`, { hasText: 'Arrêt cardiaque' }).click();
    await page.getByRole('heading', { name: 'Proposition d’engagement' }).waitFor();
    await page.getByRole('heading', { name: 'Main courante' }).waitFor();
    await page.locator('.timeline li', { hasText: 'Reçue' }).first().waitFor();
    await page.locator('.arrival[data-kind="unit"]').first().waitFor();
    // The reasons are composed in French from the answer's fields, not the server's English sentence.
    expect(await page.locator('.arrival[data-kind="unit"] .why').first().textContent()).toContain('le plus rapide disponible');
    expect(await page.locator('.recommendation').textContent()).not.toContain('fastest available');
    // Volunteers alerted near the scene share the timeline of arrivals, and their response is live.
    await page.locator('.arrival[data-kind="volunteer"]').first().waitFor();
    await page.locator('.volunteers tr[data-status="open"]', { hasText: 'alerté' }).first().waitFor();
    await screenshot(page, 'console-fr');
    expect(await seriousAxeViolations(page)).toEqual([]);
    // French typography (a non-breaking space before a colon), unit types and product parts in French.
    expect(await page.locator('.incident-head .notes').textContent()).toContain('Lieu\u00a0: Lieu public');
    await page.locator('.timeline li', { hasText: 'Reçue\u00a0: P1' }).first().waitFor();
    await page.locator('.timeline li .by', { hasText: 'par moteur de réponse' }).first().waitFor();
    expect(await page.locator('.timeline').textContent()).not.toContain('response-engine');
    await page.locator('.unit-list .unit-type', { hasText: 'VSAV' }).first().waitFor();
    await page.locator('.unit-list .unit-type', { hasText: 'FPT' }).first().waitFor();
    expect(await page.locator('.unit-list .unit-type', { hasText: /^(engine|medic|truck)$/ }).count()).toBe(0);
    // The recommendation's title is one line, whatever its buttons do.
    const title = (await page.locator('#rec-title').boundingBox())!;
    const addr = (await page.locator('.incident-head .addr').boundingBox())!;
    expect(title.height).toBeLessThan(addr.height * 1.5);
    await page.keyboard.press('?');
    const help = page.locator('dialog.help[open]');
    await help.waitFor();
    for (const key of ['↑ ↓ Entrée', 'Ctrl+Entrée', 'Échap']) await help.locator('kbd', { hasText: key }).first().waitFor();
    expect(await help.textContent()).not.toMatch(/Enter|Esc\b/);
    await screenshot(page, 'console-help-fr');
    await page.keyboard.press('Escape');

    await page.keyboard.press('n');
    await page.getByLabel('Adresse', { exact: true }).waitFor();
    await page.keyboard.type('Market St & 5th');
    await page.locator('#new-address + [role="listbox"] [role="option"]').first().waitFor();
    await page.keyboard.press('Enter');
    await page.keyboard.type('arrêt');
    await page.locator('#new-nature + [role="listbox"] [role="option"]', { hasText: 'Arrêt cardiaque' }).waitFor();
    expect(await page.getByRole('button', { name: /Créer l’intervention/ }).count()).toBe(1);
    await screenshot(page, 'console-create-fr');
    await page.keyboard.press('Escape'); // closes the suggestions
    await page.keyboard.press('Escape'); // closes the form
    await page.getByText('Choisissez une intervention', { exact: false }).waitFor({ state: 'detached' }).catch(() => undefined);

    await page.locator('#lang').selectOption('en');
    await page.waitForSelector('[data-state="live"]');
    await page.getByRole('heading', { name: 'Incidents' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(errors).toEqual([]);
    await context.close();
  });
});
