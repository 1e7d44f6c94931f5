import { describe, expect, it } from 'vitest';
import { systemActor } from '../core/actor.ts';
import type { Command } from '../core/commands.ts';
import type { StoredEvent } from '../core/events.ts';
import { epochMs } from '../core/ids.ts';
import type { StreamState } from '../core/loaded.ts';
import { CITY_HALL, RULES, T0, details } from '../core/test-kit.ts';
import { openMemoryStore } from '../store/memory/open-memory.ts';
import { LogTail } from './log-tail.ts';
import { domainProjector } from './projector.ts';
import { Writer } from './writer.ts';

const actor = { kind: 'user', id: 'u-1' } as const;
const receive = (incidentId: string): Command => ({ type: 'ReceiveIncident', now: epochMs(T0), incidentId, details: details('structure_fire') });

function world() {
  const tables = openMemoryStore<StreamState>(domainProjector);
  const tail = new LogTail(tables.events, 0);
  const seen: StoredEvent[] = [];
  tail.follow((events) => seen.push(...events));
  return { tables, tail, seen, writer: new Writer(tables.events, tail, RULES) };
}

describe('the one writer', () => {
  it('a_decided_command_is_stored_with_its_actor_and_request_and_reaches_followers_after_the_append', async () => {
    const w = world();
    const outcome = await w.writer.execute(receive('I-1'), { actor, requestId: 'req-7' });
    expect(outcome.ok).toBe(true);
    const log = await w.tables.events.readAfter(0, 10);
    expect(log.map((e) => [e.type, e.actor, e.requestId])).toEqual([['IncidentReceived', actor, 'req-7']]);
    expect(w.seen).toEqual(log);
  });

  it('a_rejection_is_a_value_and_nothing_is_stored_or_published', async () => {
    const w = world();
    await w.writer.execute(receive('I-1'), { actor });
    const again = await w.writer.execute(receive('I-1'), { actor });
    expect(again).toMatchObject({ ok: false, code: 'IncidentAlreadyExists' });
    expect(await w.tables.events.headSeq()).toBe(1);
    expect(w.seen).toHaveLength(1);
  });

  it('concurrent_commands_on_one_stream_are_each_decided_against_the_state_the_other_left', async () => {
    const w = world();
    await w.writer.execute({ type: 'OpenStation', now: epochMs(T0), stationId: 'S1', name: 'Station 1', address: '', location: CITY_HALL, source: 'test' }, { actor });
    await w.writer.execute({ type: 'CommissionUnit', now: epochMs(T0), unitId: 'E1', name: 'E1', unitType: 'engine', capabilities: ['engine'], stationId: 'S1' }, { actor });
    await w.writer.execute(receive('I-1'), { actor });
    await w.writer.execute({ type: 'DispatchUnits', now: epochMs(T0), incidentId: 'I-1', unitIds: ['E1'] }, { actor });
    // Both decided against "dispatched": the second one meets a version conflict, is decided again, and is refused.
    const [a, b] = await Promise.all([
      w.writer.execute({ type: 'ChangeUnitStatus', now: epochMs(T0 + 1), unitId: 'E1', status: 'en_route' }, { actor }),
      w.writer.execute({ type: 'ChangeUnitStatus', now: epochMs(T0 + 1), unitId: 'E1', status: 'en_route' }, { actor }),
    ]);
    expect([a.ok, b.ok].sort()).toEqual([false, true]);
    expect([a, b].find((o) => !o.ok)).toMatchObject({ code: 'IllegalTransition' });
    const moves = (await w.tables.events.readAfter(0, 100)).filter((e) => e.type === 'UnitStatusChanged' && e.data.to === 'en_route');
    expect(moves).toHaveLength(1);
  });

  it('a_batch_reports_each_refusal_in_its_place_and_stores_the_rest_in_one_append', async () => {
    const w = world();
    const results = await w.writer.executeAll([receive('I-1'), receive('I-1'), receive('I-2')], { actor: systemActor('import') });
    expect(results.map((r) => (r.ok ? r.events.map((e) => e.type) : r.code))).toEqual([['IncidentReceived'], 'IncidentAlreadyExists', ['IncidentReceived']]);
    expect((await w.tables.events.readAfter(0, 10)).map((e) => e.actor)).toEqual([systemActor('import'), systemActor('import')]);
    expect(w.seen.map((e) => e.seq)).toEqual([1, 2]);
  });

  it('an_observed_fact_goes_through_the_same_append_and_a_failed_guard_writes_nothing', async () => {
    const w = world();
    const seen = { type: 'VolunteerAlertSeen', stream: 'delivery-I-1', at: new Date(T0).toISOString(), data: { incidentId: 'I-1', volunteerId: 'V1', alertId: 'I-1.V1', via: 'api' } } as const;
    const mark = { type: 'receipt.mark', alertId: 'I-1.V1', message: 'alert', incidentId: 'I-1', volunteerId: 'V1', field: 'seen', at: seen.at } as const;
    expect((await w.writer.record([seen], { actor, records: [mark] })).ok).toBe(true);
    expect(await w.writer.record([seen], { actor, records: [mark] })).toMatchObject({ ok: false, code: 'RecordConflict' });
    expect(await w.tables.events.headSeq()).toBe(1);
    expect(w.seen).toHaveLength(1);
  });
});

describe('the log tail', () => {
  it('events_written_elsewhere_reach_followers_from_the_store_in_order_once', async () => {
    const a = world();
    // A second process on the same log: its writer has a tail of its own, ours only hears a seq.
    const other = new Writer(a.tables.events, new LogTail(a.tables.events, 0), RULES);
    await other.execute(receive('I-1'), { actor });
    await other.execute(receive('I-2'), { actor });
    a.tail.notify(2);
    await a.tail.idle();
    await a.writer.execute(receive('I-3'), { actor });
    a.tail.notify(3); // already delivered: nothing twice
    await a.tail.idle();
    expect(a.seen.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(a.tail.position).toBe(3);
  });
});
