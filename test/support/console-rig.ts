import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser, newContext, signInContext } from './browser.ts';
import { startTestServer, type TestServer } from './server.ts';

export interface ConsoleRigOptions {
  /** The console user the tests sign in as (a dispatcher). */
  readonly name: string;
  readonly password: string;
  readonly demoVolunteers?: boolean;
  /** Runs after the dispatcher is added and before the browser starts. */
  readonly extra?: (t: TestServer) => Promise<void>;
}

export interface SignedInPage {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly errors: string[];
}

export interface ConsoleRig {
  readonly t: TestServer;
  readonly browser: Browser;
  readonly name: string;
  readonly password: string;
  /**
   * A new context signed in as the dispatcher (the session cookie), with a page on the console.
   * With `goto: false` the page is left blank, for a test that writes or listens before opening the console.
   */
  signedInPage(contextOptions?: BrowserContextOptions, options?: { goto?: boolean }): Promise<SignedInPage>;
}

/**
 * A test server with one dispatcher and a headless browser, started before the tests of the
 * enclosing describe and closed after them. Call it inside a describe, at its top.
 */
export function useConsoleRig(options: ConsoleRigOptions): ConsoleRig {
  let t: TestServer | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    t = await startTestServer(options.demoVolunteers === undefined ? {} : { demoVolunteers: options.demoVolunteers });
    await t.app.accounts.addUser(options.name, 'dispatcher', options.password, 'test');
    await options.extra?.(t);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const rig: ConsoleRig = {
    get t() {
      if (!t) throw new Error('the console rig has not started (use rig.t inside a test or hook)');
      return t;
    },
    get browser() {
      if (!browser) throw new Error('the console rig has not started (use rig.browser inside a test or hook)');
      return browser;
    },
    name: options.name,
    password: options.password,
    async signedInPage(contextOptions = {}, { goto = true } = {}) {
      const { context, errors } = await newContext(rig.browser, contextOptions);
      await signInContext(context, rig.t.base, options.name, options.password);
      const page = await context.newPage();
      if (goto) await page.goto(rig.t.base + '/');
      return { context, page, errors };
    },
  };
  return rig;
}
