import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { actorOf } from '../accounts/accounts.ts';
import { principalOf } from './auth.ts';

/**
 * JSON with every object's keys sorted, all the way down: the same request sent with its keys in
 * another order is the same request.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The Idempotency-Key as stored: scoped to the caller's own credential (the user, for a console
 * session), never to a name or role, so two callers choosing the same key never meet; and to the
 * method and the concrete path (without its query), so one key sent to two resources is two
 * requests, not a replay of the first. The fingerprint is a hash of the canonical body. The store
 * forgets keys after 24 h.
 */
export function idempotencyFor(
  req: FastifyRequest,
  key: string,
  result: unknown,
): { readonly key: string; readonly fingerprint: string; readonly result: unknown } {
  const actor = actorOf(principalOf(req));
  const path = req.url.split('?', 1)[0]!;
  return {
    key: `${actor.kind}:${actor.id} ${req.method} ${path} ${key}`,
    fingerprint: createHash('sha256').update(canonicalJson(req.body)).digest('hex'),
    result,
  };
}
