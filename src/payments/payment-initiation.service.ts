import { Inject, Injectable, Logger } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error';
import { Money } from '../common/money';
import type { Product } from '../common/product';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { MomoAccountsService } from '../momo/accounts/momo-accounts.service';
import { BreakerService } from '../momo/breaker/breaker.service';
import { MomoClient } from '../momo/client/momo-client';
import { OutboundRateLimiter } from '../momo/rate-limit/outbound-rate-limiter.service';
import { CountryRulesService } from '../momo/country-rules/country-rules.service';
import { DailyLimitService } from '../momo/country-rules/daily-limit.service';
import type { CountryCode } from '../momo/country-rules/countries';
import type { OperationsByProduct } from '../momo/momo.types';
import type { MomoTransaction } from '../transactions/momo-transaction.entity';
import type { RefundableAmount } from '../transactions/transaction.inputs';
import { TransactionsService } from '../transactions/transactions.service';
import { mayHaveReachedMtn } from './acceptance';
import { callbackUrlFor } from './callback-url';
import { mtnRequestBody } from './mtn-request-body';
import { StatusSyncService } from './status-sync.service';
import type { PaymentRequestDto } from './dto/payment-request.dto';

export type Initiation = {
  [P in Product]: { product: P; operation: Exclude<OperationsByProduct[P], 'refund'> };
}[Product] & {
  request: PaymentRequestDto;
  idempotencyKey?: string;
  /** The API key of the request: its notification endpoints are told of the final status. */
  apiKeyId?: string;
  /** Cash transfer: the sender's details, passed to MTN as they are. */
  extraMtnFields?: Record<string, string>;
  /**
   * Transfer, deposit: first ask MTN whether the payee is an active account (PAYEE_NOT_FOUND,
   * nothing stored otherwise). Done once the request has passed every rule, so a request we refuse
   * anyway costs no MTN call.
   */
  checkPayee?: boolean;
};

export interface RefundInitiation {
  collectionId: string;
  /** Unset: whatever is left to refund of the collection. */
  amount?: string;
  externalId: string;
  payerMessage?: string;
  payeeNote?: string;
  idempotencyKey?: string;
  /** The API key of the request: its notification endpoints are told of the final status. */
  apiKeyId?: string;
}

export interface InitiationResult {
  transaction: MomoTransaction;
  /** An earlier identical request's transaction, returned without calling MTN again. */
  replayed: boolean;
}

/**
 * The one way money starts to move: check the request against the country's rules, commit the
 * PENDING row (reference id chosen, daily limit reserved) before MTN is called, then ask MTN.
 * A request MTN certainly did not take is stored FAILED with its reason and the error is
 * answered; one that may have reached MTN stays PENDING and polling settles it. While the
 * breaker is open, or the MTN budget is known to be spent, a request is refused before anything
 * is stored: it could not reach MTN.
 */
@Injectable()
export class PaymentInitiationService {
  private readonly logger = new Logger(PaymentInitiationService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly rules: CountryRulesService,
    private readonly dailyLimit: DailyLimitService,
    private readonly accounts: MomoAccountsService,
    private readonly transactions: TransactionsService,
    private readonly momo: MomoClient,
    private readonly statusSync: StatusSyncService,
    private readonly breakers: BreakerService,
    private readonly limiter: OutboundRateLimiter,
  ) {}

  async initiate(init: Initiation): Promise<InitiationResult> {
    const { product, operation, request } = init;
    const { msisdn, country } = this.rules.normaliseMsisdn(request.phoneNumber, request.country, { field: 'phoneNumber' });
    const checked = this.rules.checkAmount({ country, currency: request.currency, amount: request.amount, kycLevel: request.kycLevel, product });
    const { account } = this.accounts.resolve(country, product, request.country ? 'country' : 'phoneNumber');
    const mtnCurrency = this.rules.mtnCurrencyFor(country);
    if (init.checkPayee) await this.assertPayeeActive(product, country, msisdn);
    const requestWithExtras = { ...request, ...(init.extraMtnFields ?? {}) };
    const replay = await this.refuseIfMtnUnreachable(product, account.id, { externalId: request.externalId, idempotencyKey: init.idempotencyKey, request: requestWithExtras });
    if (replay) return replay;

    const created = await this.transactions.createPending(
      {
        product,
        operation,
        amount: checked.amount,
        currency: checked.currency,
        country,
        msisdn,
        externalId: request.externalId,
        idempotencyKey: init.idempotencyKey,
        request: requestWithExtras,
        payerMessage: request.payerMessage,
        payeeNote: request.payeeNote,
        kycLevel: checked.kycLevel,
        mtnCurrency,
        accountId: account.id,
        apiKeyId: init.apiKeyId,
      },
      {
        // Taken by the insert's own statement, so on the day of the row's created_at: the day its
        // release will name.
        reservation: this.dailyLimit.reservation({ msisdn, country, product, currency: checked.currency, amountMinor: checked.minor, kycLevel: checked.kycLevel }),
      },
    );
    if (created.replayed) return { transaction: created.transaction, replayed: true };

    const body = mtnRequestBody({
      operation,
      amount: checked.amount,
      mtnCurrency,
      externalId: request.externalId,
      msisdn,
      payerMessage: request.payerMessage,
      payeeNote: request.payeeNote,
      cashTransfer: init.extraMtnFields,
    });
    return { transaction: await this.submit(created.transaction, created.callbackToken, body), replayed: false };
  }

