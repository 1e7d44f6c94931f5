import { EVENT_TYPES, type EventType } from '../core/events.ts';
import { PROJECT_ROOT } from './configuration.ts';
import { failIn, httpUrlOf, peerEntries, readPeerFile } from './peer-file.ts';
import { signingKeyOf } from './signing-key.ts';

/**
 * A system that follows our log over HTTP (a county GIS, a hospital board, a records system): each
 * event it subscribes to is POSTed to `url` as JSON, signed with `key`, and, when `eido` is set,
 * every change of an incident also as the incident's NENA EIDO document.
 */
export interface WebhookSubscriber {
  readonly id: string;
  readonly url: string;
  /** The event types it receives: every one (`'all'`), or these (none: EIDO documents only). */
  readonly events: 'all' | readonly EventType[];
  readonly eido: boolean;
  readonly key: string;
}

const KNOWN = new Set<string>(EVENT_TYPES);

/** Checks the file's content; every problem stops start-up with the file, the subscriber and the field. */
export function parseWebhooks(raw: unknown, env: Readonly<Record<string, string | undefined>>, file: string): WebhookSubscriber[] {
  return peerEntries(raw, 'webhooks', file).map(({ id, entry: o }): WebhookSubscriber => {
    const url = httpUrlOf(id, o, file);
    const events = o['events'] ?? 'all';
    if (events !== 'all') {
      if (!Array.isArray(events) || events.some((t) => typeof t !== 'string')) failIn(file, `${id}.events must be "all" or a list of event types`);
      const unknown = (events as string[]).filter((t) => !KNOWN.has(t));
      if (unknown.length > 0) failIn(file, `${id}.events: ${unknown.join(', ')} ${unknown.length === 1 ? 'is not an event type' : 'are not event types'} (docs/architecture.md lists them)`);
    }
    const eido = o['eido'] ?? false;
    if (typeof eido !== 'boolean') failIn(file, `${id}.eido must be true or false`);
    const key = signingKeyOf(id, o, env, (what) => failIn(file, what));
    return { id, url, events: events === 'all' ? 'all' : [...new Set(events as EventType[])], eido, key };
  });
}

/**
 * Reads the webhook subscribers: `SAMARITAN_WEBHOOKS_FILE`, else config/webhooks.json; no file, no
 * subscriber. Read once at start-up.
 */
export function loadWebhooks(env: Readonly<Record<string, string | undefined>> = process.env): WebhookSubscriber[] {
  const file = env['SAMARITAN_WEBHOOKS_FILE'] ?? `${PROJECT_ROOT}config/webhooks.json`;
  const raw = readPeerFile(file);
  if (raw === undefined) return [];
  return parseWebhooks(raw, env, file);
}
