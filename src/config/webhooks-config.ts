import { existsSync, readFileSync } from 'node:fs';
import { EVENT_TYPES, type EventType } from '../core/events.ts';
import { PROJECT_ROOT } from './configuration.ts';
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

const ID = /^[a-z0-9][a-z0-9_.-]{0,63}$/;
const KNOWN = new Set<string>(EVENT_TYPES);

function fail(file: string, what: string): never {
  throw new Error(`${file}: ${what}`);
}

/** Checks the file's content; every problem stops start-up with the file, the subscriber and the field. */
export function parseWebhooks(raw: unknown, env: Readonly<Record<string, string | undefined>>, file: string): WebhookSubscriber[] {
  if (typeof raw !== 'object' || raw === null || !Array.isArray((raw as { webhooks?: unknown }).webhooks)) {
    fail(file, 'must be an object with a "webhooks" list');
  }
  const seen = new Set<string>();
  return (raw as { webhooks: unknown[] }).webhooks.map((w, i): WebhookSubscriber => {
    const at = `webhooks[${i}]`;
    if (typeof w !== 'object' || w === null) fail(file, `${at} must be an object`);
    const o = w as Record<string, unknown>;
    const id = o['id'];
    if (typeof id !== 'string' || !ID.test(id)) fail(file, `${at}.id must be 1 to 64 lower-case letters, digits, '.', '_' or '-'`);
    if (seen.has(id)) fail(file, `${at}.id ${id} is listed twice`);
    seen.add(id);
    const url = o['url'];
    if (typeof url !== 'string' || !URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) fail(file, `${id}.url must be an http(s) URL`);
    const events = o['events'] ?? 'all';
    if (events !== 'all') {
      if (!Array.isArray(events) || events.some((t) => typeof t !== 'string')) fail(file, `${id}.events must be "all" or a list of event types`);
      const unknown = (events as string[]).filter((t) => !KNOWN.has(t));
      if (unknown.length > 0) fail(file, `${id}.events: ${unknown.join(', ')} ${unknown.length === 1 ? 'is not an event type' : 'are not event types'} (docs/architecture.md lists them)`);
    }
    const eido = o['eido'] ?? false;
    if (typeof eido !== 'boolean') fail(file, `${id}.eido must be true or false`);
    const key = signingKeyOf(id, o, env, (what) => fail(file, what));
    return { id, url, events: events === 'all' ? 'all' : [...new Set(events as EventType[])], eido, key };
  });
}

/**
 * Reads the webhook subscribers: `SAMARITAN_WEBHOOKS_FILE`, else config/webhooks.json; no file, no
 * subscriber. Read once at start-up.
 */
export function loadWebhooks(env: Readonly<Record<string, string | undefined>> = process.env): WebhookSubscriber[] {
  const file = env['SAMARITAN_WEBHOOKS_FILE'] ?? `${PROJECT_ROOT}config/webhooks.json`;
  if (!existsSync(file)) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    fail(file, `is not valid JSON: ${(e as Error).message}`);
  }
  return parseWebhooks(raw, env, file);
}
