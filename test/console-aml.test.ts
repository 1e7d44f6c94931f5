import { describe, expect, it } from 'vitest';
import { screenshot, seriousAxeViolations } from './support/browser.ts';
import { useConsoleRig } from './support/console-rig.ts';

const PASSWORD = 'console aml password 1';
/** A caller's phone near City Hall, located within 25 m: the HTTPS format of ETSI TS 103 625. */
const FIX = new URLSearchParams({
  v: '1',
  device_number: '+14155550177',
  location_latitude: '37.77890',
  location_longitude: '-122.41750',
  location_accuracy: '25',
  location_source: 'gps',
  location_time: String(Date.now()),
}).toString();

describe('the console and a caller’s phone position (AML)', () => {
  const rig = useConsoleRig({ name: 'amldisp', password: PASSWORD });

  it('shows the phone’s position beside the address and the pin as the number is typed, with its circle, and uses it by keyboard', async () => {
    const { context, page, errors } = await rig.signedInPage();
    await page.waitForSelector('[data-state="live"]');
    const gateway = { authorization: `Bearer ${await rig.t.token('integration', ['aml:write'])}`, 'content-type': 'application/x-www-form-urlencoded' };

    await page.keyboard.press('n');
    expect(await page.evaluate('document.activeElement?.id')).toBe('new-address');
    await page.keyboard.type('City Hall steps');
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate('document.activeElement?.id')).toBe('new-callback');
    await page.keyboard.type('(415) 555-0177');
    // No position yet: nothing shows. The phone's message then arrives, and the live stream brings it.
    expect(await page.locator('.aml-row .aml-line').count()).toBe(0);
    const posted = await rig.t.request('POST', '/api/aml', FIX, gateway);
    expect(posted.body, posted.text).toMatchObject({ placed: 'offered' });
    const line = page.locator('.aml-row .aml-line', { hasText: /within 25 m/ });
    await line.waitFor();
    expect(await line.textContent()).toMatch(/satellite fix/);
    // The accuracy circle is on the map (Leaflet's canvas: count the circle layers of that radius).
    expect(await page.evaluate(`(() => { let n = 0; window.samaritan.map.eachLayer((l) => { if (l.getRadius && l.getRadius() === 25 && l.options.dashArray) n++; }); return n; })()`)).toBe(1);

    // Alt+U puts the pin on it.
    await page.keyboard.press('Alt+u');
    await page.locator('.pin-line', { hasText: /caller’s phone \(within 25 m\)/ }).waitFor();
    expect(await page.locator('.pin-line').textContent()).toMatch(/37\.7789/);
    await screenshot(page, 'console-aml');
    expect(await seriousAxeViolations(page)).toEqual([]);

    // Created with that number, the incident carries the phone's position, shown in its panel.
    await page.locator('#new-nature').focus();
    await page.keyboard.type('cardiac');
    await page.locator('#new-nature + [role="listbox"] [role="option"]').first().waitFor();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+Enter');
    await page.locator('.incident-head .aml-line', { hasText: /within 25 m/ }).waitFor();
    const { body } = await rig.t.request('GET', '/api/incidents?status=open');
    const created = body.incidents.find((i: { callbackNumber?: string }) => i.callbackNumber === '(415) 555-0177');
    expect(created.location).toEqual({ lat: 37.7789, lon: -122.4175 });
    expect(created.callerLocation).toMatchObject({ radiusM: 25, method: 'gnss', via: 'https' });
    await screenshot(page, 'console-aml-incident');
    expect(errors).toEqual([]);
    await context.close();
  });
});
