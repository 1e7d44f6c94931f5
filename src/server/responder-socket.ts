import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { TicketAuth } from './auth.ts';
import type { ResponderDevices } from './routes/responder-devices.ts';
import { ownAlert } from '../read-models/alert-views.ts';
import type { Samaritan } from '../composition/samaritan.ts';
import { parseClientFrame } from '../alerting/websocket.ts';
import { sendError } from './error-handler.ts';
import { HttpError } from './error-status.ts';
import { socketErrorLine, type SocketGate } from './socket-limits.ts';

export const STREAM_ROUTE = '/api/volunteers/me/stream';
const OPEN = 1;

/**
 * The responder app's live channel: `GET /api/volunteers/me/stream` upgraded to a WebSocket,
 * authenticated like every route (the device token in `Authorization: Bearer`, checked by the
 * onRequest hook before the upgrade), or, from a browser, by `?ticket=` from
 * `POST /api/volunteers/me/stream/ticket`. The server sends `{"type":"ready"}`, then queued frames:
 * `alert`, `role` (with the walking route), `stand_down`, `expired`, each with a message `id`. The
 * app answers `{"type":"ack","id":…}` (a delivered receipt) and `{"type":"seen","alertId":…}`.
 * A plain HTTP GET is answered 426.
 */
export async function installWebSocket(server: FastifyInstance, gate: SocketGate): Promise<void> {
  // Registered before the auth hook: its onRequest marks upgrade requests first, so that an upgrade
  // refused with 401/403 has its socket destroyed after the answer instead of left open.
  await server.register(websocket, {
    options: { maxPayload: gate.limits.maxPayload },
    errorHandler: (error, socket, req) => {
      const line = socketErrorLine(error);
      req.log.warn(line.fields, line.message);
      if (!line.closed) socket.terminate();
    },
  });
  // Before the upgrade, so that a caller over a limit gets a plain 429; the gate counts for real
  // once the socket is open (SocketGate.admit).
  server.addHook('preHandler', async (req) => {
    if (!req.ws) return;
    const why = gate.refusal(req.principal?.credentialId ?? req.ip);
    if (why !== undefined) throw new HttpError('TooManyConnections', why);
  });
}

/** The stream route; {@link installWebSocket} must have run first. */
export function installResponderSocket(server: FastifyInstance, app: Samaritan, gate: SocketGate, devices: ResponderDevices): void {
  const r = app.responders;
  const ticketAuth: TicketAuth = (ticket) => devices.redeemTicket(ticket);
  server.route({
    method: 'GET',
    url: STREAM_ROUTE,
    schema: {
      tags: ['volunteer alerts'],
      summary: 'WebSocket (upgrade): your alerts, roles and stand-downs as they happen; send {"type":"ack","id"} and {"type":"seen","alertId"}',
      querystring: Type.Object(
        { ticket: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'From POST /api/volunteers/me/stream/ticket, instead of the bearer header' })) },
        { additionalProperties: false },
      ),
    },
    config: { ticketAuth },
    handler: async (_req, reply) => sendError(reply, 'UpgradeRequired', 'Open this route as a WebSocket (Connection: Upgrade)'),
    wsHandler: (socket, req) => {
      const p = req.principal;
      if (p?.subject === undefined) {
        socket.close(4404, 'this token is not bound to a volunteer');
        return;
      }
      if (!gate.admit(socket, p.credentialId, req.log)) return;
      const volunteerId = p.subject;
      const detach = r.sockets.attach(volunteerId, p.credentialId, socket);
      socket.on('close', detach);
      socket.on('pong', () => r.sockets.heard(volunteerId, socket));
      socket.on('message', (data) => {
        if (socket.readyState !== OPEN) return; // closed by the gate: too many messages
        r.sockets.heard(volunteerId, socket);
        const f = parseClientFrame(data);
        if (f === undefined) return;
        if (f.type === 'ping') {
          socket.send(JSON.stringify({ type: 'pong' }));
        } else if (f.type === 'ack') {
          r.outbox
            .get(f.id)
            .then((m) => (m !== undefined && m.volunteerId === volunteerId ? r.receipts.delivered(m, 'websocket', app.clock()) : false))
            .catch((e: unknown) => req.log.warn({ err: e }, 'delivered receipt not recorded'));
        } else {
          ownAlert(app, volunteerId, f.alertId)
            .then((own) => (own ? r.receipts.seen({ alertId: f.alertId, incidentId: own.incidentId, volunteerId }, 'websocket', app.clock()) : false))
            .catch((e: unknown) => req.log.warn({ err: e }, 'seen receipt not recorded'));
        }
      });
      socket.send(JSON.stringify({ type: 'ready', volunteerId }));
      // Anything still waiting for this volunteer goes out now, over this socket too.
      r.outbox
        .hurry(volunteerId, app.clock())
        .then(() => r.worker.kick())
        .catch((e: unknown) => req.log.warn({ err: e }, 'queued messages not hurried'));
    },
  });
}
