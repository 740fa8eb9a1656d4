import { Injectable, Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { DomainError } from '../../common/errors/domain-error';
import { MomoClient } from '../../momo/client/momo-client';
import type { CountryCode } from '../../momo/country-rules/countries';
import type { MomoTransaction } from '../../transactions/momo-transaction.entity';
import type { MtnAnswer } from './outcome.classifier';

/** The longest single wait for budget or the breaker before asking again. */
const MAX_WAIT_MS = 60_000;

/** Refusals made before anything reached MTN: waiting is the answer, not an ERROR. */
const NOT_ASKED = new Set(['RATE_LIMITED', 'CIRCUIT_OPEN']);

/**
 * The one status call a record gets, on the background share of the outbound budget. A refusal
 * for lack of budget (RATE_LIMITED) or by an open breaker (CIRCUIT_OPEN) is not a call to MTN: it
 * waits as long as the refusal says and asks then, so a long run is paced by the budget, and
 * during an outage by the breaker's trials (each a real call, whose failure is the record's
 * ERROR), instead of turning every record into an ERROR MTN never gave. A run that meets a
 * breaker still open from earlier trouble settles its records once the trial succeeds.
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
        if (error instanceof DomainError && NOT_ASKED.has(error.code)) {
          const waitMs = Math.min(MAX_WAIT_MS, Math.max(1, error.retryAfterSeconds ?? 1) * 1000);
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
