import { describe, expect, it } from 'vitest';
import { screenshot } from './support/browser.ts';
import { useConsoleRig } from './support/console-rig.ts';

const PASSWORD = 'console resume password 1';

describe('the console after a dropped socket', () => {
  const rig = useConsoleRig({ name: 'rdisp', password: PASSWORD });

  it('shows offline, reconnects, and applies every event written meanwhile exactly once', async () => {
    const { context, page, errors } = await rig.signedInPage();
    await page.waitForSelector('[data-state="live"]');

    // Keep the console off the stream while incidents are written: no ticket, no socket.
    await page.route('**/api/stream/ticket', (route) => route.abort());
    await page.evaluate('window.samaritan.stream.drop()');
    await page.waitForSelector('[data-state="offline"]');
    await screenshot(page, 'console-offline');
    const before = (await rig.t.request('GET', '/api/events?after=0&limit=1')).body.head as number;
    const ids: string[] = [];
    for (let n = 0; n < 3; n++) {
      const res = await rig.t.request('POST', '/api/incidents', { location: { lat: 37.78 + n / 1000, lon: -122.41 }, nature: 'medical', address: `Missed while offline ${n}` });
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    expect(await page.locator('li[data-incident]').count()).toBe(0);

    await page.unroute('**/api/stream/ticket');
    await page.waitForSelector('[data-state="live"]');
    for (const [n, id] of ids.entries()) {
      await page.getByText(`Missed while offline ${n}`).waitFor();
      expect(await page.locator(`li[data-incident="${id}"]`).count()).toBe(1);
    }
    const applied = (await page.evaluate('window.samaritan.data.applied')) as number[];
    expect(new Set(applied).size).toBe(applied.length);
    const { body } = await rig.t.request('GET', `/api/events?after=${before}&limit=1000`);
    const received = (body.events as { seq: number; type: string; data: { incidentId?: string } }[]).filter((e) => e.type === 'IncidentReceived' && ids.includes(e.data.incidentId ?? ''));
    expect(received).toHaveLength(3);
    for (const e of received) expect(applied).toContain(e.seq);
    expect(errors).toEqual([]);
    await context.close();
  });
});
