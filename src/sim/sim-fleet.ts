import type { Command } from '../core/commands.ts';
import type { StoredEvent } from '../core/events.ts';
import { epochMs, seconds } from '../core/ids.ts';
import type { IncidentState } from '../core/incident.ts';
import type { LatLon } from '../core/lat-lon.ts';
import { recommend, type UnitWhereabouts } from '../core/recommend.ts';
import type { TravelTimeEstimator } from '../core/travel-time.ts';
import { evolveUnit, type UnitState } from '../core/unit.ts';
import { BY_ROAD, unitTravel, type TravelBy } from '../core/unit-travel.ts';
import type { Configuration } from '../config/configuration.ts';
import { demoCityCommands } from '../composition/demo-city.ts';
import type { Scenario } from './scenario.ts';

/** The stations and fleet of `samaritan serve`, with the scenario's changes, as commands to the writer. */
export function cityCommands(config: Configuration, scenario: Scenario, now: number): Command[] {
  const moved = new Map(scenario.stations.move.map((s) => [s.id, s.location]));
  const unitMoves = new Map(scenario.units.move.map((u) => [u.id, u.stationId]));
  const removed = new Set(scenario.units.remove);
  const base = demoCityCommands(config, now).flatMap((c): Command[] => {
    if (c.type === 'OpenStation') return [moved.has(c.stationId) ? { ...c, location: moved.get(c.stationId)! } : c];
    if (c.type !== 'CommissionUnit' || removed.has(c.unitId)) return [];
    return [unitMoves.has(c.unitId) ? { ...c, stationId: unitMoves.get(c.unitId)! } : c];
  });
  const t = epochMs(now);
  const stations: Command[] = scenario.stations.add.map((s) => ({ type: 'OpenStation', now: t, stationId: s.id, name: s.name, address: '', location: s.location, source: 'scenario' }));
  const units: Command[] = scenario.units.add.map((u) => ({
    type: 'CommissionUnit',
    now: t,
    unitId: u.id,
    name: u.id,
    unitType: u.unitType,
    capabilities: [...(config.unitTypes.get(u.unitType)?.capabilities ?? [])],
    stationId: u.stationId,
  }));
  const opens = base.filter((c) => c.type === 'OpenStation');
  return [...opens, ...stations, ...base.filter((c) => c.type !== 'OpenStation'), ...units];
}

/** One unit a dispatch chose for one real row, with the place it leaves from. */
export interface Pick {
  readonly rowIndex: number;
  readonly unitId: string;
  readonly unitType: string;
  readonly origin: LatLon;
  /** At its station and available: the crew turns out; on the road it is already rolling. */
  readonly atStation: boolean;
  /** The policy's ETA (its own estimator and the configured turnout), as the server would quote it. */
  readonly etaS: number;
  /** The road's drive time from the origin (what the replay uses for travel, whatever the policy). */
  readonly roadTravelS: number | undefined;
}

/**
 * The fleet as the replay sees it: each unit's state folded from the log with the core's own
 * `evolveUnit` (as the server's fleet view does), and where it is between events: at its station,
 * or at its last scene when it is driving back.
 */
export class SimFleet {
  private readonly units = new Map<string, UnitState>();
  private readonly homes = new Map<string, LatLon>();
  private readonly stations = new Map<string, LatLon>();
  /** Units away from their station: where they left from last (their last scene). */
  private readonly away = new Map<string, LatLon>();
  private readonly byType = new Map<string, string[]>();

  constructor(
    private readonly config: Configuration,
    private readonly road: TravelTimeEstimator,
    /** Off: a unit is always timed from its station, as if it were home the moment it cleared. */
    private readonly lastScene = true,
  ) {}

  /** Follows the log: stations opened, units commissioned, every status change. */
  notice(events: readonly StoredEvent[]): void {
    for (const e of events) {
      if (e.type === 'StationOpened') this.stations.set(e.data.stationId, e.data.location);
      if (e.type === 'UnitCommissioned') {
        const at = this.stations.get(e.data.stationId);
        if (at) this.homes.set(e.data.unitId, at);
        const list = this.byType.get(e.data.unitType) ?? [];
        list.push(e.data.unitId);
        this.byType.set(e.data.unitType, list);
      }
      if (e.type === 'UnitCommissioned' || e.type === 'UnitStatusChanged' || e.type === 'UnitPositionRecorded') {
        const id = e.data.unitId;
        const next = evolveUnit(this.units.get(id), e);
        if (next) this.units.set(id, next);
      }
    }
  }

