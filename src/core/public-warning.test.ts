import { describe, expect, it } from 'vitest';
import { hasActiveWarning } from './public-warning.ts';
import type { PublicWarningText } from './public-warning-terms.ts';
import { at, given, incidentOf, incidentReceived, incidentStatusChanged } from './test-kit.ts';
import type { Command } from './commands.ts';

const WARNING: PublicWarningText = {
  headline: 'Fire at Civic Center: smoke in the area',
  instruction: 'Keep windows closed and avoid Polk Street.',
  areaDesc: 'Civic Center',
  radiusM: 800,
};
const issue = (incidentId: string, warning: Partial<PublicWarningText> = {}, minutes = 2): Command => ({
  type: 'IssuePublicWarning',
  now: at(minutes),
  incidentId,
  warning: { ...WARNING, ...warning },
});
const withdraw = (incidentId: string, minutes = 5): Command => ({ type: 'WithdrawPublicWarning', now: at(minutes), incidentId, reason: 'fire out' });

describe('public warnings', () => {
  it('a warning issued for an incident is in force, with what the supervisor wrote and revision 1', () => {
    const o = given(incidentReceived('I1')).when(issue('I1', { headline: '  Smoke over Civic Center ' }));
    const [e] = o.thenEvents('PublicWarningIssued');
    expect(e).toMatchObject({ stream: 'incident-I1', data: { incidentId: 'I1', revision: 1, headline: 'Smoke over Civic Center', radiusM: 800 } });
    const s = incidentOf(o.after, 'I1');
    expect(s.publicWarning).toMatchObject({ revision: 1, issuedAt: e!.at, updatedAt: e!.at });
    expect(hasActiveWarning(s)).toBe(true);
  });

  it('issuing again while in force amends it; the same text again changes nothing', () => {
    const story = given(incidentReceived('I1')).when(issue('I1')).story;
    const amended = story.when(issue('I1', { instruction: 'Stay indoors.' }, 4));
    expect(amended.thenEvents('PublicWarningAmended')[0]!.data).toMatchObject({ revision: 2, instruction: 'Stay indoors.' });
    expect(incidentOf(amended.after, 'I1').publicWarning).toMatchObject({ revision: 2, issuedAt: '2024-01-15T09:02:00.000Z', updatedAt: '2024-01-15T09:04:00.000Z' });
    story.when(issue('I1', {}, 4)).thenRejected('NothingToChange');
  });

  it('a withdrawn warning leaves the feed; issued again, it is a new warning whose revision goes on', () => {
    const withdrawn = given(incidentReceived('I1')).when(issue('I1')).story.when(withdraw('I1'));
    expect(withdrawn.thenEvents('PublicWarningWithdrawn')[0]!.data).toEqual({ incidentId: 'I1', revision: 2, reason: 'fire out' });
    const s = incidentOf(withdrawn.after, 'I1');
    expect(s.publicWarning).toMatchObject({ withdrawnAt: '2024-01-15T09:05:00.000Z', withdrawReason: 'fire out' });
    expect(hasActiveWarning(s)).toBe(false);
    withdrawn.story.when(withdraw('I1', 6)).thenRejected('NoPublicWarning');
    const again = withdrawn.story.when(issue('I1', {}, 7));
    expect(again.thenEvents('PublicWarningIssued')[0]!.data).toMatchObject({ revision: 3 });
    expect(hasActiveWarning(incidentOf(again.after, 'I1'))).toBe(true);
  });

  it('a cancelled or closed incident has no warning in force and takes no new one', () => {
    const cancelled = given(incidentReceived('I1')).when(issue('I1')).story.and(incidentStatusChanged('I1', 'received', 'cancelled'));
    expect(hasActiveWarning(incidentOf(cancelled.world, 'I1'))).toBe(false);
    expect(cancelled.when(issue('I1', { headline: 'other' }, 9)).thenRejected('IncidentClosed').details).toEqual({ incidentId: 'I1', status: 'cancelled' });
  });

  it('refuses an unknown incident, empty or over-long text and a radius out of range, saying which', () => {
    given().when(issue('I9')).thenRejected('UnknownIncident');
    given().when(withdraw('I9')).thenRejected('UnknownIncident');
    given(incidentReceived('I1')).when(withdraw('I1')).thenRejected('NoPublicWarning');
    const story = given(incidentReceived('I1'));
    expect(story.when(issue('I1', { headline: '   ' })).thenRejected('InvalidPublicWarning').message).toBe('headline is empty');
    expect(story.when(issue('I1', { instruction: 'x'.repeat(1001) })).thenRejected('InvalidPublicWarning').message).toMatch(/instruction is longer than 1000/);
    expect(story.when(issue('I1', { radiusM: 10 })).thenRejected('InvalidPublicWarning').message).toMatch(/radiusM/);
    expect(story.when(issue('I1', { radiusM: Number.NaN })).thenRejected('InvalidPublicWarning').message).toMatch(/radiusM/);
  });
});
