import type { ErrorCode } from '../../common/errors/error-code';
import { MomoCallError } from './momo-call.error';

/**
 * MTN's answers in our terms, in one place: reason codes (momo-api.md §7.2), the three error body
 * families (§7.1: `{code, message}`, the token endpoint's `{error}`, APIM's `{statusCode, message}`)
 * and transport failures.
 */

interface ReasonEntry {
  code: ErrorCode;
  message: string;
}

const REASONS: Readonly<Record<string, ReasonEntry>> = {
  PAYER_NOT_FOUND: { code: 'PAYER_NOT_FOUND', message: 'The payer has no MTN MoMo account' },
  PAYEE_NOT_FOUND: { code: 'PAYEE_NOT_FOUND', message: 'The payee has no MTN MoMo account' },
  NOT_ALLOWED: { code: 'NOT_ALLOWED', message: 'MTN does not allow this transaction' },
  NOT_ENOUGH_FUNDS: { code: 'NOT_ENOUGH_FUNDS', message: 'The payer does not have enough funds' },
  PAYER_LIMIT_REACHED: {
    code: 'PAYER_LIMIT_REACHED',
    message: "The payer's limit has been reached",
  },
  PAYMENT_NOT_APPROVED: {
    code: 'PAYMENT_NOT_APPROVED',
    message: 'The payer did not approve the payment',
  },
  APPROVAL_REJECTED: { code: 'APPROVAL_REJECTED', message: 'The payer rejected the payment' },
  PAYEE_NOT_ALLOWED_TO_RECEIVE: {
    code: 'PAYEE_NOT_ALLOWED_TO_RECEIVE',
    message: 'The payee is not allowed to receive funds',
  },
  RESOURCE_ALREADY_EXIST: {
    code: 'RESOURCE_ALREADY_EXIST',
    message: 'MTN already has a transaction with this reference id',
  },
  EXPIRED: { code: 'EXPIRED', message: 'The payer did not approve in time' },
  TRANSACTION_CANCELED: { code: 'TRANSACTION_CANCELED', message: 'The transaction was cancelled' },
  COULD_NOT_PERFORM_TRANSACTION: {
    code: 'COULD_NOT_PERFORM_TRANSACTION',
    message: 'MTN could not perform the transaction',
  },
  INVALID_CURRENCY: { code: 'INVALID_CURRENCY', message: 'MTN does not accept this currency here' },
  NOT_ALLOWED_TARGET_ENVIRONMENT: {
    code: 'NOT_ALLOWED_TARGET_ENVIRONMENT',
    message: 'MTN refused the target environment of this account',
  },
  INVALID_CALLBACK_URL_HOST: {
    code: 'INVALID_CALLBACK_URL_HOST',
    message: "MTN refused the callback URL: its host is not the API user's callback host",
  },
  INTERNAL_PROCESSING_ERROR: {
    code: 'INTERNAL_PROCESSING_ERROR',
    message: 'MTN had an internal processing error',
  },
  SERVICE_UNAVAILABLE: { code: 'SERVICE_UNAVAILABLE', message: 'MTN is temporarily unavailable' },
  RESOURCE_NOT_FOUND: {
    code: 'MTN_RESOURCE_NOT_FOUND',
    message: 'MTN does not know this resource',
  },
  // Remittance spellings of the same outcomes.
  TRANSACTION_CANCELLED: { code: 'TRANSACTION_CANCELED', message: 'The transaction was cancelled' },
  TRANSACTION_NOT_FOUND: {
    code: 'MTN_RESOURCE_NOT_FOUND',
    message: 'MTN does not know this resource',
  },
};

/** Reasons that say MTN itself is struggling, whatever the HTTP status. */
const TRANSIENT_REASONS: ReadonlySet<string> = new Set([
  'INTERNAL_PROCESSING_ERROR',
  'SERVICE_UNAVAILABLE',
]);
const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/** `TRANSACTION_CANCELED.` (the remittance spec's stray dot), ` expired ` → the canonical code. */
export function normaliseReasonCode(code: string): string {
  return code.trim().replace(/\.+$/, '').toUpperCase();
}

