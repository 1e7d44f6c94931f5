import { describe, expect, it } from 'vitest';
import { useConsoleRig } from './support/console-rig.ts';

const PASSWORD = 'console map click password 1';

describe('the console map', () => {
  const rig = useConsoleRig({ name: 'mapdisp', password: PASSWORD });

  it('opens an incident when its marker is clicked, as the queue does', async () => {
    const { context, page, errors } = await rig.signedInPage(undefined, { goto: false });
    const at = { lat: 37.7793, lon: -122.4193 };
    const created = await rig.t.request('POST', '/api/incidents', { location: at, nature: 'structure_fire', address: '1 Dr Carlton B Goodlett Pl' });
    await page.goto(rig.t.base + '/');
    await page.waitForSelector('[data-state="live"]');
    await page.locator(`li[data-incident="${created.body.id}"]`).waitFor();
    await page.locator('.incident-head').waitFor({ state: 'detached' });
    // Where Leaflet draws the marker, in the page's pixels.
    const point = (await page.evaluate(`(() => {
      const map = window.samaritan.map;
      const p = map.latLngToContainerPoint([${at.lat}, ${at.lon}]);
      const box = map.getContainer().getBoundingClientRect();
      return { x: box.left + p.x, y: box.top + p.y };
    })()`)) as { x: number; y: number };
    await page.mouse.click(point.x, point.y);
    await page.locator('.incident-head', { hasText: '1 Dr Carlton B Goodlett Pl' }).waitFor();
    expect(await page.locator(`li[data-incident="${created.body.id}"]`).getAttribute('aria-current')).toBe('true');
    expect(errors).toEqual([]);
    await context.close();
  });
});
