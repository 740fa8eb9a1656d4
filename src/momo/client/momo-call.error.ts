import { DomainError, type ErrorDetail } from '../../common/errors/domain-error';
import type { ErrorCode } from '../../common/errors/error-code';

/** How a call to MTN failed: MTN answered with an error, or never answered usably. */
export type MomoFailureKind = 'http' | 'network' | 'timeout' | 'invalid-response';

export interface MomoCallErrorInit {
  kind: MomoFailureKind;
  /** MTN is in trouble rather than refusing this request: see `transient`. */
  transient: boolean;
  httpStatus?: number;
  /** MTN's own code (`PAYER_NOT_FOUND`, `login_failed`, …), never its message or body. */
  mtnCode?: string;
  /** The wait MTN asked for (`Retry-After`, or APIM's "try again in N seconds"). */
  retryAfterMs?: number;
  /** A product call answered 401 without the APIM `statusCode`: the bearer token was refused. */
  tokenRejected?: boolean;
  /** The socket-level code of a transport failure (`ECONNREFUSED`, `ECONNABORTED`), for logs. */
  transportCode?: string;
}

/**
 * A failed call to MTN, as a domain error with our code plus what the plumbing needs to decide
 * on it. The message is ours: MTN's body never reaches it, and neither does the axios error
 * (whose config holds the request headers, secrets included), so there is no `cause`.
 */
export class MomoCallError extends DomainError {
  readonly kind: MomoFailureKind;
  /**
   * True for network errors, timeouts, 429, 502/503/504, INTERNAL_PROCESSING_ERROR,
   * SERVICE_UNAVAILABLE and 5xx answers without a business reason. Exactly these trip the breaker
   * and are retried; everything else proves MTN is up and answering.
   */
  readonly transient: boolean;
  readonly httpStatus?: number;
  readonly mtnCode?: string;
  readonly retryAfterMs?: number;
  readonly tokenRejected: boolean;
  readonly transportCode?: string;
  /** Which attempt of the call failed; set by the client. */
  attempt = 1;

  constructor(code: ErrorCode, message: string, init: MomoCallErrorInit) {
    const details: ErrorDetail[] = [];
    if (init.httpStatus !== undefined || init.mtnCode !== undefined) {
      details.push({
        message: 'MTN answer',
        ...(init.httpStatus !== undefined ? { mtnHttpStatus: init.httpStatus } : {}),
        ...(init.mtnCode !== undefined ? { mtnCode: init.mtnCode } : {}),
      });
    }
    super(code, message, {
      details: details.length > 0 ? details : undefined,
      retryAfterSeconds:
        init.retryAfterMs !== undefined
          ? Math.max(1, Math.ceil(init.retryAfterMs / 1000))
          : undefined,
    });
    this.name = 'MomoCallError';
    this.kind = init.kind;
    this.transient = init.transient;
    this.httpStatus = init.httpStatus;
    this.mtnCode = init.mtnCode;
    this.retryAfterMs = init.retryAfterMs;
    this.tokenRejected = init.tokenRejected ?? false;
    this.transportCode = init.transportCode;
  }
}

/** The classification the breaker uses: only MTN's own trouble counts as a failure. */
export function isMtnTrouble(error: unknown): boolean {
  return error instanceof MomoCallError && error.transient;
}

/**
 * The failures of a call's attempts before the one that ended it, oldest first. Whether a create
 * may have reached MTN depends on every attempt: one that timed out may have landed even when the
 * last attempt was plainly refused (a 503, or the breaker that opened meanwhile).
 */
export function earlierAttemptsOf(error: unknown): readonly unknown[] {
  const earlier = (error as { earlierAttempts?: unknown } | null)?.earlierAttempts;
  return Array.isArray(earlier) ? (earlier as unknown[]) : [];
}

/** Records `earlier` on the error that ended a call (see `earlierAttemptsOf`). */
export function withEarlierAttempts(error: unknown, earlier: unknown[]): unknown {
  if (earlier.length > 0 && error instanceof Error) Object.assign(error, { earlierAttempts: earlier });
  return error;
}
