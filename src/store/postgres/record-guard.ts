/**
 * Thrown by a record write whose guard does not hold (a receipt column already set): the store
 * refuses that append alone with `RecordConflict`.
 */
export class RecordGuardFailed extends Error {}
