import { formatUnits, parseAmount } from './money';
import type { Product } from './products';
import { RingBuffer } from './ring-buffer';

/** A wallet (a MoMo customer) or an API user's account in one product. */
export type AccountRef =
  | { kind: 'wallet'; partyIdType: string; partyId: string }
  | { kind: 'account'; apiUser: string; product: Product };

interface LedgerAccount {
  readonly id: string;
  readonly ref: AccountRef;
  readonly currency: string;
  /** Money that entered the ledger from outside: the opening balance plus admin adjustments. */
  issued: bigint;
  balance: bigint;
}

export interface Posting {
  seq: number;
  at: string;
  referenceId: string;
  currency: string;
  amount: string;
  from: string;
  to: string;
}

export interface OpeningBalances {
  wallet: string;
  account: string;
}

export function accountId(ref: AccountRef, currency: string): string {
  return ref.kind === 'wallet'
    ? `wallet/${ref.partyIdType}/${ref.partyId}/${currency}`
    : `account/${ref.apiUser}/${ref.product}/${currency}`;
}

/**
 * Double-entry balances in exact units. Accounts open lazily with a configurable balance; every
 * later change is either a posting (money moves between two accounts, the total is unchanged)
 * or an admin adjustment that is added to `issued`. Hence, per currency, the sum of balances
 * always equals the sum of `issued`: the check tests use for "nothing lost, nothing doubled".
 */
export class Ledger {
  private readonly accounts = new Map<string, LedgerAccount>();
  private readonly journal: RingBuffer<Posting>;
  private seq = 0;

  constructor(
    private readonly openings: () => OpeningBalances,
    journalSize: number,
  ) {
    this.journal = new RingBuffer(journalSize);
  }

  balance(ref: AccountRef, currency: string): bigint {
    return this.open(ref, currency).balance;
  }

  /** Moves `units` unless the source is short; returns whether it moved. */
  transfer(
    from: AccountRef,
    to: AccountRef,
    currency: string,
    units: bigint,
    referenceId: string,
  ): boolean {
    const source = this.open(from, currency);
    const target = this.open(to, currency);
    if (source.balance < units) return false;
    source.balance -= units;
    target.balance += units;
    this.seq += 1;
    this.journal.push({
      seq: this.seq,
      at: new Date().toISOString(),
      referenceId,
      currency,
      amount: formatUnits(units),
      from: source.id,
      to: target.id,
    });
    return true;
  }

  setBalance(ref: AccountRef, currency: string, units: bigint): void {
    const account = this.open(ref, currency);
    account.issued += units - account.balance;
    account.balance = units;
  }

  snapshot(): {
    totals: Record<string, { balance: string; issued: string }>;
    accounts: { id: string; currency: string; balance: string; issued: string }[];
    postings: Posting[];
  } {
    const sums = new Map<string, { balance: bigint; issued: bigint }>();
    const accounts = [];
    for (const a of this.accounts.values()) {
      const sum = sums.get(a.currency) ?? { balance: 0n, issued: 0n };
      sum.balance += a.balance;
      sum.issued += a.issued;
      sums.set(a.currency, sum);
      accounts.push({
        id: a.id,
        currency: a.currency,
        balance: formatUnits(a.balance),
        issued: formatUnits(a.issued),
      });
    }
    const totals: Record<string, { balance: string; issued: string }> = {};
    for (const [currency, sum] of sums) {
      totals[currency] = { balance: formatUnits(sum.balance), issued: formatUnits(sum.issued) };
    }
    return { totals, accounts, postings: this.journal.toArray() };
  }

  clear(): void {
    this.accounts.clear();
    this.journal.clear();
  }

  private open(ref: AccountRef, currency: string): LedgerAccount {
    const id = accountId(ref, currency);
    let account = this.accounts.get(id);
    if (!account) {
      const openings = this.openings();
      const opening = parseAmount(ref.kind === 'wallet' ? openings.wallet : openings.account) ?? 0n;
      account = { id, ref, currency, issued: opening, balance: opening };
      this.accounts.set(id, account);
    }
    return account;
  }
}
