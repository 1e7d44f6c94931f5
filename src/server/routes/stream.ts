import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Principal } from '../../accounts/accounts.ts';
import type { ShortLivedStore } from '../../store/short-lived-store.ts';
import { visibleTo } from '../../read-models/event-visibility.ts';
import { principalOf, sessionCookie } from '../auth.ts';
import { sendError } from '../error-handler.ts';
import { OneTimeSecrets } from '../one-time-secrets.ts';
import { HttpError } from '../error-status.ts';
import type { RouteDeps } from '../route-deps.ts';
import type { SocketGate } from '../socket-limits.ts';
import { StreamClient, type StreamLimits } from '../stream-client.ts';

export const LIVE_STREAM_ROUTE = '/api/stream';

export interface StreamOptions extends Partial<StreamLimits> {
  /** How long a ticket from `POST /api/stream/ticket` may be used, ms. */
  readonly ticketTtlMs?: number;
}

const DEFAULTS = { pageSize: 500, maxQueued: 10_000, heartbeatMs: 15_000, ticketTtlMs: 30_000 } as const;
const StreamQuery = Type.Object(
  {
    after: Type.Optional(
      Type.Integer({ minimum: 0, description: 'Send the events with seq greater than this (default: the head, i.e. only new events)' }),
    ),
    ticket: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'From POST /api/stream/ticket; needed with the session cookie' })),
  },
  { additionalProperties: false },
);

const TicketAnswer = Type.Object({ ticket: Type.String(), expiresAt: Type.String({ format: 'date-time' }) });

/**
 * Single-use tickets for opening the stream with the session cookie. A browser's WebSocket sends
 * the cookie whichever page opens it, so the cookie alone would let another site read the stream;
 * a ticket can only be obtained with the session's CSRF token, is bound to the credential that
 * asked for it, and is spent on first use (on whichever node it is presented). Only a hash of each
 * ticket is kept.
 */
class StreamTickets {
  private readonly secrets: OneTimeSecrets<{ readonly credentialId: string }>;

  constructor(records: ShortLivedStore, clock: () => number, ttlMs: number) {
    this.secrets = new OneTimeSecrets(records, 'secret:stream-ticket:', clock, ttlMs);
  }

  async issue(credentialId: string): Promise<{ ticket: string; expiresAt: string }> {
    const ticket = `stk_${randomBytes(24).toString('base64url')}`;
    return { ticket, ...(await this.secrets.issue(ticket, { credentialId })) };
  }

  /** Spends a ticket: true if it was issued to this credential and has not expired. */
  async redeem(ticket: string, credentialId: string): Promise<boolean> {
    return (await this.secrets.take(ticket))?.credentialId === credentialId;
  }
}

/**
 * The console's live stream: `GET /api/stream?after=<seq>` upgraded to a WebSocket, one JSON
 * message `{seq, type, at, actor, data}` per event the caller may read, in log order (see
 * stream-client.ts for catch-up, live delivery, back-pressure and the heartbeat).
 */
export const streamRoutes =
  ({ app }: RouteDeps, gate: SocketGate, options: StreamOptions = {}): FastifyPluginAsyncTypebox =>
  async (server) => {
    const limits: StreamLimits = {
      pageSize: options.pageSize ?? DEFAULTS.pageSize,
      maxQueued: options.maxQueued ?? DEFAULTS.maxQueued,
      heartbeatMs: options.heartbeatMs ?? DEFAULTS.heartbeatMs,
    };
    const tickets = new StreamTickets(app.shortLived, app.clock, options.ticketTtlMs ?? DEFAULTS.ticketTtlMs);

    server.post(
      '/api/stream/ticket',
      {
        schema: {
          tags: ['events'],
          summary: 'A single-use ticket (valid 30 s) for opening /api/stream from a browser signed in with the session cookie',
          response: { 200: TicketAnswer },
        },
        config: { rateLimit: { max: 60, timeWindow: 60_000, keyGenerator: (req) => req.principal?.credentialId ?? req.ip } },
      },
      async (req) => tickets.issue(principalOf(req).credentialId),
    );

    server.route({
      method: 'GET',
      url: LIVE_STREAM_ROUTE,
      schema: {
        tags: ['events'],
        summary:
          'WebSocket (upgrade): the events you may read, one message {seq,type,at,actor,data} each, from ?after=<seq> (default: only new ones)',
        querystring: StreamQuery,
      },
      preHandler: async (req) => {
        const { after, ticket } = req.query;
        if (after !== undefined) {
          const head = await app.store.headSeq();
          if (after > head) throw new HttpError('ValidationFailed', `after=${after} is beyond the head of the log (${head})`, { after, head });
        }
        // Only an upgrade spends a ticket; a plain GET is answered 426 below.
        if (req.ws && principalOf(req).via === 'session') {
          if (ticket === undefined) {
            throw new HttpError('Unauthenticated', 'With the session cookie, open the stream with ?ticket= from POST /api/stream/ticket');
          }
          if (!(await tickets.redeem(ticket, principalOf(req).credentialId))) {
            throw new HttpError('Unauthenticated', 'The stream ticket is not valid: expired, already used, or issued to another sign-in');
          }
        }
      },
      handler: async (_req, reply) => sendError(reply, 'UpgradeRequired', 'Open this route as a WebSocket (Connection: Upgrade)'),
      wsHandler: (socket, req) => {
        const p = principalOf(req);
        if (!gate.admit(socket, p.credentialId, req.log)) return;
        const client = new StreamClient({
          socket,
          time: app.time,
          source: { readAfter: (after, limit) => app.store.readAfter(after, limit), tail: app.tail },
          visible: visibleTo(p),
          after: req.query.after ?? app.tail.position,
          limits,
          stillValid: revalidate(app, req, p),
          onError: (e) => req.log.warn({ err: e }, 'live stream'),
        });
        client.start();
      },
    });
  };

/** Checks at each heartbeat that the credential that opened the stream still holds, with the same role. */
function revalidate(app: RouteDeps['app'], req: FastifyRequest, p: Principal): () => Promise<boolean> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const presented = bearer ?? sessionCookie(req);
  const kind = bearer === undefined ? 'session' : 'bearer';
  return async () => {
    if (presented === undefined) return false;
    const now = await app.accounts.authenticate(presented, kind);
    return now !== undefined && now.credentialId === p.credentialId && now.role === p.role;
  };
}
