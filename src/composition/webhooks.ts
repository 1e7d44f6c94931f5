import type { StreamState } from '../core/loaded.ts';
import type { WebhookSubscriber } from '../config/webhooks-config.ts';
import type { LogTail } from '../log/log-tail.ts';
import type { Queries } from '../read-models/queries.ts';
import { PerTerm } from './background.ts';
import { WebhookSender } from '../reactors/webhook-sender.ts';
import type { EventStore } from '../store/event-store.ts';
import type { OutboxStore } from '../store/outbox-store.ts';
import type { Clock } from '../time/clock.ts';
import { ourCentre } from './handovers.ts';
import { currentEido } from './incident-eido.ts';

/** Retry timings of the webhooks (tests shorten them). */
export interface WebhookOptions {
  readonly backoffMs?: number;
  readonly maxBackoffMs?: number;
  readonly timeoutMs?: number;
  readonly random?: () => number;
  /** Where the sender's lines go (default stderr): a subscriber failing, working again, refusing. */
  readonly log?: (line: string) => void;
}

/** Builds the sender of the integration webhooks, following the log; it runs on the leader only (a fresh one each term). */
export function createWebhooks(
  d: { store: EventStore<StreamState>; outbox: OutboxStore; tail: LogTail; queries: Queries; time: Clock; subscribers: readonly WebhookSubscriber[] },
  options: WebhookOptions = {},
): PerTerm<WebhookSender> {
  const centre = ourCentre();
  const make = () =>
    new WebhookSender({
      store: d.store,
      cursors: d.outbox,
      subscribers: d.subscribers,
      eido: async (incidentId) => {
        const doc = await currentEido(d, incidentId, centre);
        return doc === undefined ? undefined : JSON.stringify(doc);
      },
      time: d.time,
      random: options.random ?? Math.random,
      ...(options.backoffMs === undefined ? {} : { backoffMs: options.backoffMs }),
      ...(options.maxBackoffMs === undefined ? {} : { maxBackoffMs: options.maxBackoffMs }),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      log: options.log ?? ((line) => process.stderr.write(`${line}\n`)),
    });
  const term = new PerTerm('webhooks', make);
  d.tail.follow((events) => term.sender.notice(events));
  return term;
}
