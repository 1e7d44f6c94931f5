import { describe, expect, it } from 'vitest';
import type { RecordWrite } from '../record-writes.ts';
import type { Harness } from './harness.ts';
import { added, req, stored } from './test-model.ts';
import { tryToChange } from './snapshots.ts';
import { aed, profile } from './test-records.ts';

/** Volunteers' personal data and the AED registry: written by record writes, read synchronously. */
export function profileAndAedRules(h: Harness): void {
  let n = 0;
  const write = async (...records: RecordWrite[]) =>
    stored(await h.events.append(req([added(`rec-${++n}`, 'audit')], undefined, { records })));

  describe('volunteer profiles', () => {
    it('profile.add adds profiles (and the demo population record) read by get, getMany and count', async () => {
      expect(h.store.profiles.count()).toBe(0);
      expect(h.store.profiles.demoPopulation()).toBeUndefined();
      const demo = { seed: 7, count: 2, available: 1, residents: 1, loadedAt: '2025-06-01T10:00:00.000Z' };
      await write({
        type: 'profile.add',
        profiles: [profile('V-1'), profile('V-2', { synthetic: true, languages: [], devices: [] })],
        demo,
      });
      expect(h.store.profiles.get('V-1')).toEqual(profile('V-1'));
      expect(h.store.profiles.get('V-2')).toEqual(profile('V-2', { synthetic: true, languages: [], devices: [] }));
      expect(h.store.profiles.get('V-404')).toBeUndefined();
      expect(h.store.profiles.getMany(['V-2', 'V-404', 'V-1'])).toEqual(
        new Map([
          ['V-2', profile('V-2', { synthetic: true, languages: [], devices: [] })],
          ['V-1', profile('V-1')],
        ]),
      );
      expect(h.store.profiles.count()).toBe(2);
      expect(h.store.profiles.demoPopulation()).toEqual(demo);
    });

    it('profile.erase deletes a volunteer’s personal data; the others stay', async () => {
      await write({ type: 'profile.add', profiles: [profile('V-1'), profile('V-2')] });
      await write({ type: 'profile.erase', volunteerId: 'V-1' });
      await write({ type: 'profile.erase', volunteerId: 'V-404' });
      expect(h.store.profiles.get('V-1')).toBeUndefined();
      expect(h.store.profiles.getMany(['V-1', 'V-2'])).toEqual(new Map([['V-2', profile('V-2')]]));
      expect(h.store.profiles.count()).toBe(1);
    });

    it('update changes contact details in place and stamps updatedAt; an unknown volunteer is not created', async () => {
      await write({ type: 'profile.add', profiles: [profile('V-1')] });
      const at = '2025-06-02T09:00:00.000Z';
      const expected = { ...profile('V-1'), name: 'New Name', languages: ['it'], updatedAt: at };
      expect(await h.store.profiles.update('V-1', { name: 'New Name', languages: ['it'] }, at)).toEqual(expected);
      expect(h.store.profiles.get('V-1')).toEqual(expected);
      expect(await h.store.profiles.update('V-404', { name: 'Ghost' }, at)).toBeUndefined();
      expect(h.store.profiles.get('V-404')).toBeUndefined();
      expect(h.store.profiles.count()).toBe(1);
    });

    it('a caller cannot change a stored profile through what it read', async () => {
      await write({ type: 'profile.add', profiles: [profile('V-1')] });
      const p = h.store.profiles.get('V-1')!;
      tryToChange(() => (p.languages as string[]).push('xx'));
      tryToChange(() => ((p.devices[0]!.subscription as Record<string, unknown>)['endpoint'] = 'changed'));
      expect(h.store.profiles.get('V-1')).toEqual(profile('V-1'));
    });
  });

  describe('AEDs', () => {
    it('aed.put adds AEDs and replaces an AED by id', async () => {
      await write({
        type: 'aed.put',
        records: [aed('AED-2', 'Library'), aed('AED-1', 'Station')],
        at: '2025-06-01T10:00:00.000Z',
      });
      await write({
        type: 'aed.put',
        records: [{ ...aed('AED-1', 'Station, hall B'), status: 'out_of_service' }, aed('AED-3', 'Pool')],
        at: '2025-06-02T10:00:00.000Z',
      });
      const byId = [...h.store.aeds.all()].sort((a, b) => (a.id < b.id ? -1 : 1));
      expect(byId).toEqual([
        { ...aed('AED-1', 'Station, hall B'), status: 'out_of_service' },
        aed('AED-2', 'Library'),
        aed('AED-3', 'Pool'),
      ]);
    });
  });
}
