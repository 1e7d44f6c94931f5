import { describe } from 'vitest';
import { accountRules } from './contract/accounts.ts';
import { concurrencyRules } from './contract/concurrency.ts';
import { durabilityRules } from './contract/durability.ts';
import { eventLogRules } from './contract/event-log.ts';
import { type OpenStore, type StoreContractOptions, useHarness } from './contract/harness.ts';
import { idempotencyRules } from './contract/idempotency.ts';
import { outboxRules } from './contract/outbox.ts';
import { profileAndAedRules } from './contract/profiles-and-aeds.ts';
import { receiptRules } from './contract/receipts.ts';
import { recordWriteRules } from './contract/record-writes.ts';
import { shortLivedRules } from './contract/short-lived.ts';
import { snapshotRules } from './contract/snapshots.ts';

export type { OpenStore, StoreContractOptions } from './contract/harness.ts';
export { type TestState, testProjector } from './contract/test-model.ts';

/**
 * The behaviour every Store must have, whatever holds it (SQLite, memory, PostgreSQL, ...): the
 * event log with its snapshots and idempotency records, concurrent appends, and the tables beside
 * the log with the record writes that commit with it. An implementation runs it from its test file:
 *
 *     describeStoreContract('SQLite', (dir, projector) => openSqliteStore(dir, projector), { dropSnapshots })
 *
 * Each test is named after the rule it holds; the rules live in contract/, one file per subject.
 */
export function describeStoreContract(name: string, open: OpenStore, options: StoreContractOptions = {}): void {
  describe(`Store contract: ${name}`, () => {
    const h = useHarness(name, open, options);
    eventLogRules(h);
    snapshotRules(h);
    idempotencyRules(h);
    concurrencyRules(h);
    recordWriteRules(h);
    accountRules(h);
    profileAndAedRules(h);
    outboxRules(h);
    receiptRules(h);
    shortLivedRules(h);
    durabilityRules(h);
  });
}
