import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryAedDirectory } from '../src/volunteers/aed-directory.ts';
import { launchBrowser, screenshot, seriousAxeViolations } from './support/browser.ts';
import { canvasPixels, declareInApp, goOnDuty, phoneContext, signUpInApp, volunteerOfPage } from './support/responder-app.ts';
import { bearer, CITY_HALL, eventually, offset, startResponderServer, type ResponderServer } from './support/responders.ts';

/** The scene leg's colour on the map (route-map.ts COLOUR.scene). */
const SCENE_RED = [0xb3, 0x26, 0x1e] as const;
const AED_GREEN = [0x00, 0x69, 0x5c] as const;
/** A second scene, far (about 2.5 km) from City Hall, so that the two tests alert different volunteers. */
const FERRY = offset(CITY_HALL, 1500, 2000);

describe('the responder app receives an alert live, accepts it, and shows the role and the way', () => {
  let t: ResponderServer;
  let browser: Browser;
  let supervisor: Record<string, string>;

  beforeAll(async () => {
    t = await startResponderServer({
      responders: {
        webhook: null,
        // The first engine is far: the volunteers are worth alerting.
        firstUnitEtaS: async () => 600,
        aeds: new InMemoryAedDirectory([
          {
            id: 'aed-ferry',
            location: offset(FERRY, 120, -80),
            placeName: 'Harbour office lobby',
            floor: 'ground floor',
            access: 'behind the reception desk',
            openingHours: { utcOffsetMin: -420, always: true, weekly: {} },
            status: 'in_service',
          },
        ]),
      },
    });
    supervisor = bearer(await t.token('supervisor'));
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('a CPR-verified volunteer gets the alert in the page, accepts, reads the CPR role and sees the walk on the map; the dispatcher sees the accept', async () => {
    const { context, errors } = await phoneContext(browser, { at: offset(CITY_HALL, 180, 140) });
    const page = await context.newPage();
    const sockets: string[] = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    await signUpInApp(page, t.base, { name: 'Ada Volunteer', phone: '+1 415 555 0142' });
    await screenshot(page, 'responder-home-new');
    await declareInApp(page, 'cpr');
    expect(await page.locator('.quals li[data-kind="cpr"]').getAttribute('data-state')).toBe('pending');
    const v = await volunteerOfPage(t, page);
    const verified = await t.request('POST', `/api/volunteers/${v.id}/qualifications/cpr/verify`, undefined, supervisor);
    expect(verified.status, verified.text).toBe(200);
    await page.reload();
    await page.locator('.quals li[data-kind="cpr"][data-state="verified"]').waitFor();
    await goOnDuty(page);
    await page.locator('.state[data-state="live"]').waitFor();
    expect(sockets.some((u) => u.includes('/api/volunteers/me/stream?ticket='))).toBe(true);
    await screenshot(page, 'responder-home-on-duty');
    expect(await seriousAxeViolations(page)).toEqual([]);

    const created = await t.request('POST', '/api/incidents', { location: CITY_HALL, nature: 'cardiac_arrest', priority: 1, place: 'public', address: '1 Dr Carlton B Goodlett Pl', floor: '2' });
    expect(created.status, created.text).toBe(201);
    const postedAt = Date.now();
    const incidentId = created.body.id as string;
    await page.locator('.alert-screen').waitFor({ timeout: 10_000 });
    console.log(`alert shown in the volunteer's page ${Date.now() - postedAt} ms after the incident was created`);
    // Before the accept: nature and walk, never the address.
    await expect.poll(() => page.locator('.alert-nature').textContent()).toBe('Cardiac arrest');
    expect(await page.locator('.alert-walk').textContent()).toMatch(/min on foot/);
    expect(await page.locator('.alert-screen').textContent()).not.toContain('Goodlett');
    expect(await page.evaluate('document.activeElement?.dataset.action')).toBe('accept');
    await screenshot(page, 'responder-alert');
    expect(await seriousAxeViolations(page)).toEqual([]);
    // The seen receipt reaches the dispatcher's view.
    await eventually(async () => {
      const r = await t.request('GET', `/api/incidents/${incidentId}/volunteers`);
      return r.body.response?.alerts?.find((a: { volunteerId: string }) => a.volunteerId === v.id)?.delivery?.seenAt;
    }, 5000, 'the seen receipt');

    await page.keyboard.press('a');
    const acceptedAt = Date.now();
    const accepted = await eventually(async () => {
      const r = await t.request('GET', `/api/incidents/${incidentId}/volunteers`);
      const mine = r.body.response?.alerts?.find((a: { volunteerId: string }) => a.volunteerId === v.id);
      return mine?.status === 'accepted' ? mine : undefined;
    }, 10_000, 'the dispatcher to see the accept');
    console.log(`dispatcher saw the accept ${Date.now() - acceptedAt} ms after the volunteer pressed Accept`);
    expect(accepted.role).toBe('cpr');

    await page.locator('.screen.role[data-role="cpr"]').waitFor();
    expect(await page.locator('.role-title').textContent()).toBe('Start CPR');
    expect(await page.locator('.do').textContent()).toContain('hard and fast in the centre of the chest, 100–120 a minute');
    expect(await page.locator('.scene-address').textContent()).toContain('Goodlett');
    await page.locator('details.why summary').click();
    expect(await page.locator('.why-text').textContent()).toBe('first CPR-qualified volunteer to accept (verified CPR): straight to the patient');
    await page.locator('details.why summary').click();
    await page.locator('.route-map canvas').waitFor();
    await expect.poll(() => canvasPixels(page, SCENE_RED), { timeout: 3000 }).toBeGreaterThan(200);
    await screenshot(page, 'responder-role-cpr');
    await page.evaluate('document.querySelector(".way").scrollIntoView({ block: "start" })');
    await screenshot(page, 'responder-role-cpr-route');
    expect(await seriousAxeViolations(page)).toEqual([]);
    // The bar of buttons hides nothing: the legend brought into view, or the page scrolled to its end, ends above it.
    const legendClear = `(() => document.querySelector('.legend').getBoundingClientRect().bottom <= document.querySelector('.role-buttons').getBoundingClientRect().top)()`;
    await page.evaluate('document.querySelector(".legend").scrollIntoView({ block: "end" })');
    expect(await page.evaluate(legendClear)).toBe(true);
    await page.evaluate('window.scrollTo(0, document.documentElement.scrollHeight)');
    expect(await page.evaluate(legendClear)).toBe(true);
    // The legend names points with squares and the walk with a line, never round swatches like radio buttons.
    expect(await page.locator('.legend li').allTextContents()).toEqual(['You', 'Patient', 'Walk to the patient']);
    expect(await page.evaluate('[...document.querySelectorAll(".legend .swatch")].map((s) => s.className + ":" + getComputedStyle(s).borderRadius)')).toEqual(['swatch point:2px', 'swatch point:2px', 'swatch line:0px']);

    await page.locator('[data-action="arrived"]').click();
    await eventually(async () => {
      const r = await t.request('GET', `/api/incidents/${incidentId}/volunteers`);
      return r.body.response?.alerts?.find((a: { volunteerId: string }) => a.volunteerId === v.id)?.arrivedAt;
    }, 5000, 'the arrival');
    // The confirmation is on top of the role, in view and focused (read out), and Done stays.
    const banner = page.locator('.arrived-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toMatch(/^You are marked as arrived at \d{1,2}:\d{2}\s[AP]M\. Stay with the patient until the crew takes over\.$/);
    expect(await page.evaluate('document.activeElement?.className')).toBe('arrived-banner');
    expect(await page.evaluate('document.querySelector(".arrived-banner").getBoundingClientRect().top >= 0')).toBe(true);
    expect(await page.evaluate('document.querySelector(".screen.role").firstElementChild.className')).toBe('arrived-banner');
    expect(await page.locator('[data-action="done"]').isEnabled()).toBe(true);
    await screenshot(page, 'responder-role-arrived');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.locator('[data-action="done"]').click();
    await page.locator('.screen.home').waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('in French, a volunteer without a verified CPR qualification is sent for the AED: where, floor, how to reach it, and both legs on the map', async () => {
    const { context, errors } = await phoneContext(browser, { locale: 'fr-FR', at: offset(FERRY, -150, 120) });
    const page = await context.newPage();
    await signUpInApp(page, t.base, { name: 'Jeanne Secouriste', phone: '+33 6 12 34 56 78' });
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    expect(await page.locator('button[role="switch"]').textContent()).toContain('Disponible pour les alertes');
    await declareInApp(page, 'first_aid');
    expect(await page.locator('.quals li[data-kind="first_aid"] .badge').textContent()).toBe('En attente de vérification par un superviseur');
    await goOnDuty(page);
    await screenshot(page, 'responder-home-fr');

    const created = await t.request('POST', '/api/incidents', { location: FERRY, nature: 'cardiac_arrest', priority: 1, place: 'public', address: '1 Ferry Building' });
    expect(created.status, created.text).toBe(201);
    await page.locator('.alert-screen').waitFor({ timeout: 10_000 });
    expect(await page.locator('.alert-nature').textContent()).toBe('Arrêt cardiaque');
    // Times in the phone's French: a 24 h clock.
    expect(await page.locator('.alert-deadline').textContent()).toMatch(/^Répondez avant \d{2}:\d{2}$/);
    expect(await page.locator('[data-action="accept"]').textContent()).toContain('J’y vais');
    await screenshot(page, 'responder-alert-fr');
    await page.locator('[data-action="accept"]').click();

    await page.locator('.screen.role[data-role="fetch_aed"]').waitFor();
    expect(await page.locator('.role-title').textContent()).toBe('Allez chercher le défibrillateur (DAE)');
    const aed = await page.locator('.aed-facts').textContent();
    expect(aed).toContain('Harbour office lobby');
    expect(aed).toContain('Étage : ground floor');
    expect(aed).toContain('behind the reception desk');
    expect(aed).toContain('Horaires');
    // Why this role: the rule and the qualifications it names in words, never their ids.
    await page.locator('details.why summary').click();
    const why = (await page.locator('.why-text').textContent())!;
    expect(why).toContain('not CPR-qualified (la règle sur qui peut masser: needs a verified, unexpired Réanimation (RCP), Infirmier·e, Médecin, Pompier hors service)');
    expect(why).not.toMatch(/role\.cpr_qualified|firefighter_off_duty/);
    expect(await page.locator('.why-text span[lang="fr"]').count()).toBe(5);
    await page.locator('details.why').scrollIntoViewIfNeeded();
    await screenshot(page, 'responder-role-why-fr');
    await page.locator('details.why summary').click();
    await expect.poll(() => canvasPixels(page, AED_GREEN), { timeout: 3000 }).toBeGreaterThan(100);
    expect(await canvasPixels(page, SCENE_RED)).toBeGreaterThan(100);
    await screenshot(page, 'responder-role-aed-fr');
    await page.evaluate('document.querySelector(".way").scrollIntoView({ block: "start" })');
    expect(await page.locator('.legend li').allTextContents()).toEqual(['Vous', 'DAE', 'Victime', 'Trajet jusqu’au DAE', 'Trajet jusqu’à la victime']);
    await screenshot(page, 'responder-role-aed-route-fr');
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
  it('an open alert the incident no longer needs leaves the screen, and the app says why', async () => {
    const scene = offset(CITY_HALL, -1800, -1500);
    const { context, errors } = await phoneContext(browser, { at: offset(scene, 120, 100) });
    const page = await context.newPage();
    await signUpInApp(page, t.base, { name: 'Standing By', phone: '+1 415 555 0123' });
    await declareInApp(page, 'first_aid');
    await goOnDuty(page);
    const created = await t.request('POST', '/api/incidents', { location: scene, nature: 'cardiac_arrest', priority: 1, place: 'public' });
    expect(created.status, created.text).toBe(201);
    await page.locator('.alert-screen').waitFor({ timeout: 10_000 });
    const cancelled = await t.request('POST', `/api/incidents/${created.body.id as string}/cancel`, { reason: 'caller called back: false alarm' });
    expect(cancelled.status, cancelled.text).toBe(200);
    await page.getByText('The incident was cancelled. Thank you: you can stand down.').waitFor({ timeout: 10_000 });
    // The message and the screen change come from one stand-down, drawn in turn: wait for the screen to go.
    await page.locator('.alert-screen').waitFor({ state: 'detached', timeout: 10_000 });
    expect(await page.locator('.alert-screen').count()).toBe(0);
    await screenshot(page, 'responder-stood-down');
    expect(errors).toEqual([]);
    await context.close();
  });
});
