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
import { changeUnitStatus, commissionUnit, openStation, recordUnitPosition } from './decide-unit.ts';
import type { IncidentId, StationId, UnitId } from './ids.ts';
import { activeUnitIds } from './incident.ts';
import { incidentIn, unitIn, type Loaded } from './loaded.ts';
import { incidentStream, stationStream, unitStream } from './streams.ts';

const inc = (id: string) => incidentStream(id as IncidentId);
const unit = (id: string) => unitStream(id as UnitId);

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
    }
  })();
  return wanted.filter((s) => !l.has(s));
}

/** Decides a command against the loaded states: the events to append, or a rejection. */
export function decide(c: Command, l: Loaded, rules: IncidentRules): Decision {
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
      return changeUnitStatus(c, l);
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
      return importIncident(c, l);
  }
}