/** A `reason` as MTN sends it: a bare string (live sandbox) or `{code, message}` (the spec). */
export function reasonCodeOf(reason: unknown): string | undefined {
  if (typeof reason === 'string')
    return reason.trim() === '' ? undefined : normaliseReasonCode(reason);
  if (reason !== null && typeof reason === 'object') {
    const code = (reason as { code?: unknown }).code;
    if (typeof code === 'string' && code.trim() !== '') return normaliseReasonCode(code);
  }
  return undefined;
}

/** Our code for an MTN reason, or undefined for one we do not know. */
export function errorCodeForReason(reason: string): ErrorCode | undefined {
  return REASONS[normaliseReasonCode(reason)]?.code;
}

export interface MtnHttpAnswer {
  status: number;
  /** The parsed JSON body, the raw text when it was not JSON, or undefined when empty. */
  body: unknown;
  /** The `Retry-After` header, if any. */
  retryAfter?: string;
}

export type MtnEndpoint = 'token' | 'product' | 'provisioning';

/** Parses a body without trusting its content type: MTN sends HTML error pages too. */
export function parseBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function field(body: unknown, name: string): unknown {
  return body !== null && typeof body === 'object'
    ? (body as Record<string, unknown>)[name]
    : undefined;
}

/** Azure API Management's own answers carry a numeric `statusCode`: they never reach MoMo. */
export function isApimBody(body: unknown): boolean {
  return typeof field(body, 'statusCode') === 'number';
}

