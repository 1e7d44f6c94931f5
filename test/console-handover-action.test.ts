import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { screenshot, seriousAxeViolations } from './support/browser.ts';
import { freePort } from './support/centres.ts';
import { useConsoleRig } from './support/console-rig.ts';

const PASSWORD = 'console handover action password 1';

/** A partner centre on loopback that acknowledges every hand-over, and what it was sent. */
const received: { url: string; contentType: string; body: string }[] = [];
const port = await freePort();
const partnerCentre: Server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    received.push({ url: req.url ?? '', contentType: String(req.headers['content-type']), body: Buffer.concat(chunks).toString('utf8') });
    res.writeHead(201, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ acknowledged: true, incidentId: `THEIRS-${received.length}` }));
  });
});
await new Promise<void>((resolve) => partnerCentre.listen(port, '127.0.0.1', resolve));
const dir = mkdtempSync(join(tmpdir(), 'partners-'));
writeFileSync(
  join(dir, 'partners.json'),
  JSON.stringify({
    partners: [
      { id: 'oakland', name: 'Oakland Fire Dispatch', url: `http://127.0.0.1:${port}/oakland`, format: 'eido', keyEnv: 'TEST_PARTNER_KEY' },
      { id: 'marin', name: 'Marin County', url: `http://127.0.0.1:${port}/marin`, format: 'emsi', keyEnv: 'TEST_PARTNER_KEY' },
    ],
  }),
);
process.env['SAMARITAN_PARTNERS_FILE'] = join(dir, 'partners.json');
process.env['TEST_PARTNER_KEY'] = 'a-test-key-of-at-least-thirty-two-chars';
afterAll(() => {
  partnerCentre.close();
  delete process.env['SAMARITAN_PARTNERS_FILE'];
});

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
    await page.locator('.handover-line', { hasText: /Handed over to oakland: acknowledged \(their incident THEIRS-\d+\)/ }).waitFor();
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
