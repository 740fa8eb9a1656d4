/**
 * Every error body the emulator answers with, in MTN's three families: wallet/business errors
 * `{"message","code"}` (message first, as observed), token errors `{"error"}`, and Azure APIM's
 * `{"statusCode","message"}`. Texts are MTN's literals where MTN published one.
 */
export const REASON_CODES = [
  'PAYEE_NOT_FOUND',
  'PAYER_NOT_FOUND',
  'NOT_ALLOWED',
  'NOT_ALLOWED_TARGET_ENVIRONMENT',
  'INVALID_CALLBACK_URL_HOST',
  'INVALID_CURRENCY',
  'SERVICE_UNAVAILABLE',
  'INTERNAL_PROCESSING_ERROR',
  'NOT_ENOUGH_FUNDS',
  'PAYER_LIMIT_REACHED',
  'PAYEE_NOT_ALLOWED_TO_RECEIVE',
  'PAYMENT_NOT_APPROVED',
  'RESOURCE_NOT_FOUND',
  'APPROVAL_REJECTED',
  'EXPIRED',
  'TRANSACTION_CANCELED',
  'RESOURCE_ALREADY_EXIST',
  'COULD_NOT_PERFORM_TRANSACTION',
  'TRANSACTION_NOT_COMPLETED',
  'TRANSACTION_NOT_FOUND',
  'UNSUPPORTED_SCOPE',
  'NOT_FOUND',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

export function isReasonCode(value: unknown): value is ReasonCode {
  return typeof value === 'string' && (REASON_CODES as readonly string[]).includes(value);
}

const MESSAGES: Record<ReasonCode, string> = {
  PAYEE_NOT_FOUND: 'Payee does not exist',
  // (sic) MTN's own example gives the payee text for a missing payer.
  PAYER_NOT_FOUND: 'Payee does not exist',
  NOT_ALLOWED: 'Authorization failed. Insufficient permissions',
  NOT_ALLOWED_TARGET_ENVIRONMENT: 'Access to target environment is forbidden.',
  INVALID_CALLBACK_URL_HOST: 'Callback URL does not match the configured value.',
  INVALID_CURRENCY: 'Currency not supported.',
  SERVICE_UNAVAILABLE: 'Service temporarily unavailable, try again later',
  INTERNAL_PROCESSING_ERROR: 'An internal error occurred while processing.',
  NOT_ENOUGH_FUNDS: 'The payer does not have enough funds.',
  PAYER_LIMIT_REACHED: "The payer's limit has been breached.",
  PAYEE_NOT_ALLOWED_TO_RECEIVE: 'The payee is unable to receive funds',
  PAYMENT_NOT_APPROVED: 'Payment was not approved',
  RESOURCE_NOT_FOUND: 'Requested resource was not found.',
  APPROVAL_REJECTED: 'The approval was rejected',
  EXPIRED: 'The requested resource has expired',
  TRANSACTION_CANCELED: 'The transaction was canceled by the initiator',
  RESOURCE_ALREADY_EXIST: 'Duplicated reference id. Creation of resource failed.',
  // MTN publishes no text for this one.
  COULD_NOT_PERFORM_TRANSACTION: 'Could not perform transaction.',
  TRANSACTION_NOT_COMPLETED: 'Transaction is pending and not completed',
  TRANSACTION_NOT_FOUND: 'The transaction could not be found',
  UNSUPPORTED_SCOPE: 'The requested scope is not supported.',
  NOT_FOUND: 'Not found',
};

export function reasonMessage(code: ReasonCode): string {
  return MESSAGES[code];
}

/** The HTTP status MTN uses when a code comes back as the error of a call. */
const SPECIAL_STATUS: Partial<Record<ReasonCode, number>> = {
  RESOURCE_ALREADY_EXIST: 409,
  RESOURCE_NOT_FOUND: 404,
  SERVICE_UNAVAILABLE: 503,
};

export function defaultHttpStatus(code: ReasonCode): number {
  return SPECIAL_STATUS[code] ?? 500;
}

/** An answer that ends the request; thrown by guards and handlers, rendered by one handler. */
export class EmulatorHttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly body: string | object | undefined,
    readonly contentType?: string,
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(`HTTP ${statusCode}`);
  }
}

export function errorReasonBody(code: ReasonCode): { message: string; code: ReasonCode } {
  return { message: MESSAGES[code], code };
}

export function mtnError(code: ReasonCode, status = defaultHttpStatus(code)): EmulatorHttpError {
  return new EmulatorHttpError(status, errorReasonBody(code));
}

/** MTN declares no body for most 400s; a short message helps whoever reads the log. */
export function badRequest(message: string): EmulatorHttpError {
  return new EmulatorHttpError(400, { message });
}

export const APIM_INVALID_KEY = {
  statusCode: 401,
  message:
    'Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.',
};

export const APIM_MISSING_KEY = {
  statusCode: 401,
  message:
    'Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.',
};

export const APIM_NOT_FOUND = { statusCode: 404, message: 'Resource not found' };

export function apimRateLimited(retryAfterSeconds: number): EmulatorHttpError {
  return new EmulatorHttpError(
    429,
    {
      statusCode: 429,
      message: `Rate limit is exceeded. Try again in ${retryAfterSeconds} seconds.`,
    },
    undefined,
    { 'retry-after': String(retryAfterSeconds) },
  );
}

/** The token endpoint's own family, observed with HTTP 500 for unknown or keyless API users. */
export function loginFailed(): EmulatorHttpError {
  return new EmulatorHttpError(500, { error: 'login_failed' });
}

/**
 * A missing, malformed, expired or other-product bearer token. MTN's body is undocumented; this
 * one deliberately lacks APIM's `statusCode` so clients can tell "refresh the token" apart from
 * "wrong subscription key".
 */
export function invalidToken(): EmulatorHttpError {
  return new EmulatorHttpError(401, { error: 'invalid_token' });
}

/** What the HTTP front end of MTN's gateway answers to a POST with no Content-Length. */
export const LENGTH_REQUIRED_HTML =
  '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN""http://www.w3.org/TR/html4/strict.dtd">\r\n' +
  '<HTML><HEAD><TITLE>Length Required</TITLE>\r\n' +
  '<META HTTP-EQUIV="Content-Type" Content="text/html; charset=us-ascii"></HEAD>\r\n' +
  '<BODY><h2>Length Required</h2>\r\n' +
  '<hr><p>HTTP Error 411. The request must be chunked or have a content length.</p>\r\n' +
  '</BODY></HTML>\r\n';
