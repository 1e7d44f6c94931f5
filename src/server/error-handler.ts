import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import type { Rejection } from '../core/rejection.ts';
import { StorageUnavailable } from '../store/storage-unavailable.ts';
import { ERROR_STATUS, HttpError, type ErrorBody, type ErrorCode } from './error-status.ts';

export function sendError(reply: FastifyReply, code: ErrorCode, message: string, details?: unknown): FastifyReply {
  const body: ErrorBody = { error: { code, message, ...(details === undefined ? {} : { details }) } };
  return reply.code(ERROR_STATUS[code]).send(body);
}

/** Seconds a client is asked to wait before it tries a write again while the disk cannot take it. */
export const STORAGE_RETRY_AFTER_S = 5;

export const sendRejection = (reply: FastifyReply, r: Rejection): FastifyReply => sendError(reply, r.code, r.message, r.details);

/** Fastify's own 4xx errors, by their code, in our vocabulary. */
const FASTIFY_CODES: Readonly<Record<string, ErrorCode>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'BodyTooLarge',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UnsupportedMediaType',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'MalformedJson',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MalformedJson',
  FST_ERR_CTP_INVALID_JSON_BODY: 'MalformedJson',
};

/**
 * Renders every error in the API's one shape. Client errors say what was wrong; anything else is
 * logged with the request id and answered with a plain 500 that reveals nothing.
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof HttpError) return sendError(reply, err.code, err.message, err.details);
    if (err instanceof StorageUnavailable) {
      // The machine's trouble, not the request's: one line, no stack, and nothing was written.
      req.log.warn({ reqId: req.id, failure: err.failure }, err.message);
      reply.header('retry-after', String(STORAGE_RETRY_AFTER_S));
      return sendError(reply, 'StorageUnavailable', `${err.message}; nothing was written, try again later`);
    }
    if (err.validation) {
      const details = err.validation.map((v) => ({
        path: `${err.validationContext ?? ''}${v.instancePath}`,
        message: v.message ?? 'is invalid',
        ...(v.params && Object.keys(v.params).length > 0 ? { params: v.params } : {}),
      }));
      return sendError(reply, 'ValidationFailed', `Invalid ${err.validationContext ?? 'request'}: ${err.message}`, details);
    }
    const known = err.code ? FASTIFY_CODES[err.code] : undefined;
    if (known) return sendError(reply, known, err.message);
    if (err instanceof SyntaxError || (err.statusCode === 400 && /JSON/i.test(err.message))) {
      return sendError(reply, 'MalformedJson', 'The body is not valid JSON');
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code: ErrorCode =
        status === 413 ? 'BodyTooLarge' : status === 415 ? 'UnsupportedMediaType' : status === 404 ? 'RouteNotFound' : status === 429 ? 'RateLimited' : 'ValidationFailed';
      return sendError(reply, code, err.message);
    }
    req.log.error({ err, reqId: req.id }, 'unhandled error');
    return sendError(reply, 'Internal', `Internal error (request ${req.id})`);
  });
  app.setNotFoundHandler((req, reply) => sendError(reply, 'RouteNotFound', `No route ${req.method} ${req.url.split('?')[0]}`));
}
