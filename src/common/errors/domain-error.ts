import type { ErrorCode } from './error-code';

export interface ErrorDetail {
  /** The offending field, in the request's own terms (`amount`, `phoneNumber`, `payer.partyId`). */
  field?: string;
  message: string;
  [key: string]: unknown;
}

export interface DomainErrorOptions {
  details?: ErrorDetail[];
  /** Seconds after which a retry may succeed; sent as `Retry-After`. */
  retryAfterSeconds?: number;
  cause?: unknown;
}

/**
 * The one error type services throw. It knows nothing of HTTP: `DomainErrorFilter` maps the code
 * to a status. The message is safe to show to a caller; never put upstream bodies or secrets in it.
 */
export class DomainError extends Error {
  readonly details?: ErrorDetail[];
  readonly retryAfterSeconds?: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: DomainErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DomainError';
    this.details = options.details;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}
