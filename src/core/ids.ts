/** Branded identifiers and units of measure, all in one place so they cannot be mixed up. */
declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

export type IncidentId = Brand<string, 'IncidentId'>;
export type UnitId = Brand<string, 'UnitId'>;
export type StationId = Brand<string, 'StationId'>;

/** Milliseconds since the Unix epoch; the only clock type the core accepts. */
export type EpochMs = Brand<number, 'EpochMs'>;
export type Seconds = Brand<number, 'Seconds'>;
export type Meters = Brand<number, 'Meters'>;
export type MetersPerSecond = Brand<number, 'MetersPerSecond'>;

export const incidentId = (s: string): IncidentId => s as IncidentId;
export const unitId = (s: string): UnitId => s as UnitId;
export const stationId = (s: string): StationId => s as StationId;
export const epochMs = (n: number): EpochMs => n as EpochMs;
export const seconds = (n: number): Seconds => n as Seconds;
export const meters = (n: number): Meters => n as Meters;
export const metersPerSecond = (n: number): MetersPerSecond => n as MetersPerSecond;

/** ISO-8601 UTC text of an instant; events carry this form. */
export const isoAt = (t: EpochMs): string => new Date(t).toISOString();
