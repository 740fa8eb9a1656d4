import { Injectable, Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { DomainError } from '../../common/errors/domain-error';
import { MomoClient } from '../../momo/client/momo-client';
import type { CountryCode } from '../../momo/country-rules/countries';
import type { MomoTransaction } from '../../transactions/momo-transaction.entity';
import type { MtnAnswer } from './outcome.classifier';

/** The longest single wait for the background budget before asking again. */
const MAX_BUDGET_WAIT_MS = 60_000;

/**
 * The one status call a record gets, on the background share of the outbound budget. A refusal
 * for lack of budget (RATE_LIMITED) is not a call to MTN: it waits for the next window and asks
 * then, so a long run is paced by the budget instead of turning into a list of ERRORs.
 */
@Injectable()
export class MtnStatusAsker {
  private readonly logger = new Logger(MtnStatusAsker.name);

  constructor(private readonly momo: MomoClient) {}

  /** Rejects only when `signal` aborts (the replica is stopping) while waiting for budget. */
  async ask(tx: MomoTransaction, signal: AbortSignal): Promise<MtnAnswer> {
    for (;;) {
      try {
        const status = await this.momo.getStatus({
          product: tx.product,
          operation: tx.operation,
          country: tx.country as CountryCode,
          referenceId: tx.id,
          priority: 'background',
        } as Parameters<MomoClient['getStatus']>[0]);
        return { kind: 'status', status };
      } catch (error) {
        if (error instanceof DomainError && error.code === 'RATE_LIMITED') {
          const waitMs = Math.min(
            MAX_BUDGET_WAIT_MS,
            Math.max(1, error.retryAfterSeconds ?? 1) * 1000,
          );
          await sleep(waitMs, undefined, { signal });
          continue;
        }
        if (error instanceof DomainError && error.code === 'MTN_RESOURCE_NOT_FOUND')
          return { kind: 'not-found' };
        if (error instanceof DomainError) return { kind: 'error', code: error.code };
        this.logger.error(
          { referenceId: tx.id, err: error instanceof Error ? error.message : String(error) },
          'unexpected error asking MTN for a status',
        );
        return { kind: 'error', code: 'INTERNAL_ERROR' };
      }
    }
  }
}