  async initiateRefund(init: RefundInitiation): Promise<InitiationResult> {
    const refundable = await this.transactions.refundableAmount(init.collectionId);
    const amount = init.amount ?? defaultRefundAmount(refundable);
    const collection = await this.transactions.findById('collection', init.collectionId);
    const { account } = this.accounts.resolve(collection.country as CountryCode, 'disbursement', 'collectionId');
    const request = { collectionId: init.collectionId, amount: init.amount ?? null, externalId: init.externalId, payerMessage: init.payerMessage, payeeNote: init.payeeNote };
    const replay = await this.refuseIfMtnUnreachable('disbursement', account.id, { externalId: init.externalId, idempotencyKey: init.idempotencyKey, request });
    if (replay) return replay;
    const created = await this.transactions.createPendingRefund({
      parentId: init.collectionId,
      amount,
      currency: refundable.currency,
      externalId: init.externalId,
      idempotencyKey: init.idempotencyKey,
      request,
      payerMessage: init.payerMessage,
      payeeNote: init.payeeNote,
      mtnCurrency: collection.mtnCurrency,
      accountId: account.id,
      apiKeyId: init.apiKeyId,
    });
    if (created.replayed) return { transaction: created.transaction, replayed: true };
    const t = created.transaction;
    const body = mtnRequestBody({
      operation: 'refund',
      amount: t.amount,
      mtnCurrency: t.mtnCurrency,
      externalId: t.externalId,
      msisdn: t.msisdn,
      payerMessage: init.payerMessage,
      payeeNote: init.payeeNote,
      referenceIdToRefund: init.collectionId,
    });
    return { transaction: await this.submit(t, created.callbackToken, body), replayed: false };
  }

  /**
   * A call MTN would not even be sent: the breaker is open (or half-open with its trial in
   * flight), or this replica already knows the account's MTN budget is spent for longer than a
   * live call may wait. Refuse the request now with that CIRCUIT_OPEN or RATE_LIMITED, storing
   * nothing (no row, no daily limit, no event), rather than store a PENDING row only to fail it;
   * a retry with the same Idempotency-Key is then judged afresh. A request that repeats an earlier
   * one still gets the answer it gets when MTN is reachable (a read, nothing written): the earlier
   * transaction (returned) or the 409, so a caller retrying after a lost answer learns that its
   * payment exists. Once the open period or the budget window is over, requests go the normal way.
   */
  private async refuseIfMtnUnreachable(
    product: Product,
    accountId: string,
    request: Parameters<TransactionsService['replayFor']>[1],
  ): Promise<InitiationResult | undefined> {
    const refusal = this.breakers.refusalFor(product, accountId) ?? this.limiter.refusalFor({ accountId, product });
    if (!refusal) return undefined;
    const earlier = await this.transactions.replayFor(product, request);
    if (earlier) return { transaction: earlier.transaction, replayed: true };
    throw refusal;
  }

  private async assertPayeeActive(product: Product, country: CountryCode, msisdn: string): Promise<void> {
    if (!(await this.momo.isAccountHolderActive({ product, country, msisdn }))) {
      throw new DomainError('PAYEE_NOT_FOUND', 'The payee is not an active MoMo account', {
        details: [{ field: 'phoneNumber', message: 'not an active MoMo account' }],
      });
    }
  }

  private async submit(tx: MomoTransaction, callbackToken: string, body: Record<string, unknown>): Promise<MomoTransaction> {
    const product = tx.product;
    const call = {
      product,
      operation: tx.operation,
      country: tx.country as CountryCode,
      referenceId: tx.id,
      body,
      callbackUrl: callbackUrlFor(this.config.momo.callbackBaseUrl, product, tx.id, callbackToken),
    } as Parameters<MomoClient['create']>[0];
    try {
      const result = await this.momo.create(call);
      const accepted = await this.transactions.markAccepted(tx.id, this.nextPollAt());
      if (result.status && result.status.status !== 'PENDING') {
        return (await this.statusSync.apply(accepted, result.status, 'api')).transaction;
      }
      return accepted;
    } catch (error) {
      if (mayHaveReachedMtn(error)) {
        // MTN may hold it under this reference id: keep it PENDING and let polling find out.
        this.logger.warn(
          { product, operation: tx.operation, referenceId: tx.id, code: error instanceof DomainError ? error.code : 'UNKNOWN' },
          'create outcome unknown; left PENDING for polling',
        );
        return this.transactions.markAccepted(tx.id, this.nextPollAt());
      }
      const code = error instanceof DomainError ? error.code : 'INTERNAL_ERROR';
      await this.transactions.failBeforeAcceptance(
        tx.id,
        { reason: code, reasonMessage: error instanceof Error ? error.message : null },
        this.statusSync.finalHooks(),
      );
      throw withTransactionId(error, tx.id);
    }
  }

  private nextPollAt(): Date {
    return new Date(Date.now() + this.config.polling.intervalMs);
  }
}

/**
 * A refund without an amount takes what is left of the collection. When nothing is left (most
 * often: this very request already took it, and this is its replay), the collected amount stands
 * in: the amount is not part of the request's identity, so a replay is still recognised, and any
 * other request is refused as exceeding the collection, instead of failing on a zero amount.
 */
function defaultRefundAmount(totals: RefundableAmount): string {
  return Money.parse(totals.refundable, totals.currency, { allowZero: true }).isZero() ? totals.collected : totals.refundable;
}

/** The caller learns which stored (FAILED) transaction the refusal belongs to. */
function withTransactionId(error: unknown, id: string): unknown {
  if (!(error instanceof DomainError)) return error;
  return new DomainError(error.code, error.message, {
    details: [...(error.details ?? []), { message: 'stored as FAILED', transactionId: id }],
    retryAfterSeconds: error.retryAfterSeconds,
  });
}

