import { describe, expect, it } from 'vitest';
import { escalate } from './greater-alarm.ts';
import type { ResponsePlan } from './response-plan.ts';

const fire: ResponsePlan = {
  nature: 'structure_fire',
  label: 'Structure fire',
  defaultPriority: 1,
  units: [{ capability: 'engine', count: 3 }, { capability: 'ladder', count: 1 }],
  volunteerRoles: [],
  alarms: { '2': [{ capability: 'engine', count: 2 }, { capability: 'ladder', count: 1 }], '3': [{ capability: 'command', count: 1 }] },
};
const known = new Set(['engine', 'ladder', 'command', 'als']);

describe('greater alarms', () => {
  it('adds every level up to the one asked, then the extra units, each with its reason', () => {
    const r = escalate(fire, { alarm: 3, more: [{ capability: 'als', count: 1 }, { capability: 'engine', count: 1 }] }, known);
    if (!r.ok) throw new Error(r.message);
    expect(r.plan.units).toEqual([
      { capability: 'engine', count: 6 },
      { capability: 'ladder', count: 2 },
      { capability: 'command', count: 1 },
      { capability: 'als', count: 1 },
    ]);
    expect(r.added.map((a) => a.reason)).toEqual([
      'alarm 2 of the Structure fire plan adds 2 engine',
      'alarm 2 of the Structure fire plan adds 1 ladder',
      'alarm 3 of the Structure fire plan adds 1 command',
      '1 more als asked for by the dispatcher',
      '1 more engine asked for by the dispatcher',
    ]);
  });

  it('leaves the first alarm as it is, and refuses a level the plan lacks or a capability nobody has', () => {
    const same = escalate(fire, { alarm: 1, more: [] }, known);
    expect(same.ok && same.plan.units).toEqual(fire.units);
    expect(escalate(fire, { alarm: 4, more: [] }, known)).toMatchObject({ ok: false, code: 'UnknownAlarmLevel', details: { highest: 3 } });
    const { alarms: _none, ...withoutAlarms } = fire;
    expect(escalate(withoutAlarms, { alarm: 2, more: [] }, known)).toMatchObject({ ok: false, code: 'UnknownAlarmLevel' });
    expect(escalate(fire, { more: [{ capability: 'boat', count: 1 }] }, known)).toMatchObject({ ok: false, code: 'UnknownCapability' });
  });
});
