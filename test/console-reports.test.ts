import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../src/core/actor.ts';
import type { Command } from '../src/core/commands.ts';
import { epochMs } from '../src/core/ids.ts';
import { PROJECT_ROOT } from '../src/config/configuration.ts';
import { CITY_FILES } from '../src/geocoding/city-data.ts';
import { parseCsvRecords } from '../src/interop/csv.ts';
import { callsToIncidents } from '../src/interop/datasf-calls.ts';
import { ManualClock } from '../src/time/clock.ts';
import { launchBrowser, newContext, screenshot, seriousAxeViolations, signInContext } from './support/browser.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const PASSWORD = 'console reports password 1';
/** Thursday 5 March 2026, 18:00 in San Francisco. */
const NOW = Date.parse('2026-03-06T02:00:00.000Z');

/**
 * The four bundled days of real SF calls, moved in time so the last call came in an hour before
 * now: Monday to Thursday of this week, with their real unit times, as `samaritan import-calls`
 * loads them.
 */
async function importBundledCalls(t: TestServer): Promise<void> {
  const rows = parseCsvRecords(readFileSync(`${PROJECT_ROOT}${CITY_FILES.calls}`, 'utf8'));
  const callTypes = JSON.parse(readFileSync(`${PROJECT_ROOT}config/sf-call-types.json`, 'utf8')) as Record<string, string>;
  const { incidents } = callsToIncidents(rows, callTypes);
  const last = Math.max(...incidents.map((i) => i.receivedAt));
  const shift = NOW - 3600_000 - last;
  const move = (ms: number | undefined) => (ms === undefined ? undefined : epochMs(ms + shift));
  const commands = incidents.map((i): Command => {
    const units = i.units.map((u) => {
      const times = { dispatchedAt: move(u.dispatchedAt), enRouteAt: move(u.enRouteAt), onSceneAt: move(u.onSceneAt), transportingAt: move(u.transportingAt), atHospitalAt: move(u.atHospitalAt), availableAt: move(u.availableAt) };
      return { unitId: u.unitId, unitType: u.unitType, ...Object.fromEntries(Object.entries(times).filter(([, v]) => v !== undefined)) };
    });
    const incident = { ...i, receivedAt: move(i.receivedAt)!, closedAt: move(i.closedAt)!, units };
    return { type: 'ImportIncident', now: incident.receivedAt, incident };
  });
  const results = await t.app.writer.executeAll(commands, { actor: systemActor('import-calls') });
  expect(results.filter((r) => !r.ok)).toEqual([]);
}

