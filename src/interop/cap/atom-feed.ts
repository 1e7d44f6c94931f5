import { capNode, capTime, type CapAlert, type CapOptions, CAP_CONTENT_TYPE } from './cap-alert.ts';
import { el, withAttrs, writeXml, XML_DECLARATION } from '../xml/xml-writer.ts';

/**
 * The Atom feed (RFC 4287) of public warnings, one entry per alert with the CAP alert inside
 * (`content type="text/xml"`, as alerting hubs read it) and a link to the alert on its own.
 */
export const ATOM_NAMESPACE = 'http://www.w3.org/2005/Atom';
export const ATOM_CONTENT_TYPE = 'application/atom+xml';

export interface FeedEntry {
  readonly alert: CapAlert;
  /** Where the alert alone is served (absolute URL). */
  readonly href: string;
}

export interface FeedOptions extends CapOptions {
  /** The feed's own absolute URL: its id and its `self` link. */
  readonly selfUrl: string;
  readonly title: string;
  /** When the feed was made: its `updated` when no entry is newer (an empty feed). */
  readonly now: string;
}

export function capFeed(entries: readonly FeedEntry[], o: FeedOptions): string {
  const newest = entries.map((e) => e.alert.sent).reduce((a, b) => (a > b ? a : b), '');
  const updated = capTime(newest === '' ? o.now : newest);
  const feed = withAttrs(
    el(
      'feed',
      el('id', o.selfUrl),
      el('title', o.title),
      el('updated', updated),
      el('author', el('name', o.senderName)),
      withAttrs(el('link'), { rel: 'self', type: ATOM_CONTENT_TYPE, href: o.selfUrl }),
      ...entries.map((e) =>
        el(
          'entry',
          el('id', e.href),
          el('title', e.alert.info.headline),
          el('updated', capTime(e.alert.sent)),
          withAttrs(el('link'), { rel: 'alternate', type: CAP_CONTENT_TYPE, href: e.href }),
          el('summary', `${e.alert.info.event}: ${e.alert.info.area?.areaDesc ?? ''}`),
          withAttrs(el('content', capNode(e.alert, o)), { type: 'text/xml' }),
        ),
      ),
    ),
    { xmlns: ATOM_NAMESPACE },
  );
  return `${XML_DECLARATION}\n${writeXml(feed)}\n`;
}
