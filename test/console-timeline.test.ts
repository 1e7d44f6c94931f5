import { describe, expect, it } from 'vitest';
import { screenshot } from './support/browser.ts';
import { useConsoleRig } from './support/console-rig.ts';

const PASSWORD = 'console timeline password 1';

describe('the incident panel over time', () => {
  const rig = useConsoleRig({ name: 'tdisp', password: PASSWORD });

  it('the timeline follows the stream (another desk dispatches, a unit moves) and says once what each line is', async () => {
    const { context, page, errors } = await rig.signedInPage(undefined, { goto: false });
    const created = await rig.t.request('POST', '/api/incidents', { location: { lat: 37.7793, lon: -122.4193 }, nature: 'cardiac_arrest', priority: 1, address: '1 Dr Carlton B Goodlett Pl' });
    const id = created.body.id as string;
    await page.goto(rig.t.base + '/');
    await page.waitForSelector('[data-state="live"]');
    await page.locator(`li[data-incident="${id}"]`).click();
    await page.locator('.timeline li[data-type="IncidentReceived"]').waitFor();

    // Another dispatcher's desk (the test's token) sends the units; nothing is pressed here.
    const rec = (await rig.t.request('GET', `/api/incidents/${id}/recommendation`)).body as { candidates: { unitId: string; name: string }[] };
    const names = rec.candidates.map((c) => c.name);
    expect((await rig.t.request('POST', `/api/incidents/${id}/dispatch`, { unitIds: rec.candidates.map((c) => c.unitId) })).status).toBe(200);
    await page.locator('.timeline li[data-type="UnitsDispatched"]', { hasText: `Units dispatched: ${names.join(', ')}` }).waitFor();
    await page.locator('.timeline li[data-type="IncidentStatusChanged"]', { hasText: 'Incident status: dispatched' }).waitFor();
    const first = rec.candidates[0]!;
    expect((await rig.t.request('POST', `/api/units/${first.unitId}/status`, { status: 'en_route' })).status).toBeLessThan(300);
    await page.locator('.timeline li[data-type="UnitStatusChanged"]', { hasText: `${first.name} en route` }).waitFor();

    // The dispatch is said once: the units' own moves to "dispatched" are not repeated under it.
    const lines = await page.locator('.timeline li > span:not(.by)').allTextContents();
    expect(lines.filter((l) => /dispatched/.test(l))).toEqual([`Units dispatched: ${names.join(', ')}`, 'Incident status: dispatched']);
    expect(new Set(lines).size).toBe(lines.length);
    await screenshot(page, 'console-timeline-live');
    expect(errors).toEqual([]);
    await context.close();
  });
});