function retryAfterMs(answer: MtnHttpAnswer, now: number): number | undefined {
  const header = answer.retryAfter?.trim();
  if (header) {
    if (/^\d+$/.test(header)) return Number(header) * 1000;
    const at = Date.parse(header);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  // APIM's rate-limit text: "Rate limit is exceeded. Try again in 5 seconds."
  const message = field(answer.body, 'message');
  const match = typeof message === 'string' ? /try again in (\d+) seconds?/i.exec(message) : null;
  return match?.[1] ? Number(match[1]) * 1000 : undefined;
}

function byStatus(status: number): { code: ErrorCode; message: string } {
  if (status === 400 || status === 411 || status === 413 || status === 415 || status === 422) {
    return { code: 'MTN_BAD_REQUEST', message: 'MTN rejected the request as malformed' };
  }
  if (status === 401 || status === 403) {
    return { code: 'MTN_AUTHENTICATION_FAILED', message: 'MTN refused our credentials' };
  }
  if (status === 404)
    return { code: 'MTN_RESOURCE_NOT_FOUND', message: 'MTN does not know this resource' };
  if (status === 409) return REASONS.RESOURCE_ALREADY_EXIST!;
  if (status === 429) return { code: 'RATE_LIMITED', message: 'MTN is throttling our calls' };
  if (status === 504) return { code: 'MTN_TIMEOUT', message: 'MTN timed out' };
  if (status >= 500) return { code: 'MTN_UNAVAILABLE', message: 'MTN is unavailable' };
  if (status >= 400) return { code: 'MTN_BAD_REQUEST', message: 'MTN rejected the request' };
  return { code: 'MTN_UNEXPECTED_RESPONSE', message: 'MTN gave an unexpected answer' };
}

/** An error answer from MTN (any non-2xx status) as a typed domain error. */
export function mapMtnAnswer(
  answer: MtnHttpAnswer,
  endpoint: MtnEndpoint,
  now = Date.now(),
): MomoCallError {
  const { status, body } = answer;
  const wait = retryAfterMs(answer, now);
  const base = { kind: 'http' as const, httpStatus: status, retryAfterMs: wait };

  // APIM: subscription key, quota, throttling. Never a refused bearer token, so never a token refresh.
  if (isApimBody(body)) {
    const mapped = byStatus(status);
    return new MomoCallError(mapped.code, mapped.message, {
      ...base,
      transient: status >= 500 || status === 429,
    });
  }

  const tokenError = field(body, 'error');
  const tokenErrorCode =
    typeof tokenError === 'string' && tokenError.trim() !== '' ? tokenError.trim() : undefined;

  if (status === 401 || status === 403) {
    // Past APIM, a 401 on a product call means the bearer token was refused: drop it, fetch another.
    return new MomoCallError('MTN_AUTHENTICATION_FAILED', 'MTN refused our credentials', {
      ...base,
      ...(tokenErrorCode !== undefined ? { mtnCode: tokenErrorCode } : {}),
      transient: false,
      tokenRejected: status === 401 && endpoint === 'product',
    });
  }

  // The token endpoint's `{error}`: `login_failed` is a bad API user or key, even when sent as 500.
  if (tokenErrorCode === 'login_failed') {
    return new MomoCallError('MTN_AUTHENTICATION_FAILED', 'MTN refused our API user or key', {
      ...base,
      mtnCode: tokenErrorCode,
      transient: false,
    });
  }

  // MoMo's own `{code, message}`, mapped by code and never by status alone (a 500 is often a
  // business answer such as PAYER_NOT_FOUND).
  const rawCode = field(body, 'code');
  const mtnCode =
    typeof rawCode === 'string' && rawCode.trim() !== '' ? normaliseReasonCode(rawCode) : undefined;
  const known = mtnCode !== undefined ? REASONS[mtnCode] : undefined;
  if (mtnCode !== undefined && known) {
    return new MomoCallError(known.code, known.message, {
      ...base,
      mtnCode,
      transient: TRANSIENT_REASONS.has(mtnCode) || TRANSIENT_STATUSES.has(status),
    });
  }
  if (mtnCode !== undefined && !TRANSIENT_STATUSES.has(status)) {
    // A well-formed business answer we have no code for: MTN is up, the request was refused.
    return new MomoCallError(
      'MTN_UNEXPECTED_RESPONSE',
      'MTN refused the request for a reason we do not know',
      {
        ...base,
        mtnCode,
        transient: false,
      },
    );
  }

  const mapped = byStatus(status);
  return new MomoCallError(mapped.code, mapped.message, {
    ...base,
    ...((mtnCode ?? tokenErrorCode) !== undefined ? { mtnCode: mtnCode ?? tokenErrorCode } : {}),
    // No business reason: a 5xx here (HTML page, empty body, unknown shape) is MTN in trouble.
    transient: status >= 500 || TRANSIENT_STATUSES.has(status),
  });
}

/** A 2xx answer whose body is not what MTN documents. */
export function unexpectedAnswer(status: number, what: string): MomoCallError {
  return new MomoCallError(
    'MTN_UNEXPECTED_RESPONSE',
    `MTN answered ${what} in a form we do not understand`,
    {
      kind: 'invalid-response',
      httpStatus: status,
      transient: false,
    },
  );
}

const TIMEOUT_CODES: ReadonlySet<string> = new Set([
  'ECONNABORTED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'ERR_CANCELED',
  'ABORT_ERR',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** No answer at all: the connection failed or the timeout struck. Both are MTN trouble. */
export function mapTransportFailure(error: unknown): MomoCallError {
  const code = (error as { code?: unknown } | null)?.code;
  const name = (error as { name?: unknown } | null)?.name;
  const transportCode = typeof code === 'string' ? code : undefined;
  const timedOut =
    (transportCode !== undefined && TIMEOUT_CODES.has(transportCode)) ||
    name === 'TimeoutError' ||
    name === 'AbortError';
  if (timedOut) {
    return new MomoCallError('MTN_TIMEOUT', 'MTN did not answer in time', {
      kind: 'timeout',
      transient: true,
      transportCode,
    });
  }
  return new MomoCallError('MTN_UNAVAILABLE', 'MTN could not be reached', {
    kind: 'network',
    transient: true,
    transportCode,
  });
}
