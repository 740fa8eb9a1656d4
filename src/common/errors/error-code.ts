/**
 * Every error the gateway can return, by machine-readable code. The HTTP status of each is decided
 * in one place (`error-http-status.ts`) by a switch the compiler checks for completeness.
 */
export const ERROR_CODES = [
  // The request itself
  'VALIDATION_FAILED',
  'NOT_FOUND',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'IDEMPOTENCY_KEY_REUSED',
  'DUPLICATE_EXTERNAL_ID',
  'PAYLOAD_TOO_LARGE',
  // Reconciliation
  'ALREADY_ACKNOWLEDGED',
  // Country rules and limits
  'UNSUPPORTED_COUNTRY',
  'INVALID_PHONE_NUMBER',
  'CURRENCY_MISMATCH',
  'INVALID_AMOUNT',
  'AMOUNT_BELOW_MINIMUM',
  'AMOUNT_ABOVE_MAXIMUM',
  'DAILY_LIMIT_EXCEEDED',
  // Refunds
  'REFUND_NOT_ALLOWED',
  'REFUND_EXCEEDS_COLLECTED',
  // MTN business reasons (the guide's error table and momo-api.md §7.2)
  'PAYER_NOT_FOUND',
  'PAYEE_NOT_FOUND',
  'NOT_ALLOWED',
  'NOT_ENOUGH_FUNDS',
  'PAYER_LIMIT_REACHED',
  'PAYMENT_NOT_APPROVED',
  'APPROVAL_REJECTED',
  'PAYEE_NOT_ALLOWED_TO_RECEIVE',
  'RESOURCE_ALREADY_EXIST',
  'EXPIRED',
  'TRANSACTION_CANCELED',
  'COULD_NOT_PERFORM_TRANSACTION',
  'INVALID_CURRENCY',
  'NOT_ALLOWED_TARGET_ENVIRONMENT',
  'INVALID_CALLBACK_URL_HOST',
  'INTERNAL_PROCESSING_ERROR',
  'SERVICE_UNAVAILABLE',
  // MTN plumbing
  'MTN_AUTHENTICATION_FAILED',
  'MTN_BAD_REQUEST',
  'MTN_RESOURCE_NOT_FOUND',
  'MTN_UNAVAILABLE',
  'MTN_TIMEOUT',
  'MTN_UNEXPECTED_RESPONSE',
  'CIRCUIT_OPEN',
  'RATE_LIMITED',
  // Ours
  'DATABASE_UNAVAILABLE',
  'INTERNAL_ERROR',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}
