import { DomainError } from '../common/errors/domain-error';
import { MomoCallError, earlierAttemptsOf } from '../momo/client/momo-call.error';

/**
 * Whether a failed create may still have left a transaction at MTN. Only then must the row stay
 * PENDING for polling and reconciliation to settle; marking it FAILED would let the caller try
 * again and pay twice. MTN answering with an error (a business refusal, 500, 503) means it did
 * not take the request; a request that was never sent (breaker open, no budget) cannot have
 * landed; a timeout, a dropped connection or a proxy's 502/504 proves nothing either way. Every
 * attempt of the call counts: all retries carry the same reference id, so an early attempt that
 * timed out may have landed even though the last one was refused.
 */
export function mayHaveReachedMtn(error: unknown): boolean {
  return [...earlierAttemptsOf(error), error].some(attemptMayHaveReachedMtn);
}

function attemptMayHaveReachedMtn(error: unknown): boolean {
  const flagged = (error as { possiblyAccepted?: unknown } | null)?.possiblyAccepted;
  if (typeof flagged === 'boolean') return flagged;
  if (error instanceof MomoCallError) {
    switch (error.kind) {
      case 'http':
        return error.httpStatus === 502 || error.httpStatus === 504 || error.code === 'RESOURCE_ALREADY_EXIST';
      case 'network':
        return error.transportCode !== 'ECONNREFUSED' && error.transportCode !== 'ENOTFOUND';
      case 'timeout':
      case 'invalid-response':
        return true;
    }
  }
  // Refused before sending (CIRCUIT_OPEN, RATE_LIMITED, no account for the market).
  if (error instanceof DomainError) return false;
  return true;
}
