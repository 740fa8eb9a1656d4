import type { ReasonCode } from './mtn-errors';

export type FinalStatus = 'SUCCESSFUL' | 'FAILED';
export type InitialStatus = 'PENDING' | 'CREATED';

/**
 * When an accepted transaction reaches its final state: after the ordinary processing delay,
 * after the long "ongoing" delay, after the CREATED delay, or after a fixed time (null = only
 * when an admin call completes it).
 */
export type Timing = 'processing' | 'long-pending' | 'created' | { afterMs: number | null };

/** What happens to a create call. */
export type Outcome =
  /** Refused synchronously with an error body; nothing is created. */
  | { type: 'reject'; code: ReasonCode; httpStatus: number }
  /** 202, then `final` (with `reason` when FAILED) at `timing`. */
  | {
      type: 'accept';
      initial: InitialStatus;
      final: FinalStatus;
      reason?: ReasonCode;
      timing: Timing;
    };

export type AcceptOutcome = Extract<Outcome, { type: 'accept' }>;

export const SUCCESS: AcceptOutcome = {
  type: 'accept',
  initial: 'PENDING',
  final: 'SUCCESSFUL',
  timing: 'processing',
};

export function failsWith(reason: ReasonCode, timing: Timing = 'processing'): AcceptOutcome {
  return { type: 'accept', initial: 'PENDING', final: 'FAILED', reason, timing };
}

/** Outcome of an account-holder lookup (`active`, `basicuserinfo`). */
export type LookupOutcome =
  { type: 'found'; active: boolean } | { type: 'error'; code: ReasonCode; httpStatus: number };
