import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { StoredEvent } from '../../core/events.ts';
import { visibleTo } from '../../read-models/event-visibility.ts';
import { publicEvent } from '../../read-models/public-event.ts';
import { principalOf } from '../auth.ts';
import type { RouteDeps } from '../route-deps.ts';
import { EventsQuery } from '../schemas.ts';

/** Events read per further store page when filtered-out events left the answer short. */
const SCAN_PAGE = 500;

export const eventRoutes =
  ({ app }: RouteDeps): FastifyPluginAsyncTypebox =>
  async (server) => {
    server.get(
      '/api/events',
      {
        schema: {
          tags: ['events'],
          summary: 'The ordered event log, the events you may read: page with ?after=<next> (the last seq seen will do)',
          querystring: EventsQuery,
        },
      },
      async (req) => {
        const limit = req.query.limit ?? 100;
        const visible = visibleTo(principalOf(req));
        // Events the caller may not read are skipped, and the page is filled from further on, so
        // that an empty page still means the end of the log. `next` is where the scan stopped.
        const events: StoredEvent[] = [];
        let next = req.query.after ?? 0;
        scan: for (let size = limit; ; size = Math.max(limit, SCAN_PAGE)) {
          const page = await app.store.readAfter(next, size);
          for (const e of page) {
            next = e.seq;
            if (!visible(e)) continue;
            events.push(e);
            if (events.length === limit) break scan;
          }
          if (page.length < size) break;
        }
        return {
          events: events.map(publicEvent),
          next,
          head: await app.store.headSeq(),
        };
      },
    );
  };
