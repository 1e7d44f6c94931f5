import { describe, expect, it } from 'vitest';
import type { Command } from './commands.ts';
import type { PendingEvent } from './events.ts';
import { handoverStream, type HandOverState } from './handover-terms.ts';
import { at, given, incidentOf, incidentReceived, incidentStatusChanged } from './test-kit.ts';

const handOver = (incidentId: string, handoverId = 'H1', partnerId = 'oakland', reason = 'closer to their station'): Command => ({
  type: 'HandOverIncident',
  now: at(2),
  incidentId,
  handoverId,
  partnerId,
  format: 'eido',
  reason,
});
const observed = (type: 'IncidentHandOverSent' | 'IncidentHandOverAcknowledged' | 'IncidentHandOverRefused', more: Record<string, unknown> = {}): PendingEvent =>
  ({
    type,
    stream: 'incident-I1',
    at: '2024-01-15T09:03:00.000Z',
    data: { incidentId: 'I1', handoverId: 'H1', partnerId: 'oakland', ...(type === 'IncidentHandOverAcknowledged' ? {} : { attempts: 3 }), ...more },
  }) as PendingEvent;

describe('handing an incident over to a partner centre', () => {
  it('a hand-over is requested on the incident, which shows it, and on a stream of its own found by status', () => {
    const o = given(incidentReceived('I1')).when(handOver('I1', 'H1', 'oakland', '  closer to their station '));
    const [e] = o.thenEvents('IncidentHandOverRequested');
    expect(e).toMatchObject({ stream: 'incident-I1', data: { incidentId: 'I1', handoverId: 'H1', partnerId: 'oakland', format: 'eido', reason: 'closer to their station' } });
    expect(incidentOf(o.after, 'I1').handovers).toEqual([
      expect.objectContaining({ handoverId: 'H1', status: 'requested', requestedAt: '2024-01-15T09:02:00.000Z' }),
    ]);
    expect((o.after.get(handoverStream('H1')) as HandOverState).status).toBe('requested');
  });

  it('the sender’s observations move it to sent, then acknowledged with the partner’s incident; a late "sent" changes nothing', () => {
    const story = given(incidentReceived('I1')).when(handOver('I1')).story.and(observed('IncidentHandOverSent'));
    expect(incidentOf(story.world, 'I1').handovers?.[0]).toMatchObject({ status: 'sent', attempts: 3 });
    const acked = story.and(observed('IncidentHandOverAcknowledged', { partnerIncidentId: 'P9' }), observed('IncidentHandOverSent'));
    expect(incidentOf(acked.world, 'I1').handovers?.[0]).toMatchObject({ status: 'acknowledged', partnerIncidentId: 'P9' });
    expect(acked.world.get(handoverStream('H1'))).toMatchObject({ status: 'acknowledged', incidentId: 'I1' });
  });

  it('a refusal keeps why, and the incident may then be handed to the same partner again', () => {
    const refused = given(incidentReceived('I1'))
      .when(handOver('I1'))
      .story.and(observed('IncidentHandOverRefused', { status: 422, reason: 'invalid document', errors: [{ path: '/location', message: 'required' }] }));
    expect(incidentOf(refused.world, 'I1').handovers?.[0]).toMatchObject({
      status: 'refused',
      refusal: { status: 422, reason: 'invalid document', errors: [{ path: '/location', message: 'required' }] },
    });
    const again = refused.when(handOver('I1', 'H2'));
    again.thenEvents('IncidentHandOverRequested');
    expect(incidentOf(again.after, 'I1').handovers?.map((h) => [h.handoverId, h.status])).toEqual([
      ['H1', 'refused'],
      ['H2', 'requested'],
    ]);
  });

  it('refuses a second hand-over to a partner while one is on its way, but another partner may have it', () => {
    const story = given(incidentReceived('I1')).when(handOver('I1')).story;
    expect(story.when(handOver('I1', 'H2')).thenRejected('HandOverPending').details).toEqual({ handoverId: 'H1' });
    story.and(observed('IncidentHandOverSent')).when(handOver('I1', 'H2')).thenRejected('HandOverPending');
    story.when(handOver('I1', 'H2', 'marin')).thenEvents('IncidentHandOverRequested');
  });

  it('refuses an unknown, closed or cancelled incident and an empty or over-long reason', () => {
    given().when(handOver('I9')).thenRejected('UnknownIncident');
    given(incidentReceived('I1'), incidentStatusChanged('I1', 'received', 'cancelled')).when(handOver('I1')).thenRejected('IncidentClosed');
    given(incidentReceived('I1')).when(handOver('I1', 'H1', 'oakland', '   ')).thenRejected('InvalidHandOver');
    given(incidentReceived('I1')).when(handOver('I1', 'H1', 'oakland', 'x'.repeat(501))).thenRejected('InvalidHandOver');
  });
});
