import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/config/configuration.ts';
import { simHtmlReport } from '../src/sim/html-report.ts';
import { reportStreets } from '../src/sim/report-streets.ts';
import { launchBrowser, newContext, SCREENSHOTS, seriousAxeViolations } from './support/browser.ts';
import { sampleSimResult } from './support/sim-result-fixture.ts';

describe('the simulation report in a real browser, opened from disk', () => {
  let browser: Browser;
  let dir: string;
  let file: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sim-report-'));
    file = join(dir, 'report.html');
    writeFileSync(file, simHtmlReport(sampleSimResult(), { streets: reportStreets(PROJECT_ROOT), streetsAttribution: 'U.S. Census Bureau, TIGER/Line Shapefiles 2017' }));
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows every chart and table, fetches nothing, logs no error, and axe finds nothing serious', async () => {
    const { context, errors } = await newContext(browser, { viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const requests: string[] = [];
    await page.route('**/*', (route) => {
      const url = route.request().url();
      requests.push(url);
      return url.startsWith('file:') ? route.continue() : route.abort();
    });
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(file).href);

    const charts = await page.locator('figure svg').evaluateAll((svgs) =>
      svgs.map((s) => ({
        title: s.querySelector(':scope > title')?.textContent ?? '',
        desc: s.querySelector(':scope > desc')?.textContent ?? '',
        role: s.getAttribute('role'),
        paths: s.querySelectorAll('path').length,
        rects: s.querySelectorAll('rect').length,
        width: s.getBoundingClientRect().width,
      })),
    );
    expect(charts.map((c) => c.title)).toEqual([
      'First-unit travel: simulated against real',
      'Time to first help, volunteer calls',
      'First-unit travel, all incidents',
      'First-unit travel by station area, worst first',
      'Median time to first help by cell: Routed nearest + volunteers',
    ]);
    for (const c of charts) {
      expect(c.role, c.title).toBe('img');
      expect(c.desc.length, c.title).toBeGreaterThan(20);
      // Beyond the axis and the white background: lines drawn, bars or cells filled.
      expect(c.paths + c.rects, c.title).toBeGreaterThan(3);
      expect(c.width, c.title).toBeGreaterThan(400);
    }
    // The map sits on the streets.
    expect(await page.locator('#late-map-title').count()).toBe(1);
    expect(await page.locator('svg path[stroke="#a9b2bd"]').count()).toBe(1);

    for (const caption of ['Time to help', 'NFPA 1710: share of incidents within each objective (met when 90 % or more)', 'Volunteers and the fleet']) {
      const table = page.locator('table', { has: page.locator('caption', { hasText: caption }) });
      const rows = await table.locator('tbody th[scope="row"] .code').allTextContents();
      expect(rows.slice(0, 3), caption).toEqual(['straight_line', 'routed', 'routed_volunteers']);
    }
    expect(await page.locator('#map table tbody tr').count()).toBeGreaterThan(3);

    // Keyboard: the skip link and the sections' links are reachable and go where they say.
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Skip to the report');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    expect(await page.evaluate('location.hash')).toBe('#summary');

    expect(await seriousAxeViolations(page)).toEqual([]);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'sim-report.png'), fullPage: true });
    expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('prints: the charts keep their place on paper', async () => {
    const { context } = await newContext(browser);
    const page = await context.newPage();
    await page.goto(pathToFileURL(file).href);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('nav.toc').isVisible()).toBe(false);
    expect(await page.locator('figure svg').count()).toBe(5);
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await context.close();
  }, 120_000);
});
