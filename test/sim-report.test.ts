import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/config/configuration.ts';
import { launchBrowser, newContext, SCREENSHOTS, seriousAxeViolations } from './support/browser.ts';
import { samaritan } from './support/cli.ts';

/** The first rows of the bundled DataSF days: a few hundred incidents, enough for every chart. */
const SF_CALLS = join(PROJECT_ROOT, 'data/sf/sf_fire_calls_2016-12-31_to_2017-01-03.csv');
const ROWS = 400;

describe('the report of a real replay (samaritan sim --html), in a real browser, opened from disk', () => {
  let browser: Browser;
  let dir: string;
  let file: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sim-report-'));
    file = join(dir, 'report.html');
    const calls = join(dir, 'calls.csv');
    writeFileSync(calls, readFileSync(SF_CALLS, 'utf8').split('\n').slice(0, ROWS + 1).join('\n') + '\n');
    const run = await samaritan('sim', '--calls', calls, '--html', file, '--seed', '1');
    expect(run.code, run.stderr).toBe(0);
    browser = await launchBrowser();
  }, 240_000);

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
    expect(await page.locator('#late-map-title').count()).toBe(1);
    expect(await page.locator('#map svg g > title').count()).toBeGreaterThan(10);
    // The cells sit on the city's streets (one path of many lines, clipped to the map), whose source the footer names.
    const streets = await page.locator('#map svg path[clip-path]').getAttribute('d');
    expect(streets?.match(/M/g)?.length ?? 0).toBeGreaterThan(1000);
    expect(await page.locator('footer').textContent()).toContain('TIGER/Line');
    expect(await page.locator('h1').textContent()).toBe('Simulation report: default');

    for (const caption of ['Time to help', 'NFPA 1710: share of incidents within each objective (met when 90 % or more)', 'Volunteers and the fleet']) {
      const table = page.locator('table', { has: page.locator('caption', { hasText: caption }) });
      const rows = await table.locator('tbody th[scope="row"] .code').allTextContents();
      expect(rows.slice(0, 3), caption).toEqual(['straight_line', 'routed', 'routed_volunteers']);
    }
    expect(await page.locator('#map table tbody tr').count()).toBeGreaterThan(0);

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
