import { describe, expect, it } from 'vitest';
import { screenshot, seriousAxeViolations } from './support/browser.ts';
import { useConsoleRig } from './support/console-rig.ts';
import { partnerCentres } from './support/partner-centres.ts';

const PASSWORD = 'console handover action password 1';

const received = await partnerCentres();

describe('the dispatcher hands an incident over from the console', () => {
  const rig = useConsoleRig({ name: 'handoveraction', password: PASSWORD });

  it('from the keyboard: H on the incident on screen, the partner, a reason, Ctrl+Enter; the hand-over is sent and shows acknowledged', async () => {
    const id = (await rig.t.request('POST', '/api/incidents', { location: { lat: 37.7793, lon: -122.4193 }, nature: 'structure_fire', address: '200 Larkin St' })).body.id as string;
    const { page, errors } = await rig.signedInPage();
    await page.waitForSelector('[data-state="live"]');
    // The queue (Q), the incident (Enter), then the panel's action (H): no pointer anywhere.
    await page.keyboard.press('q');
    await page.locator(`li[data-incident="${id}"]`).focus();
    await page.keyboard.press('Enter');
    const button = page.locator('#incident-handover');
    await button.waitFor();
    expect(await button.textContent()).toBe('Hand overH');
    await page.keyboard.press('h');
    const dialog = page.getByRole('dialog', { name: 'Hand the incident over to a partner centre' });
    await dialog.waitFor();
    await dialog.getByText('Incident: P1 Structure fire, 200 Larkin St').waitFor();
    const partner = dialog.getByLabel('Partner centre');
    // A string, not a function: it runs in the page, where the test's Node types do not apply.
    expect(await page.evaluate('document.activeElement?.getAttribute("name")')).toBe('partnerId');
    expect(await partner.locator('option').allTextContents()).toEqual(['Oakland Fire Dispatch (EIDO)', 'Marin County (EMSI)']);
    expect(await partner.inputValue()).toBe('oakland');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Their engine 21 is closer');
    expect(await dialog.getByLabel('Reason').inputValue()).toBe('Their engine 21 is closer');
    await screenshot(page, 'console-handover-action');
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.keyboard.press('Control+Enter');
    await dialog.waitFor({ state: 'detached' });
    await page.locator('.handover-line', { hasText: /Handed over to oakland: acknowledged \(their incident OAK-42\)/ }).waitFor();
    const sent = received.find((r) => r.url === '/oakland');
    expect(sent?.contentType).toBe('application/json');
    expect(JSON.parse(sent!.body)).toMatchObject({ eidoVersion: expect.any(String) });
    const handovers = (await rig.t.request('GET', `/api/incidents/${id}`)).body.handovers;
    expect(handovers).toEqual([expect.objectContaining({ partnerId: 'oakland', reason: 'Their engine 21 is closer', status: 'acknowledged' })]);
    expect(errors).toEqual([]);
  });

  it('Esc leaves without handing over; a reason of blanks is asked for again; the dialog speaks French', async () => {
    const id = (await rig.t.request('POST', '/api/incidents', { location: { lat: 37.7793, lon: -122.4193 }, nature: 'structure_fire', address: '1 Dr Carlton B Goodlett Pl' })).body.id as string;
    const { page, errors } = await rig.signedInPage();
    await page.waitForSelector('[data-state="live"]');
    await page.locator(`li[data-incident="${id}"]`).click();
    await page.locator('#incident-handover').waitFor();
    await page.keyboard.press('h');
    const dialog = page.getByRole('dialog', { name: 'Hand the incident over to a partner centre' });
    await dialog.waitFor();
    await dialog.getByLabel('Reason').fill('   ');
    await dialog.getByLabel('Reason').press('Control+Enter');
    await dialog.getByRole('alert').getByText('Say why the incident is handed over.').waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect((await rig.t.request('GET', `/api/incidents/${id}`)).body.handovers ?? []).toEqual([]);

    await page.locator('#lang').selectOption('fr');
    await page.waitForSelector('[data-state="live"]');
    await page.getByRole('heading', { name: 'Interventions' }).waitFor();
    await page.locator(`li[data-incident="${id}"]`).click();
    await page.locator('#incident-handover', { hasText: 'Transférer' }).waitFor();
    await page.keyboard.press('h');
    const fr = page.getByRole('dialog', { name: 'Transférer l’intervention à un centre partenaire' });
    await fr.waitFor();
    await fr.getByLabel('Centre partenaire').waitFor();
    await fr.getByLabel('Motif').waitFor();
    await screenshot(page, 'console-handover-action-fr');
    await page.keyboard.press('Escape');
    await fr.waitFor({ state: 'detached' });
    expect(errors).toEqual([]);
  });
});
