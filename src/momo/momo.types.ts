import type { ErrorCode } from '../common/errors/error-code';
import type { Product } from '../common/product';
import type { CountryCode } from './country-rules/countries';

/** The money-moving operations of each product (momo-api.md §6). */
export interface OperationsByProduct {
  collection: 'requestToPay' | 'requestToWithdraw';
  disbursement: 'transfer' | 'deposit' | 'refund';
  remittance: 'transfer' | 'cashTransfer';
}

export type MomoOperation = OperationsByProduct[Product];

/** A product with one of its own operations; `{ product: 'collection', operation: 'deposit' }` does not compile. */
export type ProductOperation = {
  [P in Product]: { product: P; operation: OperationsByProduct[P] };
}[Product];

/**
 * `background` calls (status polling, reconciliation) draw on a capped share of the outbound
 * budget and never wait for it, so they cannot crowd out calls a customer is waiting on.
 */
export type CallPriority = 'live' | 'background';

export interface MomoCallContext {
  product: Product;
  /** Picks the MTN account (market) and the target environment. */
  country: CountryCode;
  /** Defaults to `live`. */
  priority?: CallPriority;
}

export type CreateRequest = ProductOperation & {
  country: CountryCode;
  priority?: CallPriority;
  /** UUID v4 chosen and stored by the caller before the call; every retry sends the same one. */
  referenceId: string;
  /** MTN's request body as MTN defines it; amounts are strings. */
  body: object;
  /** Its host must be the API user's `providerCallbackHost`, or MTN refuses the create. */
  callbackUrl?: string;
};

export interface CreateResult {
  /** HTTP calls made, retries included. */
  attempts: number;
  /**
   * True when a retry met 409 RESOURCE_ALREADY_EXIST: an earlier attempt had landed, so MTN holds
   * the transaction under this reference id. `status` is what a lookup then said, when it could.
   */
  alreadyExisted: boolean;
  status?: MomoStatus;
}

export type StatusRequest = ProductOperation & {
  country: CountryCode;
  priority?: CallPriority;
  referenceId: string;
};

export type FinalStatus = 'SUCCESSFUL' | 'FAILED';

export interface MomoStatus {
  /** `CREATED` and any status MTN may add later count as `PENDING`: only these two are final. */
  status: 'PENDING' | FinalStatus;
  /** MTN's own status word, e.g. `CREATED`. */
  rawStatus: string;
  /** MTN's reason code, whether MTN sent a string or a `{code, message}` object. */
  reason?: string;
  /** Our code for `reason`, when it is one we know. */
  reasonCode?: ErrorCode;
  financialTransactionId?: string;
  amount?: string;
  currency?: string;
  externalId?: string;
  /** The payer's (collection) or payee's (disbursement, remittance) party id. */
  partyId?: string;
  partyIdType?: string;
}

export interface BalanceRequest extends MomoCallContext {
  currency?: string;
}

export interface Balance {
  availableBalance: string;
  currency: string;
}

export interface AccountHolderRequest extends MomoCallContext {
  /** Digits only, country code first (e.g. 256774123456). */
  msisdn: string;
}

/** MTN's "basic user info" (KYC without consent), in our casing; every field may be absent. */
export interface BasicUserInfo {
  givenName?: string;
  familyName?: string;
  name?: string;
  birthDate?: string;
  locale?: string;
  gender?: string;
  status?: string;
}
