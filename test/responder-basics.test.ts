import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, seriousAxeViolations } from './support/browser.ts';
import { phoneContext, signUpInApp, volunteerOfPage } from './support/responder-app.ts';
import { startTestServer, type TestServer } from './support/server.ts';

describe('the responder app: sign-up, a second phone, settings and the account', () => {
  let t: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    t = await startTestServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('a new phone opens on the sign-up form, which has no serious accessibility violation', async () => {
    const { context, errors } = await phoneContext(browser);
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    await page.goto(`${t.base}/responder/`);
    await page.locator('form input[name="name"]').waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    // The phone's pattern compiles (an invalid one is only logged to the console) and flags a wrong number.
    const phone = page.locator('input[name="phone"]');
    await phone.fill('call me');
    expect(await page.evaluate('document.querySelector(\'input[name="phone"]\').validity.patternMismatch')).toBe(true);
    await phone.fill('+33 (0)6 12-34.56');
    expect(await page.evaluate('document.querySelector(\'input[name="phone"]\').validity.valid')).toBe(true);
    await phone.fill('');
    expect(consoleErrors).toEqual([]);
    await screenshot(page, 'responder-sign-up');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.locator('.sign-up button[type="button"]').click();
    await page.locator('input[name="code"]').waitFor();
    await screenshot(page, 'responder-sign-in');
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('location consent is an explicit choice: unticked at first, said why; without it the volunteer signs up but is asked for it before being alerted', async () => {
    const { context, errors } = await phoneContext(browser);
    const page = await context.newPage();
    await page.goto(`${t.base}/responder/`);
    const consent = page.locator('input[name="consent"]');
    expect(await consent.isChecked()).toBe(false);
    expect(await page.locator('#consent-help').textContent()).toContain('you cannot go on duty until you allow it');
    await signUpInApp(page, t.base, { name: 'Not Yet Sure', phone: '+1 415 555 0111', consent: false });
    const v = await volunteerOfPage(t, page);
    const self = await t.request('GET', '/api/volunteers/me', undefined, { authorization: `Bearer ${v.token}` });
    expect(self.body.locationConsent).toBe(false);
    await page.getByText('You have not allowed the use of your location').waitFor();
    await page.getByRole('button', { name: 'Allow location use' }).click();
    await page.getByText('You have not allowed the use of your location').waitFor({ state: 'detached' });
    const after = await t.request('GET', '/api/volunteers/me', undefined, { authorization: `Bearer ${v.token}` });
    expect(after.body.locationConsent).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a second phone enrols with the one-time code the first one shows, and gets a device token of its own', async () => {
    const first = await phoneContext(browser);
    const page1 = await first.context.newPage();
    await signUpInApp(page1, t.base, { name: 'Two Phones', phone: '+1 415 555 0177' });
    await page1.getByRole('button', { name: 'Add another phone' }).click();
    const code = (await page1.locator('.code').getAttribute('data-code'))!;
    expect(code).toMatch(/\S{8,}/);
    await screenshot(page1, 'responder-enrolment-code');

    const second = await phoneContext(browser);
    const page2 = await second.context.newPage();
    await page2.goto(`${t.base}/responder/`);
    await page2.getByRole('button', { name: 'Sign in on this phone' }).click();
    await page2.locator('input[name="code"]').fill(code);
    await page2.locator('input[name="code"]').press('Enter');
    await page2.locator('.screen.home').waitFor();
    expect(await page2.locator('.hello').textContent()).toBe('Hello, Two Phones');
    const a = await volunteerOfPage(t, page1);
    const b = await volunteerOfPage(t, page2);
    expect(b.id).toBe(a.id);
    expect(b.token).not.toBe(a.token);

    // A code works once.
    const third = await phoneContext(browser);
    const page3 = await third.context.newPage();
    await page3.goto(`${t.base}/responder/`);
    await page3.getByRole('button', { name: 'Sign in on this phone' }).click();
    await page3.locator('input[name="code"]').fill(code);
    await page3.locator('input[name="code"]').press('Enter');
    await page3.getByText('This code is wrong or has expired').waitFor();
    expect(first.errors.concat(second.errors, third.errors)).toEqual([]);
    await Promise.all([first.context.close(), second.context.close(), third.context.close()]);
  });

  it('quiet hours are saved with Enter; the language switch changes the page and survives the reload', async () => {
    const { context, errors } = await phoneContext(browser);
    const page = await context.newPage();
    await signUpInApp(page, t.base, { name: 'Night Owl', phone: '+1 415 555 0190' });
    const v = await volunteerOfPage(t, page);
    // The suggested times are not in force until saved, and the page says so.
    expect(await page.locator('.quiet-now').getAttribute('data-unsaved')).toBe('true');
    expect(await page.locator('.quiet-now').textContent()).toMatch(/^No quiet hours\. Not saved yet: save to have no alerts from 10:00\sPM to 7:00\sAM\.$/);
    const gap = await page.evaluate(
      '(() => document.querySelector(".quiet-form button[type=submit]").getBoundingClientRect().top - document.querySelector("input[name=quietTo]").getBoundingClientRect().bottom)()',
    );
    expect(gap).toBeGreaterThanOrEqual(8);
    await page.locator('.quiet-form').scrollIntoViewIfNeeded();
    await screenshot(page, 'responder-quiet-unsaved');
    await page.locator('input[name="quietFrom"]').fill('23:30');
    await page.locator('input[name="quietTo"]').fill('06:15');
    await page.locator('input[name="quietTo"]').press('Enter');
    await page.locator('[data-quiet="23:30-06:15"]').waitFor();
    expect(await page.locator('.quiet-now').textContent()).toMatch(/^Quiet from 11:30\sPM to 6:15\sAM\.$/);
    await screenshot(page, 'responder-quiet-saved');
    // Changed again but not saved: said so, until saved or put back.
    expect(await page.locator('.quiet-now').getAttribute('data-unsaved')).toBe('false');
    await page.locator('input[name="quietFrom"]').fill('23:00');
    expect(await page.locator('.quiet-now').textContent()).toMatch(/^Quiet from 11:30\sPM to 6:15\sAM\. Not saved yet/);
    await page.locator('input[name="quietFrom"]').fill('23:30');
    expect(await page.locator('.quiet-now').getAttribute('data-unsaved')).toBe('false');
    const self = await t.request('GET', '/api/volunteers/me', undefined, { authorization: `Bearer ${v.token}` });
    expect(self.body.quietHours).toEqual({ from: '23:30', to: '06:15' });

    await page.locator('#lang').focus();
    await Promise.all([page.waitForEvent('load'), page.locator('#lang').selectOption('fr')]);
    await page.locator('.screen.home').waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    expect(await page.locator('.hello').textContent()).toBe('Bonjour, Night Owl');
    expect(await page.locator('[data-quiet]').textContent()).toBe('Calme de 23:30 à 06:15.');
    await page.locator('button', { hasText: 'Pas d’heures calmes' }).click();
    await page.locator('[data-quiet="none"]').waitFor();
    expect(await page.locator('[data-quiet]').textContent()).toBe('Pas d’heures calmes. Pas encore enregistré : enregistrez pour ne pas être alerté de 22:00 à 07:00.');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the service worker is registered for the app and told its language; asking for notifications ends in a clear state, never a page error', async () => {
    const { context, errors } = await phoneContext(browser, { locale: 'fr-FR' });
    await context.grantPermissions(['notifications']);
    const page = await context.newPage();
    await signUpInApp(page, t.base, { name: 'Push Test', phone: '+33 6 00 00 00 01' });
    await page.waitForFunction('navigator.serviceWorker.getRegistration("/responder/").then((r) => !!r && !!r.active)');
    expect(await page.evaluate('navigator.serviceWorker.getRegistration("/responder/").then((r) => r.active.scriptURL)')).toMatch(/\/responder\/sw\.js\?lang=fr$/);
    await page.getByRole('button', { name: 'Autoriser les notifications' }).click();
    // Offline chromium has no push service to subscribe with ('failed'); the server's side of Web Push is
    // tested against a loopback push service in alerting-web-push.test.ts.
    await page.locator('[data-push="failed"], [data-push="on"]').waitFor({ timeout: 20_000 });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('erasing the account signs the phone out and the token stops working', async () => {
    const { context, errors } = await phoneContext(browser);
    const page = await context.newPage();
    await signUpInApp(page, t.base, { name: 'Leaving Soon', phone: '+1 415 555 0199' });
    const v = await volunteerOfPage(t, page);
    page.on('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Delete my account' }).click();
    await page.getByText('Your account is deleted.').waitFor();
    await page.locator('form input[name="name"]').waitFor();
    expect(await page.evaluate('localStorage.getItem("samaritan.responder.token")')).toBeNull();
    const after = await t.request('GET', '/api/volunteers/me', undefined, { authorization: `Bearer ${v.token}` });
    expect(after.status).toBe(401);
    expect(errors).toEqual([]);
    await context.close();
  });
});
