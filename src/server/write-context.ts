import type { FastifyRequest } from 'fastify';
import { actorOf } from '../accounts/accounts.ts';
import type { WriteContext } from '../log/writer.ts';

/**
 * Who a request writes as, and its id: the signed-in user, the token or the volunteer's device;
 * a public route (sign-up) writes as the system part named `anonymous`.
 */
export function writeContext(req: FastifyRequest): WriteContext {
  const actor = req.principal ? actorOf(req.principal) : ({ kind: 'system', id: 'anonymous' } as const);
  return { actor, requestId: req.id };
}
