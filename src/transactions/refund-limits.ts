import type { EntityManager } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { Money } from '../common/money';
import { MomoTransaction } from './momo-transaction.entity';
import type { RefundableAmount } from './transaction.inputs';
import { isUuid } from './uuid';

function notAllowed(message: string): DomainError {
  return new DomainError('REFUND_NOT_ALLOWED', message, {
    details: [{ field: 'collectionId', message }],
  });
}

/**
 * The collection a refund refers to, checked refundable: a SUCCESSFUL requestToPay (what MTN's
 * `referenceIdToRefund` names). With `lock`, the row is taken FOR UPDATE, so every refund of one
 * collection is decided one after another and concurrent refunds cannot together exceed it.
 */
export async function refundableCollection(
  manager: EntityManager,
  collectionId: string,
  lock: boolean,
): Promise<MomoTransaction> {
  const parent = isUuid(collectionId)
    ? await manager.findOne(MomoTransaction, {
        where: { id: collectionId },
        ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
      })
    : null;
  if (!parent || parent.product !== 'collection') {
    throw notAllowed('Only a collection can be refunded and none exists with this id');
  }
  if (parent.operation !== 'requestToPay') {
    throw notAllowed(`A ${parent.operation} cannot be refunded, only a requestToPay`);
  }
  if (parent.status !== 'SUCCESSFUL') {
    throw notAllowed(`Only a SUCCESSFUL collection can be refunded; this one is ${parent.status}`);
  }
  return parent;
}

/** What was collected, what PENDING or SUCCESSFUL refunds already take, and what is left. */
export async function refundTotals(
  manager: EntityManager,
  parent: MomoTransaction,
): Promise<RefundableAmount> {
  const row = await manager
    .createQueryBuilder(MomoTransaction, 'r')
    .select('COALESCE(SUM(r.amount), 0)::text', 'refunded')
    .where(`r.parentId = :id AND r.status <> 'FAILED'`, { id: parent.id })
    .getRawOne<{ refunded: string }>();
  const collected = Money.parse(parent.amount, parent.currency);
  const refunded = Money.parse(row?.refunded ?? '0', parent.currency, { allowZero: true });
  return {
    currency: parent.currency,
    collected: collected.toString(),
    refunded: refunded.toString(),
    refundable: collected.minus(refunded).toString(),
  };
}

export function assertRefundFits(totals: RefundableAmount, amount: string, currency: string): void {
  if (currency !== totals.currency) {
    throw new DomainError('CURRENCY_MISMATCH', `The collection was in ${totals.currency}`, {
      details: [{ field: 'currency', message: `must be ${totals.currency}, as the collection` }],
    });
  }
  const requested = Money.parse(amount, currency);
  if (requested.greaterThan(Money.parse(totals.refundable, currency, { allowZero: true }))) {
    throw new DomainError(
      'REFUND_EXCEEDS_COLLECTED',
      `At most ${totals.refundable} ${currency} of this collection can still be refunded`,
      {
        details: [
          {
            field: 'amount',
            message: `at most ${totals.refundable} can still be refunded`,
            collected: totals.collected,
            refunded: totals.refunded,
            refundable: totals.refundable,
          },
        ],
      },
    );
  }
}
