import { randomUUID } from 'node:crypto';
import { DataSource, type Logger as TypeOrmLogger } from 'typeorm';
import { DomainError } from '../../src/common/errors/domain-error';
import type { ErrorCode } from '../../src/common/errors/error-code';
import { typeOrmOptions } from '../../src/database/typeorm-options';
import type { MomoTransaction } from '../../src/transactions/momo-transaction.entity';
import type {
  CreatePendingInput,
  CreatePendingRefundInput,
} from '../../src/transactions/transaction.inputs';
import { TransactionsService } from '../../src/transactions/transactions.service';

/** Every statement a DataSource sends, in order (TypeORM logs each one, BEGIN and COMMIT too). */
export class StatementLog implements TypeOrmLogger {
  statements: string[] = [];
  logQuery(query: string): void {
    this.statements.push(query.trim().replace(/\s+/g, ' '));
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}

  /** The first words of each statement since the last `clear()`, enough to tell them apart. */
  heads(words = 3): string[] {
    return this.statements.map((s) => s.split(' ').slice(0, words).join(' '));
  }

  clear(): void {
    this.statements = [];
  }
}

/** One "replica": its own DataSource and connection pool on the suite's database. */
export async function openService(
  url: string,
  poolSize = 5,
): Promise<{ service: TransactionsService; dataSource: DataSource }> {
  const dataSource = new DataSource(typeOrmOptions(url, poolSize));
  await dataSource.initialize();
  return { service: new TransactionsService(dataSource), dataSource };
}

export function uniqueId(prefix: string): string {
  return `${prefix}_${randomUUID().slice(0, 8)}`;
}

export function collectionInput(overrides: Partial<CreatePendingInput> = {}): CreatePendingInput {
  const externalId = overrides.externalId ?? uniqueId('ORDER');
  const base = {
    product: 'collection' as const,
    operation: 'requestToPay' as const,
    amount: '1000',
    currency: 'UGX',
    country: 'UG',
    msisdn: '256774123456',
    externalId,
    payerMessage: 'Payment for order',
    payeeNote: 'Thank you',
    mtnCurrency: 'EUR',
    accountId: 'collection-default',
    ...overrides,
  };
  return {
    ...base,
    request: overrides.request ?? {
      amount: base.amount,
      currency: base.currency,
      externalId: base.externalId,
      phoneNumber: base.msisdn,
    },
  };
}

export function refundInput(
  parentId: string,
  overrides: Partial<CreatePendingRefundInput> = {},
): CreatePendingRefundInput {
  const externalId = overrides.externalId ?? uniqueId('REFUND');
  const amount = overrides.amount ?? '100';
  return {
    parentId,
    amount,
    currency: 'UGX',
    externalId,
    mtnCurrency: 'EUR',
    accountId: 'disbursement-default',
    request: { referenceIdToRefund: parentId, amount, currency: 'UGX', externalId },
    ...overrides,
  };
}

/** A collection MTN accepted and completed successfully. */
export async function successfulCollection(
  service: TransactionsService,
  overrides: Partial<CreatePendingInput> = {},
): Promise<MomoTransaction> {
  const { transaction } = await service.createPending(collectionInput(overrides));
  await service.markAccepted(transaction.id, new Date());
  const result = await service.applyStatus(transaction.id, {
    status: 'SUCCESSFUL',
    source: 'callback',
    financialTransactionId: '600198217',
  });
  return result.transaction;
}

/** The DomainError code a promise rejects with ('resolved' when it does not reject). */
export async function codeOf(promise: Promise<unknown>): Promise<ErrorCode | 'resolved' | 'other'> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return error instanceof DomainError ? error.code : 'other';
  }
}

/**
 * Resolves every waiter at once when `parties` have arrived, so that many callers reach the same
 * point before any proceeds: the race is forced, not left to timing.
 */
export function barrier(parties: number): () => Promise<void> {
  let arrived = 0;
  let release!: () => void;
  const open = new Promise<void>((resolve) => (release = resolve));
  return async () => {
    arrived += 1;
    if (arrived >= parties) release();
    await open;
  };
}
