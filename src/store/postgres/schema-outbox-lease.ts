/**
 * PostgreSQL schema: the delivery queue's leases. `due()` sets `leased_until` (epoch ms) on the
 * messages it hands out, so that a second node's worker (a new leader while the old one still has
 * sends in flight) does not take them too; finishing or retrying a message clears it.
 */
export const OUTBOX_LEASE_SCHEMA = `
ALTER TABLE alert_outbox ADD COLUMN leased_until BIGINT;
`;
