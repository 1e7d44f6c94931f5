import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../src/config/configuration.ts';

/** Debian's chromium, never a downloaded browser (scripts/ensure-chromium.sh installs it). */
export const CHROMIUM = process.env['CHROMIUM'] ?? '/usr/bin/chromium';

/** Screenshots of the main screens, kept as artefacts of a run and never committed. */
export const SCREENSHOTS = join(PROJECT_ROOT, '.tmp', 'screenshots');

/** Headless, and quiet on the network: this machine reaches nothing beyond loopback. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A context with a phone or a desk screen, in a language; collects page errors for the test to assert. */
export async function newContext(browser: Browser, options: BrowserContextOptions = {}): Promise<{ context: BrowserContext; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US', ...options });
  const errors: string[] = [];
  context.on('weberror', (e) => errors.push(String(e.error().message)));
  return { context, errors };
}

/** Signs the context in as a console user (the session cookie), as the sign-in form would. */
export async function signInContext(context: BrowserContext, base: string, name: string, password: string): Promise<void> {
  const res = await context.request.post(`${base}/api/session`, { data: { name, password } });
  if (res.status() !== 201) throw new Error(`sign-in as ${name} gave ${res.status()}: ${await res.text()}`);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: number;
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core run inside the page (evaluated through the debugging protocol, so the page's CSP stays on).
 * Returns the serious and critical violations.
 */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  // A string, not a function: it runs in the page, where the test's Node types do not apply.
  const results = (await page.evaluate(
    'axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length })))',
  )) as AxeViolation[];
  return results.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
