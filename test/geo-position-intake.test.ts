// The index adapter: every fix reaches the index at once; only a sample of units' fixes is due
// for the store, and volunteers' fixes never are.
import { describe, expect, it } from 'vitest';
import { PositionIntake } from '../src/geo/position-intake.ts';
import { ResponderAttrs } from '../src/geo/responder-attrs.ts';

const attrs = new ResponderAttrs(['engine', 'pump', 'bls', 'als']);
const sampling = { everyMs: 60_000, movedM: 250, minIntervalMs: 5_000, staleAfterMs: 300_000 };
const t0 = 1_700_000_000_000;

describe('position intake', () => {
  it('every_fix_updates_the_index_at_once_but_only_a_sample_is_due_for_the_store', () => {
    const intake = new PositionIntake(attrs, sampling);
    const engine = attrs.unit('available', ['engine', 'pump']);
    expect(intake.take({ id: 'E1', lat: 37.75, lon: -122.44, atMs: t0 }, engine)).toBe('record');
    // 10 s later, 20 m on: indexed, not due.
    expect(intake.take({ id: 'E1', lat: 37.75018, lon: -122.44, atMs: t0 + 10_000 }, engine)).toBe('live');
    expect(intake.index.get('E1')?.lat).toBe(37.75018);
    // Moved 300 m from the last written fix: due.
    expect(intake.take({ id: 'E1', lat: 37.7527, lon: -122.44, atMs: t0 + 20_000 }, engine)).toBe('record');
    // A minute after the last written fix: due even without moving.
    expect(intake.take({ id: 'E1', lat: 37.7527, lon: -122.44, atMs: t0 + 80_000 }, engine)).toBe('record');
  });

  it('an_older_fix_than_the_one_held_is_dropped', () => {
    const intake = new PositionIntake(attrs, sampling);
    const engine = attrs.unit('available', ['engine']);
    intake.take({ id: 'E1', lat: 37.75, lon: -122.44, atMs: t0 }, engine);
    expect(intake.take({ id: 'E1', lat: 37.8, lon: -122.4, atMs: t0 - 1 }, engine)).toBe('out_of_order');
    expect(intake.index.get('E1')?.lat).toBe(37.75);
  });

  it('volunteers_fixes_are_never_due_for_the_store', () => {
    const intake = new PositionIntake(attrs, sampling);
    const v = attrs.volunteer(true, ['cpr']);
    expect(intake.take({ id: 'V1', lat: 37.75, lon: -122.44, atMs: t0 }, v)).toBe('live');
    expect(intake.take({ id: 'V1', lat: 37.76, lon: -122.44, atMs: t0 + 120_000 }, v)).toBe('live');
  });

  it('a_seeded_unit_samples_from_its_last_written_fix', () => {
    const intake = new PositionIntake(attrs, sampling);
    const medic = attrs.unit('available', ['als']);
    intake.seedUnit({ id: 'M1', lat: 37.75, lon: -122.44, atMs: t0 }, medic);
    expect(intake.take({ id: 'M1', lat: 37.7501, lon: -122.44, atMs: t0 + 5_000 }, medic)).toBe('live');
  });

  it('a_status_change_without_a_fix_changes_what_filters_see', () => {
    const intake = new PositionIntake(attrs, sampling);
    intake.take({ id: 'E1', lat: 37.75, lon: -122.44, atMs: t0 }, attrs.unit('available', ['engine']));
    const q = { now: t0 + 1_000, filter: attrs.dispatchableUnits(['engine']) };
    expect(intake.index.nearest(37.75, -122.44, 5, q).map((n) => n.id)).toEqual(['E1']);
    expect(intake.setAttrs('E1', attrs.unit('en_route', ['engine']))).toBe(true);
    expect(intake.index.nearest(37.75, -122.44, 5, q)).toEqual([]);
    expect(intake.setAttrs('E2', attrs.unit('available', ['engine']))).toBe(false);
  });

  it('stale_positions_are_left_out_of_queries_after_staleAfterMs', () => {
    const intake = new PositionIntake(attrs, sampling);
    intake.take({ id: 'V1', lat: 37.75, lon: -122.44, atMs: t0 }, attrs.volunteer(true, ['cpr']));
    const filter = attrs.availableVolunteers(['cpr']);
    expect(intake.index.nearest(37.75, -122.44, 3, { now: t0 + 300_000, filter })).toHaveLength(1);
    expect(intake.index.nearest(37.75, -122.44, 3, { now: t0 + 300_001, filter })).toHaveLength(0);
  });
});

describe('position intake, batches', () => {
  it('a_batch_gives_each_fix_the_outcome_it_would_have_alone', () => {
    const one = new PositionIntake(attrs, sampling);
    const many = new PositionIntake(attrs, sampling);
    const engine = attrs.unit('available', ['engine']);
    const volunteer = attrs.volunteer(true, ['cpr']);
    const fixes = [
      { id: 'E1', lat: 37.75, lon: -122.44, atMs: t0, attrs: engine },
      { id: 'V1', lat: 37.75, lon: -122.44, atMs: t0, attrs: volunteer },
      { id: 'E1', lat: 37.7501, lon: -122.44, atMs: t0 + 1_000, attrs: engine },
      { id: 'E1', lat: 37.76, lon: -122.44, atMs: t0 + 500, attrs: engine },
      // 1.1 km on but 2 s after the last written fix: a burst, not written
      { id: 'E1', lat: 37.76, lon: -122.44, atMs: t0 + 2_000, attrs: engine },
      // 6 s after it: written
      { id: 'E1', lat: 37.77, lon: -122.44, atMs: t0 + 6_000, attrs: engine },
    ];
    const alone = fixes.map(({ attrs: a, ...f }) => one.take(f, a));
    expect(many.takeMany(fixes)).toEqual(alone);
    expect(alone).toEqual(['record', 'live', 'live', 'out_of_order', 'live', 'record']);
  });
});
