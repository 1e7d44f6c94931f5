import type { FastifyReply } from 'fastify';
import type { Outcome } from '../log/writer.ts';
import { sendError, sendRejection } from './error-handler.ts';

/** Sends the error for a failed outcome and returns true, or returns false when it succeeded. */
export function failed(reply: FastifyReply, outcome: Outcome): outcome is Exclude<Outcome, { ok: true }> {
  if (outcome.ok) return false;
  if ('details' in outcome) sendRejection(reply, outcome);
  else sendError(reply, outcome.code, outcome.message);
  return true;
}
