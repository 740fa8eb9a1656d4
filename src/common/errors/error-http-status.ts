import type { ErrorCode } from './error-code';

/** HTTP status per error code. The exhaustive switch makes an unmapped new code a compile error. */
export function httpStatusOf(code: ErrorCode): number {
  switch (code) {
    case 'VALIDATION_FAILED':
    case 'UNSUPPORTED_COUNTRY':
    case 'INVALID_PHONE_NUMBER':
    case 'CURRENCY_MISMATCH':
    case 'INVALID_AMOUNT':
      return 400;
    case 'UNAUTHORIZED':
      return 401;
    case 'FORBIDDEN':
      return 403;
    case 'NOT_FOUND':
      return 404;
    case 'IDEMPOTENCY_KEY_REUSED':
    case 'DUPLICATE_EXTERNAL_ID':
    case 'RESOURCE_ALREADY_EXIST':
    case 'ALREADY_ACKNOWLEDGED':
      return 409;
    case 'PAYLOAD_TOO_LARGE':
      return 413;
    case 'AMOUNT_BELOW_MINIMUM':
    case 'AMOUNT_ABOVE_MAXIMUM':
    case 'DAILY_LIMIT_EXCEEDED':
    case 'REFUND_NOT_ALLOWED':
    case 'REFUND_EXCEEDS_COLLECTED':
    case 'PAYER_NOT_FOUND':
    case 'PAYEE_NOT_FOUND':
    case 'NOT_ALLOWED':
    case 'NOT_ENOUGH_FUNDS':
    case 'PAYER_LIMIT_REACHED':
    case 'PAYMENT_NOT_APPROVED':
    case 'APPROVAL_REJECTED':
    case 'PAYEE_NOT_ALLOWED_TO_RECEIVE':
    case 'EXPIRED':
    case 'TRANSACTION_CANCELED':
    case 'COULD_NOT_PERFORM_TRANSACTION':
    case 'INVALID_CURRENCY':
      return 422;
    case 'RATE_LIMITED':
      return 429;
    case 'INTERNAL_ERROR':
      return 500;
    case 'NOT_ALLOWED_TARGET_ENVIRONMENT':
    case 'INVALID_CALLBACK_URL_HOST':
    case 'MTN_AUTHENTICATION_FAILED':
    case 'MTN_BAD_REQUEST':
    case 'MTN_RESOURCE_NOT_FOUND':
    case 'MTN_UNEXPECTED_RESPONSE':
    case 'INTERNAL_PROCESSING_ERROR':
      return 502;
    case 'SERVICE_UNAVAILABLE':
    case 'MTN_UNAVAILABLE':
    case 'CIRCUIT_OPEN':
    case 'DATABASE_UNAVAILABLE':
      return 503;
    case 'MTN_TIMEOUT':
      return 504;
  }
}

/** Whether the same request may succeed if sent again later (the guide's "Retryable" column). */
export function isRetryable(code: ErrorCode): boolean {
  switch (code) {
    case 'INTERNAL_PROCESSING_ERROR':
    case 'SERVICE_UNAVAILABLE':
    case 'MTN_UNAVAILABLE':
    case 'MTN_TIMEOUT':
    case 'CIRCUIT_OPEN':
    case 'RATE_LIMITED':
    case 'DATABASE_UNAVAILABLE':
    case 'INTERNAL_ERROR':
      return true;
    case 'VALIDATION_FAILED':
    case 'NOT_FOUND':
    case 'UNAUTHORIZED':
    case 'FORBIDDEN':
    case 'IDEMPOTENCY_KEY_REUSED':
    case 'DUPLICATE_EXTERNAL_ID':
    case 'PAYLOAD_TOO_LARGE':
    case 'ALREADY_ACKNOWLEDGED':
    case 'UNSUPPORTED_COUNTRY':
    case 'INVALID_PHONE_NUMBER':
    case 'CURRENCY_MISMATCH':
    case 'INVALID_AMOUNT':
    case 'AMOUNT_BELOW_MINIMUM':
    case 'AMOUNT_ABOVE_MAXIMUM':
    case 'DAILY_LIMIT_EXCEEDED':
    case 'REFUND_NOT_ALLOWED':
    case 'REFUND_EXCEEDS_COLLECTED':
    case 'PAYER_NOT_FOUND':
    case 'PAYEE_NOT_FOUND':
    case 'NOT_ALLOWED':
    case 'NOT_ENOUGH_FUNDS':
    case 'PAYER_LIMIT_REACHED':
    case 'PAYMENT_NOT_APPROVED':
    case 'APPROVAL_REJECTED':
    case 'PAYEE_NOT_ALLOWED_TO_RECEIVE':
    case 'RESOURCE_ALREADY_EXIST':
    case 'EXPIRED':
    case 'TRANSACTION_CANCELED':
    case 'COULD_NOT_PERFORM_TRANSACTION':
    case 'INVALID_CURRENCY':
    case 'NOT_ALLOWED_TARGET_ENVIRONMENT':
    case 'INVALID_CALLBACK_URL_HOST':
    case 'MTN_AUTHENTICATION_FAILED':
    case 'MTN_BAD_REQUEST':
    case 'MTN_RESOURCE_NOT_FOUND':
    case 'MTN_UNEXPECTED_RESPONSE':
      return false;
  }
}
