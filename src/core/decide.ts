import type { Command } from './commands.ts';
import type { Decision } from './decision.ts';
import {
  cancelIncident,
  closeIncident,
  dispatchUnits,
  importIncident,
  mergeIncident,
  receiveIncident,
  resolveIncident,
  updateIncident,
  type IncidentRules,
} from './decide-incident.ts';
import { acceptAlert, declineAlert, reportArrival } from './decide-answer.ts';
import { expireAlert, sendNextWave, standDownVolunteers, startVolunteerResponse } from './decide-response.ts';
import { changeUnitStatus, commissionUnit, openStation, recordUnitPosition, type UnitRules } from './decide-unit.ts';
import {
  declareQualification,
  deleteVolunteer,
  registerVolunteer,
  setAvailability,
  setLocationConsent,
  verifyQualification,
} from './decide-volunteer.ts';
import { unalerted } from './alert-waves.ts';
import { issuePublicWarning, withdrawPublicWarning } from './public-warning.ts';
import { handOverIncident } from './handover.ts';
import type { IncidentId, StationId, UnitId } from './ids.ts';
import { activeUnitIds } from './incident.ts';
import { incidentIn, responseIn, unitIn, volunteerIn, type Loaded } from './loaded.ts';
import { incidentStream, responseStream, stationStream, unitStream, volunteerStream } from './streams.ts';
import { incidentOfAlert } from './response-steps.ts';
import { openAlertsOf } from './volunteer.ts';
import type { VolunteerPolicy } from './volunteer-policy.ts';

const inc = (id: string) => incidentStream(id as IncidentId);
const unit = (id: string) => unitStream(id as UnitId);

/**
 * The configuration `decide` reads. The volunteer policy is optional so that a deployment without
 * one still decides every other command; volunteer-response commands are then rejected.
 */
export interface DecideRules extends IncidentRules, UnitRules {
  readonly volunteerPolicy?: VolunteerPolicy;
}

/**
 * The streams a command must be decided against, given what is loaded so far. Callers load the
 * missing ones and ask again until nothing is missing: a unit's status change, for instance,
 * first needs the unit, then the incident the unit turns out to be committed to.
 */
export function streamsNeeded(c: Command, l: Loaded): string[] {
  const wanted = ((): string[] => {
    switch (c.type) {
      case 'OpenStation':
        return [stationStream(c.stationId as StationId)];
      case 'CommissionUnit':
        return [unit(c.unitId)];
      case 'ReceiveIncident':
      case 'UpdateIncident':
      case 'ResolveIncident':
      case 'CloseIncident':
      case 'IssuePublicWarning':
      case 'WithdrawPublicWarning':
      case 'HandOverIncident':
        return [inc(c.incidentId)];
      case 'ImportIncident':
        return [inc(c.incident.incidentId)];
      case 'DispatchUnits':
        return [inc(c.incidentId), ...c.unitIds.map(unit)];
      case 'CancelIncident': {
        const s = incidentIn(l, c.incidentId);
        return [inc(c.incidentId), ...(s === undefined ? [] : activeUnitIds(s).map(unit))];
      }
      case 'MergeIncident':
        return [inc(c.incidentId), inc(c.into)];
      case 'ChangeUnitStatus': {
        const u = unitIn(l, c.unitId);
        return [unit(c.unitId), ...(u?.incidentId === undefined ? [] : [inc(u.incidentId)])];
      }
      case 'RecordUnitPosition':
        return [unit(c.unitId)];
      case 'RegisterVolunteer':
      case 'DeclareQualification':
      case 'VerifyQualification':
        return [volunteerStream(c.volunteerId)];
      case 'SetAvailability':
      case 'SetLocationConsent':
      case 'DeleteVolunteer': {
        // Going off duty, withdrawing consent or deleting withdraws open alerts: their responses too.
        const v = volunteerIn(l, c.volunteerId);
        return [
          volunteerStream(c.volunteerId),
          ...(v === undefined ? [] : openAlertsOf(v).map((a) => responseStream(a.incidentId))),
        ];
      }
      case 'StartVolunteerResponse':
        return [inc(c.incidentId), responseStream(c.incidentId), ...c.candidates.map((x) => volunteerStream(x.volunteerId))];
      case 'SendNextWave': {
        const s = responseIn(l, c.incidentId);
        const next = s === undefined ? [] : unalerted(s).map((x) => volunteerStream(x.volunteerId));
        return [inc(c.incidentId), responseStream(c.incidentId), ...next];
      }
      case 'AcceptAlert':
      case 'DeclineAlert':
      case 'ReportArrival': {
        const incidentId = incidentOfAlert(c.alertId, c.volunteerId);
        return [
          volunteerStream(c.volunteerId),
          ...(incidentId === undefined ? [] : [responseStream(incidentId), inc(incidentId)]),
        ];
      }
      case 'ExpireAlert':
        return [responseStream(c.incidentId)];
      case 'StandDownVolunteers':
        return [responseStream(c.incidentId), inc(c.incidentId)];
    }
  })();
  return wanted.filter((s) => !l.has(s));
}

/** Decides a command against the loaded states: the events to append, or a rejection. */
export function decide(c: Command, l: Loaded, rules: DecideRules): Decision {
  switch (c.type) {
    case 'OpenStation':
      return openStation(c, l);
    case 'CommissionUnit':
      return commissionUnit(c, l);
    case 'ReceiveIncident':
      return receiveIncident(c, l, rules);
    case 'UpdateIncident':
      return updateIncident(c, l, rules);
    case 'DispatchUnits':
      return dispatchUnits(c, l);
    case 'ChangeUnitStatus':
      return changeUnitStatus(c, l, rules);
    case 'RecordUnitPosition':
      return recordUnitPosition(c, l);
    case 'CancelIncident':
      return cancelIncident(c, l);
    case 'ResolveIncident':
      return resolveIncident(c, l);
    case 'CloseIncident':
      return closeIncident(c, l);
    case 'MergeIncident':
      return mergeIncident(c, l);
    case 'ImportIncident':
      return importIncident(c, l, rules);
    case 'IssuePublicWarning':
      return issuePublicWarning(c, l);
    case 'WithdrawPublicWarning':
      return withdrawPublicWarning(c, l);
    case 'HandOverIncident':
      return handOverIncident(c, l);
    case 'RegisterVolunteer':
      return registerVolunteer(c, l);
    case 'DeclareQualification':
      return declareQualification(c, l);
    case 'VerifyQualification':
      return verifyQualification(c, l);
    case 'SetAvailability':
      return setAvailability(c, l);
    case 'SetLocationConsent':
      return setLocationConsent(c, l);
    case 'DeleteVolunteer':
      return deleteVolunteer(c, l);
    case 'StartVolunteerResponse':
      return startVolunteerResponse(c, l, rules.volunteerPolicy);
    case 'SendNextWave':
      return sendNextWave(c, l, rules.volunteerPolicy);
    case 'AcceptAlert':
      return acceptAlert(c, l, rules.volunteerPolicy);
    case 'DeclineAlert':
      return declineAlert(c, l);
    case 'ReportArrival':
      return reportArrival(c, l);
    case 'ExpireAlert':
      return expireAlert(c, l);
    case 'StandDownVolunteers':
      return standDownVolunteers(c, l);
  }
}
