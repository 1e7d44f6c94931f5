// Benchmark: the dispatcher console's first load in Debian's chromium, as a signed-in dispatcher
// opens http://…/ on a fresh browser profile (nothing cached), and on a reload (cached assets).
//
//   npx tsx bench/console-load.ts          (or: npm run bench -- console-load)
//
// Measured from navigation start: the map drawn (`.leaflet-container`), the console live (its
// WebSocket open and the banner `[data-state="live"]`: usable), and the JavaScript the page loaded,
// gzipped (the budget is 300 KB). Baseline, side by side: the same browser navigating to the
// server's /healthz (no script at all), the floor of any page on this machine.
// Knobs: BENCH_LOADS (10).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { runNode } from './support/children.ts';
import { fmtMs, fmtRatio, machineFacts, table } from './support/report.ts';
import { startSamaritan } from './support/samaritan.ts';
import { envInt, msStats } from './support/stats.ts';

const LOADS = envInt('BENCH_LOADS', 10);
const PASSWORD = 'bench console password 1';

const dir = mkdtempSync(join(process.env['BENCH_TMPDIR'] ?? tmpdir(), 'samaritan-bench-console-'));
const added = await runNode(['bin/samaritan.js', 'user', 'add', '--role', 'dispatcher', '--name', 'bench', '--password', PASSWORD, '--data-dir', dir], { LOG_LEVEL: 'warn' });
if (added.code !== 0) throw new Error(`user add failed: ${added.stderr}`);
const server = await startSamaritan(dir);
const browser = await chromium.launch({
  executablePath: process.env['CHROMIUM'] ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const cold = { map: [] as number[], live: [] as number[] };
  const warm = { live: [] as number[] };
  const baseline: number[] = [];
  // The scripts as the browser received them, gzipped here: the size a compressing server would send.
  const scripts = new Map<string, number>();
  for (let i = 0; i < LOADS; i++) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const signIn = await context.request.post(`${server.base}/api/session`, { data: { name: 'bench', password: PASSWORD } });
    if (signIn.status() !== 201) throw new Error(`sign-in gave ${signIn.status()}`);
    const page = await context.newPage();
    page.on('response', (r) => {
      if (r.request().resourceType() === 'script' && r.status() === 200)
        void r.body().then((b) => scripts.set(new URL(r.url()).pathname, gzipSync(b).length), () => undefined);
    });
    let t0 = performance.now();
    await page.goto(`${server.base}/healthz`, { waitUntil: 'load' });
    baseline.push(performance.now() - t0);
    t0 = performance.now();
    await page.goto(`${server.base}/`, { waitUntil: 'commit' });
    await page.waitForSelector('.leaflet-container');
    cold.map.push(performance.now() - t0);
    await page.waitForSelector('[data-state="live"]');
    cold.live.push(performance.now() - t0);
    t0 = performance.now();
    await page.reload({ waitUntil: 'commit' });
    await page.waitForSelector('[data-state="live"]');
    warm.live.push(performance.now() - t0);
    await context.close();
  }
  const gz = [...scripts.values()];
  const base = msStats(baseline).p50;
  console.log(machineFacts(dir).join('\n'));
  console.log(`\n${LOADS} loads of the console by a signed-in dispatcher on a fresh browser profile each:\n`);
  console.log(
    table(
      ['measure', 'p50 ms', 'p90 ms', 'max ms', 'ratio to baseline p50'],
      [
        ['baseline: GET /healthz, no script', fmtMs(base), fmtMs(msStats(baseline).p90), fmtMs(msStats(baseline).max), '1.00'],
        ['cold: map drawn', fmtMs(msStats(cold.map).p50), fmtMs(msStats(cold.map).p90), fmtMs(msStats(cold.map).max), fmtRatio(msStats(cold.map).p50, base)],
        ['cold: live (usable)', fmtMs(msStats(cold.live).p50), fmtMs(msStats(cold.live).p90), fmtMs(msStats(cold.live).max), fmtRatio(msStats(cold.live).p50, base)],
        ['reload: live (usable)', fmtMs(msStats(warm.live).p50), fmtMs(msStats(warm.live).p90), fmtMs(msStats(warm.live).max), fmtRatio(msStats(warm.live).p50, base)],
      ],
    ),
  );
  console.log(`\nJavaScript loaded: ${scripts.size} files, ${(gz.reduce((a, b) => a + b, 0) / 1024).toFixed(1)} KB gzipped (budget 300 KB): ${[...scripts.keys()].join(', ')}`);
} finally {
  await browser.close();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
