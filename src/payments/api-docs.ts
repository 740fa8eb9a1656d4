import { applyDecorators } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiHeader, ApiResponse, ApiServiceUnavailableResponse, ApiTooManyRequestsResponse, ApiUnprocessableEntityResponse } from '@nestjs/swagger';

const errorExample = (code: string, message: string, retryable: boolean) => ({
  schema: { example: { code, message, retryable, requestId: '6f1c0e8e-4c1b-4f7a-9a57-2f7f1d3f9b10' } },
});

/** The answers every money-moving POST can give, documented once. */
export function ApiPaymentResponses(): MethodDecorator {
  return applyDecorators(
    ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Same key and body: the same transaction, no second MTN call. Same key, other body: 409.' }),
    ApiResponse({ status: 202, description: 'Accepted: the transaction, PENDING until MTN settles it (also returned for a replay, with `Idempotent-Replayed: true`)' }),
    ApiBadRequestResponse({ description: 'VALIDATION_FAILED, INVALID_PHONE_NUMBER, CURRENCY_MISMATCH, INVALID_AMOUNT, UNSUPPORTED_COUNTRY', ...errorExample('VALIDATION_FAILED', 'The request is not valid', false) }),
    ApiConflictResponse({ description: 'IDEMPOTENCY_KEY_REUSED, DUPLICATE_EXTERNAL_ID', ...errorExample('DUPLICATE_EXTERNAL_ID', 'externalId ORDER_12345 is already used', false) }),
    ApiUnprocessableEntityResponse({ description: 'Limits (AMOUNT_BELOW_MINIMUM, AMOUNT_ABOVE_MAXIMUM, DAILY_LIMIT_EXCEEDED: nothing stored) or MTN refused (PAYER_NOT_FOUND, NOT_ENOUGH_FUNDS, …: stored as FAILED)', ...errorExample('PAYER_NOT_FOUND', 'The payer does not exist', false) }),
    ApiTooManyRequestsResponse({ description: 'RATE_LIMITED: MTN budget spent; see Retry-After. Nothing stored when this replica knew it was spent; stored FAILED (transactionId in details) when the call itself found out', ...errorExample('RATE_LIMITED', 'MTN request budget exhausted', true) }),
    ApiServiceUnavailableResponse({ description: 'CIRCUIT_OPEN (the breaker is open: nothing stored; a repeated request gets its earlier transaction instead) or SERVICE_UNAVAILABLE; see Retry-After', ...errorExample('CIRCUIT_OPEN', 'MTN collection is failing; calls are paused', true) }),
  );
}
