import type { AccountRef } from './ledger';
import type { ReasonCode } from './mtn-errors';
import type { FinalStatus, Timing } from './outcomes';
import type { Product } from './products';
import type { Party } from './validation';

export type TransactionKind =
  | 'requesttopay'
  | 'requesttowithdraw'
  | 'invoice'
  | 'preapproval'
  | 'payment'
  | 'transfer'
  | 'deposit'
  | 'refund'
  | 'cashtransfer';

export type TransactionStatus = 'PENDING' | 'CREATED' | 'SUCCESSFUL' | 'FAILED';

export interface Transaction {
  readonly referenceId: string;
  readonly apiUser: string;
  readonly product: Product;
  readonly kind: TransactionKind;
  readonly version: 1 | 2;
  readonly currency: string;
  /** Decimal text as sent (drift may change it behind the client's back). */
  amount?: string;
  readonly units?: bigint;
  /** The customer: payer of collections, payee of payouts, intended payer of invoices. */
  readonly party?: Party;
  /** The validated request, echoed by the status body. */
  readonly request: Readonly<Record<string, unknown>>;
  status: TransactionStatus;
  reason?: ReasonCode;
  financialTransactionId?: string;
  readonly callbackUrl?: string;
  readonly createdAt: number;
  updatedAt: number;
  finalizedAt?: number;
  /** Where money goes when the transaction succeeds; absent for money-less resources. */
  readonly movement?: { from: AccountRef; to: AccountRef };
  /** Set once, when the money moved: the guard against moving it twice. */
  settled: boolean;
  /** The final state this transaction is heading to, and when. */
  plan?: { status: FinalStatus; reason?: ReasonCode; timing: Timing };
  timer?: NodeJS.Timeout;
  /** Refunds: the collection they refund. */
  readonly refundOf?: Transaction;
  /** Collections: units promised to refunds that have not failed. */
  refundedUnits: bigint;
  /** Pre-approvals cancelled through DELETE /v1_0/preapproval/{id}. */
  cancelledAt?: number;
  deliveryNotification?: { message: string; language?: string; at: number };
  /** Set when an admin call rewrote the record without the usual lifecycle. */
  drifted: boolean;
  /** Kind-specific generated fields (invoice ids, expiry times). */
  readonly extra: Readonly<Record<string, string | number>>;
}

export function isFinal(status: TransactionStatus): boolean {
  return status === 'SUCCESSFUL' || status === 'FAILED';
}

export interface TransactionFilter {
  apiUser?: string;
  kind?: string;
  status?: string;
  product?: string;
  referenceId?: string;
}

/**
 * Transactions by API user and reference id: MTN scopes reference-id uniqueness to the API user,
 * so two users may reuse one id. Beyond `maxSize`, the oldest finished transactions are dropped.
 */
export class TransactionStore {
  private readonly byKey = new Map<string, Transaction>();

  constructor(private readonly maxSize: number) {}

  get size(): number {
    return this.byKey.size;
  }

  get(apiUser: string, referenceId: string): Transaction | undefined {
    return this.byKey.get(`${apiUser}/${referenceId.toLowerCase()}`);
  }

  add(tx: Transaction): void {
    this.byKey.set(`${tx.apiUser}/${tx.referenceId.toLowerCase()}`, tx);
    if (this.byKey.size > this.maxSize) this.evict();
  }

  list(filter: TransactionFilter = {}): Transaction[] {
    const ref = filter.referenceId?.toLowerCase();
    return [...this.byKey.values()].filter(
      (tx) =>
        (filter.apiUser === undefined || tx.apiUser === filter.apiUser) &&
        (filter.kind === undefined || tx.kind === filter.kind) &&
        (filter.status === undefined || tx.status === filter.status) &&
        (filter.product === undefined || tx.product === filter.product) &&
        (ref === undefined || tx.referenceId.toLowerCase() === ref),
    );
  }

  all(): IterableIterator<Transaction> {
    return this.byKey.values();
  }

  clear(): void {
    this.byKey.clear();
  }

  private evict(): void {
    let toDrop = Math.max(1, Math.floor(this.maxSize / 10));
    for (const [key, tx] of this.byKey) {
      if (toDrop === 0) break;
      if (!isFinal(tx.status)) continue;
      this.byKey.delete(key);
      toDrop -= 1;
    }
  }
}
