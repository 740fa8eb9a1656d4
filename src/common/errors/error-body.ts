import type { ErrorCode } from './error-code';
import type { ErrorDetail } from './domain-error';

/** The one shape of every error the gateway answers with. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details?: ErrorDetail[];
  /** Whether sending the same request again later may succeed. */
  retryable: boolean;
  requestId: string;
  /** Only on unexpected errors: the id under which the full error was logged. */
  errorId?: string;
}
