import type { FastifyReply } from 'fastify';
import { toTransactionView, type TransactionView } from '../transactions/transaction.view';
import type { InitiationResult } from './payment-initiation.service';

/** The transaction as answered to a POST; a replay says so in `Idempotent-Replayed: true`. */
export function replied(reply: FastifyReply, result: InitiationResult): TransactionView {
  if (result.replayed) void reply.header('Idempotent-Replayed', 'true');
  return toTransactionView(result.transaction);
}