  unit(id: string): UnitState | undefined {
    return this.units.get(id);
  }

  home(id: string): LatLon | undefined {
    return this.homes.get(id);
  }

  get unitIds(): readonly string[] {
    return [...this.units.keys()];
  }

  /** Where the unit is now for a dispatch: its last scene while away, else its station. */
  whereabouts(id: string): LatLon | undefined {
    return this.away.get(id) ?? this.homes.get(id);
  }

  leftFrom(id: string, at: LatLon): void {
    if (this.lastScene) this.away.set(id, at);
  }

  backHome(id: string): void {
    this.away.delete(id);
  }

  travelBy = (unitType: string): TravelBy => {
    const t = this.config.unitTypes.get(unitType);
    return t?.travel === 'water' ? { by: 'water', speedMps: t.speedMps } : BY_ROAD;
  };

  /** Drive time by road (or a boat's straight line) from each origin to `to`; undefined: no route. */
  travel(to: LatLon, origins: readonly { id: string; location: LatLon; unitType: string }[]): (number | undefined)[] {
    return unitTravel(to, origins, this.road, this.travelBy).map((t) => t?.travelS);
  }

  /**
   * `recommend` asks the road once per unit type; a group of several types would search back from
   * the same scene each time. Asking for every unit of those types in one call first leaves the
   * answers remembered (the estimator is the replay's TravelCache) for the asks that follow.
   */
  private askOnce(to: LatLon, types: readonly string[]): void {
    const origins = types.flatMap((t) =>
      this.travelBy(t).by !== 'road'
        ? []
        : (this.byType.get(t) ?? []).flatMap((id) => {
            const location = this.whereabouts(id);
            return location === undefined ? [] : [{ id, location, unitType: t }];
          }),
    );
    if (origins.length > 0) this.road.travelTimes(to, origins);
  }

  /**
   * Fills rows of one incident with units of the rows' types, through the core's `recommend`: one
   * plan per unit type (the type's first capability, as many as the rows of that type), only the
   * units of that type, the policy's estimator, and each unit where it is. A row no unit can fill
   * is a shortfall: units busy elsewhere are not available, the next one goes or none does.
   */
  choose(incident: IncidentState, rows: readonly { index: number; unitType: string }[], estimator: TravelTimeEstimator): { picks: Pick[]; shortfalls: number } {
    const picks: Pick[] = [];
    let shortfalls = 0;
    const types = [...new Set(rows.map((r) => r.unitType))];
    if (estimator === this.road && types.length > 1) this.askOnce(incident.details.location, types);
    for (const unitType of types) {
      const wanted = rows.filter((r) => r.unitType === unitType);
      const profile = this.config.unitTypes.get(unitType);
      const capability = profile?.capabilities[0];
      const ids = this.byType.get(unitType) ?? [];
      if (capability === undefined || ids.length === 0) {
        shortfalls += wanted.length;
        continue;
      }
      const units: UnitWhereabouts[] = ids.flatMap((id) => {
        const unit = this.units.get(id);
        const location = this.whereabouts(id);
        if (!unit || !location) return [];
        const home = !this.away.has(id);
        return [{ unit, location, source: home ? 'station' : 'live', placeName: home ? `station ${unit.stationId}` : 'its last scene' }];
      });
      const r = recommend({
        incident,
        plan: { nature: incident.details.nature, label: unitType, defaultPriority: 1, units: [{ capability, count: wanted.length }], volunteerRoles: [] },
        units,
        estimator,
        turnoutS: (t) => seconds(this.config.unitTypes.get(t)?.turnoutS ?? 60),
        travelBy: this.travelBy,
      });
      const chosen = r.candidates.slice(0, wanted.length);
      shortfalls += wanted.length - chosen.length;
      const origins = chosen.map((c) => ({ id: c.unitId, location: this.whereabouts(c.unitId)!, unitType: c.unitType }));
      const road = estimator === this.road ? chosen.map((c) => c.travelS as number) : this.travel(incident.details.location, origins);
      chosen.forEach((c, k) => {
        picks.push({
          rowIndex: wanted[k]!.index,
          unitId: c.unitId,
          unitType: c.unitType,
          origin: origins[k]!.location,
          atStation: c.fromLastPosition === undefined,
          etaS: c.etaS,
          roadTravelS: road[k],
        });
      });
    }
    return { picks, shortfalls };
  }
}
