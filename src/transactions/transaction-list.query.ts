import type { DataSource } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import type { Product } from '../common/product';
import { hydrate } from './hydrate';
import { MomoTransaction } from './momo-transaction.entity';
import { autocommitRows } from './sql-rows';
import { TRANSACTION_COLUMNS } from './transaction-columns';
import { decodeCursor, encodeCursor } from './transaction-cursor';
import type { ListFilters, ListResult } from './transaction.inputs';

export const DEFAULT_LIST_LIMIT = 50;
export const MAX_LIST_LIMIT = 200;

/**
 * One page of a product's transactions, newest first (created_at desc, id desc). Keyset
 * pagination: the cursor is the last item's (created_at, id), so pages stay stable while new
 * transactions arrive, and a deep page costs the same as the first.
 *
 * One plain SELECT hydrated like a find. The WHERE is made of the fixed conditions below, one per
 * filter given; values only ever travel as positional parameters, never in the SQL text.
 */
export async function listTransactions(
  dataSource: DataSource,
  product: Product,
  filters: ListFilters,
): Promise<ListResult> {
  const limit = filters.limit ?? DEFAULT_LIST_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
    throw new DomainError('VALIDATION_FAILED', 'Invalid limit', {
      details: [{ field: 'limit', message: `must be an integer from 1 to ${MAX_LIST_LIMIT}` }],
    });
  }
  const parameters: unknown[] = [];
  /** The placeholder of a new parameter: `$1`, `$2`, … */
  const param = (value: unknown): string => `$${parameters.push(value)}`;
  const where = [`product = ${param(product)}`];
  if (filters.status !== undefined) where.push(`status = ${param(filters.status)}`);
  if (filters.operation !== undefined) where.push(`operation = ${param(filters.operation)}`);
  if (filters.externalId !== undefined) where.push(`external_id = ${param(filters.externalId)}`);
  if (filters.phoneNumber !== undefined) where.push(`msisdn = ${param(filters.phoneNumber)}`);
  if (filters.country !== undefined) where.push(`country = ${param(filters.country)}`);
  if (filters.createdFrom !== undefined) where.push(`created_at >= ${param(filters.createdFrom)}`);
  if (filters.createdTo !== undefined) where.push(`created_at < ${param(filters.createdTo)}`);
  if (filters.cursor !== undefined) {
    const cursor = decodeCursor(filters.cursor);
    where.push(
      `(created_at, id) < (${param(cursor.createdAt.toISOString())}::timestamptz, ${param(cursor.id)}::uuid)`,
    );
  }
  // One more than asked tells whether another page exists without a COUNT.
  const rows = await autocommitRows<Record<string, unknown>>(
    dataSource,
    `SELECT ${TRANSACTION_COLUMNS}
       FROM momo_transactions
      WHERE ${where.join(' AND ')}
      ORDER BY created_at DESC, id DESC
      LIMIT ${param(limit + 1)}`,
    parameters,
  );
  const items = rows.slice(0, limit).map((row) => hydrate(dataSource, MomoTransaction, row));
  const last = items[items.length - 1];
  return rows.length > limit && last
    ? { items, nextCursor: encodeCursor({ createdAt: last.createdAt, id: last.id }) }
    : { items };
}
