import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requestIdOf } from '../http/request-id';
import { DomainError } from './domain-error';
import type { ErrorBody } from './error-body';
import type { ErrorCode } from './error-code';
import { httpStatusOf, isRetryable } from './error-http-status';

/** Retry-After of a 429 or 503 whose cause gave no wait of its own. */
export const DEFAULT_RETRY_AFTER_SECONDS = 5;

const DB_UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08006']);

function isDatabaseUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code ?? (err as { driverError?: { code?: unknown } }).driverError?.code;
  if (typeof code === 'string' && DB_UNAVAILABLE_CODES.has(code)) return true;
  // TypeORM's "query runner already released": the connection died inside a transaction.
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|the database system is (starting up|shutting down)|Query runner already released|query runner was already released/i.test(
    err.message,
  );
}

/** Statuses that Nest or Fastify raise before our code runs, in our codes. */
function codeForHttpStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
    case 415:
      return 'VALIDATION_FAILED';
    case 401:
      return 'UNAUTHORIZED';
    case 403:
      return 'FORBIDDEN';
    case 404:
    case 405:
      return 'NOT_FOUND';
    case 413:
      return 'PAYLOAD_TOO_LARGE';
    case 429:
      return 'RATE_LIMITED';
    case 503:
      return 'DATABASE_UNAVAILABLE';
    default:
      return status >= 500 ? 'INTERNAL_ERROR' : 'VALIDATION_FAILED';
  }
}

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
  retryAfterSeconds?: number;
}

/**
 * Turns anything thrown into the one error shape. Domain errors carry their own code; framework
 * errors (unknown route, malformed JSON, body too large) get the nearest code; anything else is a
 * 500 with an `errorId` that points at the logged error, and nothing internal in the body.
 */
export function toErrorResponse(err: unknown, requestId: string, logger: Logger): ErrorResponse {
  if (err instanceof DomainError) {
    const status = httpStatusOf(err.code);
    return {
      status,
      // Every 429 and 503 says when to come back, even when MTN did not say (a bare 503).
      retryAfterSeconds: err.retryAfterSeconds ?? (status === 429 || status === 503 ? DEFAULT_RETRY_AFTER_SECONDS : undefined),
      body: { code: err.code, message: err.message, details: err.details, retryable: isRetryable(err.code), requestId },
    };
  }
  const fastifyStatus = (err as { statusCode?: unknown } | null)?.statusCode;
  if (err instanceof HttpException || (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500)) {
    const status = err instanceof HttpException ? err.getStatus() : (fastifyStatus as number);
    if (status < 500) {
      const code = codeForHttpStatus(status);
      const message =
        code === 'NOT_FOUND'
          ? 'No such route'
          : status === 415
            ? 'Unsupported content type: send application/json'
            : code === 'PAYLOAD_TOO_LARGE'
              ? 'Request body too large'
              : code === 'VALIDATION_FAILED'
                ? 'The request body is not valid JSON'
                : 'Request refused';
      return { status: code === 'NOT_FOUND' ? 404 : status, body: { code, message, retryable: false, requestId } };
    }
  }
  if (isDatabaseUnavailable(err)) {
    logger.warn({ requestId, err: err instanceof Error ? err.message : String(err) }, 'database unavailable');
    return {
      status: 503,
      retryAfterSeconds: DEFAULT_RETRY_AFTER_SECONDS,
      body: { code: 'DATABASE_UNAVAILABLE', message: 'The database is unavailable; try again shortly', retryable: true, requestId },
    };
  }
  const errorId = randomUUID();
  logger.error({ requestId, errorId, err }, 'unexpected error');
  return {
    status: 500,
    body: { code: 'INTERNAL_ERROR', message: 'Unexpected error', retryable: true, requestId, errorId },
  };
}

export function sendError(reply: FastifyReply, response: ErrorResponse): void {
  if (response.retryAfterSeconds !== undefined) {
    void reply.header('Retry-After', String(Math.max(1, Math.ceil(response.retryAfterSeconds))));
  }
  void reply.status(response.status).header('Content-Type', 'application/json; charset=utf-8').send(response.body);
}

function isHealthReport(body: unknown): boolean {
  return typeof body === 'object' && body !== null && (body as { status?: unknown }).status === 'error' && 'details' in body;
}

@Catch()
export class DomainErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(err: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const request = ctx.getRequest<FastifyRequest>();
    const reply = ctx.getResponse<FastifyReply>();
    // Terminus reports an unready pod as a 503 whose body lists each check: keep it as it is.
    if (err instanceof HttpException && err.getStatus() === 503 && isHealthReport(err.getResponse())) {
      void reply.status(503).send(err.getResponse());
      return;
    }
    sendError(reply, toErrorResponse(err, requestIdOf(request.raw), this.logger));
  }
}