describe('the console Reports page', () => {
  let t: TestServer;
  let browser: Browser;
  const clock = new ManualClock(NOW);

  beforeAll(async () => {
    t = await startTestServer({ clock });
    await t.app.accounts.addUser('reporter', 'dispatcher', PASSWORD, 'test');
    await importBundledCalls(t);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const api = async (period: string) => (await t.request('GET', `/api/reports/intervals?period=${period}`)).body;
  const minSec = (s: number) => `${Math.floor(s / 60)}:${String(Math.round(s % 60)).padStart(2, '0')}`;
  const cell = (page: Page, interval: string, column: number) => page.locator(`dialog.reports tr[data-interval="${interval}"] td`).nth(column).textContent();
  // A string, not a function: it runs in the page, where the test's Node types do not apply.
  const chartsDrawn = (page: Page) =>
    page.waitForFunction("[...document.querySelectorAll('dialog.reports img[data-chart]')].filter((i) => i.complete && i.naturalWidth > 0).length === 5");

  it('P opens the Reports page from the keyboard: today\'s figures are the API\'s, with the charts; W switches to this week', async () => {
    const { context, errors } = await newContext(browser);
    await signInContext(context, t.base, 'reporter', PASSWORD);
    const page = await context.newPage();
    await page.goto(t.base + '/');
    await page.waitForSelector('[data-state="live"]');

    const today = await api('today');
    expect(today.incidents).toBeGreaterThan(100);
    await page.keyboard.press('p');
    const dialog = page.locator('dialog.reports[open]');
    await dialog.waitFor();
    await page.locator('#report-incidents', { hasText: `${today.incidents.toLocaleString('en-US')} incidents` }).waitFor();
    expect(await page.locator('[data-period="today"]').getAttribute('aria-pressed')).toBe('true');
    expect(await cell(page, 'travelS', 1)).toBe(minSec(today.distributions.travelS.medianS));
    expect(await cell(page, 'travelS', 2)).toBe(minSec(today.distributions.travelS.p90S));
    expect(await cell(page, 'travelS', 0)).toBe(String(today.distributions.travelS.n));
    expect(await cell(page, 'travelS', 4)).toContain(`${Math.round(today.compliance.travel * 100)}%`);
    expect(await cell(page, 'turnoutS', 3)).toBe('60 s EMS · 80 s fire');
    await chartsDrawn(page);
    const alt = await page.locator('img[data-chart="chart-travelS"]').getAttribute('alt');
    expect(alt).toContain(`median ${minSec(today.distributions.travelS.medianS)}`);
    expect(await page.locator('a[data-names="neris"]').getAttribute('href')).toBe('/api/reports/intervals.csv?period=today&names=neris');
    expect(await page.locator('p.period-line').textContent()).toContain('Thursday, March 5');
    await screenshot(page, 'console-reports');
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.keyboard.press('w');
    const week = await api('week');
    expect(week.incidents).toBeGreaterThan(today.incidents);
    await page.locator('#report-incidents', { hasText: `${week.incidents.toLocaleString('en-US')} incidents` }).waitFor();
    expect(await page.locator('[data-period="week"]').getAttribute('aria-pressed')).toBe('true');
    expect(await cell(page, 'firstUnitS', 1)).toBe(minSec(week.distributions.firstUnitS.medianS));
    expect(await page.locator('p.period-line').textContent()).toContain('Monday, March 2');
    expect(await page.evaluate('document.activeElement?.dataset?.period')).toBe('week');
    await chartsDrawn(page);
    await screenshot(page, 'console-reports-week');
    await page.locator('img[data-chart="chart-map"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'console-reports-map');

    // The download is the CSV of the period, with the session's cookie.
    const href = await page.locator('a[data-names="samaritan"]').getAttribute('href');
    const csv = await context.request.get(t.base + href!);
    expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8');
    expect(parseCsvRecords(await csv.text())).toHaveLength(week.incidents);

    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.keyboard.press('?');
    await page.locator('dialog.help[open] dt', { hasText: /^P$/ }).waitFor();
    expect(await page.locator('dialog.help[open]').textContent()).toContain('Response-time reports');
    await page.keyboard.press('Escape');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the header button opens it too, and in French every word is French', async () => {
    const { context, errors } = await newContext(browser, { locale: 'fr-FR' });
    await signInContext(context, t.base, 'reporter', PASSWORD);
    const page = await context.newPage();
    await page.goto(t.base + '/');
    await page.waitForSelector('[data-state="live"]');
    await page.locator('#open-reports').focus();
    await page.keyboard.press('Enter');
    await page.locator('dialog.reports[open]').waitFor();
    await page.locator('#report-incidents').waitFor();
    expect(await page.locator('#reports-title').textContent()).toBe('Délais d’intervention');
    expect(await page.locator('dialog.reports tr[data-interval="travelS"] th').textContent()).toBe('Trajet (premier engin sur les lieux)');
    expect(await page.locator('p.period-line').textContent()).toContain('jeudi 5 mars');
    await chartsDrawn(page);
    expect(await page.locator('img[data-chart="chart-travelS"]').getAttribute('alt')).toMatch(/^Trajet du premier engin sur les lieux\u00a0: médiane/);
    // Inside the charts too: their axes, legends and descriptions.
    for (const chart of ['chart-travelS', 'chart-turnoutS', 'chart-areas', 'chart-map']) {
      const src = (await page.locator(`img[data-chart="${chart}"]`).getAttribute('src'))!;
      const words = decodeURIComponent(src.slice(src.indexOf(',') + 1)).replace(/<[^>]+>/g, ' ');
      expect(words, chart).toMatch(/médiane|Délai médian/);
      expect(words, chart).not.toMatch(/share of incidents|median|percentile|Station \d|Travel standard/);
    }
    await screenshot(page, 'console-reports-fr');
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
