/**
 * Where each alerted volunteer was when they were alerted: the one place a volunteer's precise
 * position is written down. It justifies the alert (they were this close) and routes their role,
 * and it is kept only for `retention` (30 days by default), then purged by the timer scheduler.
 * It never enters the event log, which keeps only the walking time. When a volunteer deletes their
 * account, their rows are anonymised at once: the position and the ids go, the distance stays.
 * The rows live with the delivery queue (OutboxStore: enqueue with positions, alertPosition,
 * purgeAlertPositions, anonymiseAlertPositions).
 */
export const DEFAULT_AUDIT_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

