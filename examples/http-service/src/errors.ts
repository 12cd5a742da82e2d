import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

/**
 * A refusal: its status, a stable code and one sentence go to the client. Whatever explains it
 * further (a decoder's message, a temporary path) goes in `cause`, which only the log sees.
 */
export class ServiceError extends Error {
  readonly retryAfterSeconds?: number;

  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    options?: { cause?: unknown; retryAfterSeconds?: number },
  ) {
    super(message, options);
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
}

// Fastify's and its plugins' own refusals carry messages written for developers (and a multipart
// parser's may quote the body): clients get one fixed sentence per status instead.
const BY_STATUS: Record<number, [string, string]> = {
  400: ['bad_request', 'the request is malformed'],
  413: ['too_large', 'the upload is larger than this service accepts'],
  415: ['unsupported_type', 'send image/*, video/*, application/octet-stream or multipart/form-data'],
};

/** The service's one error handler: a code and a sentence to the client, the details to the log. */
export function sendError(error: FastifyError | ServiceError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof ServiceError) {
    const cause = error.cause instanceof Error ? error.cause.message : undefined;
    request.log.info({ code: error.code, cause }, error.message);
    if (error.retryAfterSeconds !== undefined) reply.header('retry-after', error.retryAfterSeconds);
    return reply.code(error.statusCode).send({ error: error.code, message: error.message });
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const [code, message] = BY_STATUS[status] ?? BY_STATUS[400];
    request.log.info({ code, err: error.message }, message);
    return reply.code(status).send({ error: code, message });
  }
  request.log.error({ err: error }, 'check failed');
  return reply.code(500).send({ error: 'internal', message: 'the check failed; see the service log' });
}
