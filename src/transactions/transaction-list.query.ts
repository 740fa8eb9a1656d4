import type { EntityManager } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import type { Product } from '../common/product';
import { MomoTransaction } from './momo-transaction.entity';
import { decodeCursor, encodeCursor } from './transaction-cursor';
import type { ListFilters, ListResult } from './transaction.inputs';

export const DEFAULT_LIST_LIMIT = 50;
export const MAX_LIST_LIMIT = 200;

/**
 * One page of a product's transactions, newest first (created_at desc, id desc). Keyset
 * pagination: the cursor is the last item's (created_at, id), so pages stay stable while new
 * transactions arrive, and a deep page costs the same as the first.
 */
export async function listTransactions(
  manager: EntityManager,
  product: Product,
  filters: ListFilters,
): Promise<ListResult> {
  const limit = filters.limit ?? DEFAULT_LIST_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
    throw new DomainError('VALIDATION_FAILED', 'Invalid limit', {
      details: [{ field: 'limit', message: `must be an integer from 1 to ${MAX_LIST_LIMIT}` }],
    });
  }
  const qb = manager
    .createQueryBuilder(MomoTransaction, 't')
    .where('t.product = :product', { product });
  if (filters.status !== undefined) qb.andWhere('t.status = :status', { status: filters.status });
  if (filters.operation !== undefined) {
    qb.andWhere('t.operation = :operation', { operation: filters.operation });
  }
  if (filters.externalId !== undefined) {
    qb.andWhere('t.externalId = :externalId', { externalId: filters.externalId });
  }
  if (filters.phoneNumber !== undefined) {
    qb.andWhere('t.msisdn = :msisdn', { msisdn: filters.phoneNumber });
  }
  if (filters.country !== undefined)
    qb.andWhere('t.country = :country', { country: filters.country });
  if (filters.createdFrom !== undefined) {
    qb.andWhere('t.createdAt >= :createdFrom', { createdFrom: filters.createdFrom });
  }
  if (filters.createdTo !== undefined) {
    qb.andWhere('t.createdAt < :createdTo', { createdTo: filters.createdTo });
  }
  if (filters.cursor !== undefined) {
    const cursor = decodeCursor(filters.cursor);
    qb.andWhere('(t.createdAt, t.id) < (CAST(:cursorAt AS timestamptz), CAST(:cursorId AS uuid))', {
      cursorAt: cursor.createdAt.toISOString(),
      cursorId: cursor.id,
    });
  }
  // One more than asked tells whether another page exists without a COUNT.
  const rows = await qb
    .orderBy('t.createdAt', 'DESC')
    .addOrderBy('t.id', 'DESC')
    .limit(limit + 1)
    .getMany();
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return rows.length > limit && last
    ? { items, nextCursor: encodeCursor({ createdAt: last.createdAt, id: last.id }) }
    : { items };
}
