import { describe, expect, it } from 'vitest';
import { screenshot, seriousAxeViolations } from './support/browser.ts';
import { useConsoleRig } from './support/console-rig.ts';
import { partnerCentres } from './support/partner-centres.ts';

const PASSWORD = 'console handover password 1';

await partnerCentres();

describe('the console shows where an incident’s hand-overs stand', () => {
  const rig = useConsoleRig({ name: 'handoverdisp', password: PASSWORD });

  it('acknowledged and refused hand-overs show in the incident panel, in English and in French', async () => {
    const id = (await rig.t.request('POST', '/api/incidents', { location: { lat: 37.7793, lon: -122.4193 }, nature: 'structure_fire', address: '200 Larkin St' })).body.id as string;
    for (const partnerId of ['oakland', 'marin']) {
      const res = await rig.t.request('POST', `/api/incidents/${id}/handover`, { partnerId, reason: 'mutual aid' });
      expect(res.status, res.text).toBe(202);
    }
    const { page, errors } = await rig.signedInPage();
    await page.waitForSelector('[data-state="live"]');
    await page.locator(`li[data-incident="${id}"]`).click();
    const acked = page.locator('.handover-line', { hasText: 'Handed over to oakland: acknowledged (their incident OAK-42)' });
    await acked.waitFor();
    await page.locator('.handover-line.handover-refused', { hasText: 'Hand-over to marin refused: InvalidDocument: no location' }).waitFor();
    await screenshot(page, 'console-handover');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.locator('#lang').selectOption('fr');
    await page.waitForSelector('[data-state="live"]');
    await page.getByRole('heading', { name: 'Interventions' }).waitFor();
    await page.locator(`li[data-incident="${id}"]`).click();
    await page.locator('.handover-line', { hasText: 'Transféré à oakland\u00a0: reçu (leur intervention OAK-42)' }).waitFor();
    await page.locator('.handover-line', { hasText: 'Transfert à marin refusé\u00a0: InvalidDocument' }).waitFor();
    expect(errors).toEqual([]);
  });
});
