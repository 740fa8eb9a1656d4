import type { FastifyInstance } from 'fastify';
import type { AccountRef } from '../ledger';
import { formatUnits, parseAmount } from '../money';
import { isReasonCode, type ReasonCode } from '../mtn-errors';
import { isProduct } from '../products';
import type { EmulatorState } from '../state';
import { isFinal, type Transaction, type TransactionStatus } from '../transactions';
import { isObject, parseJsonBody } from '../validation';
import { adminError } from './admin-input';

interface RefParams {
  Params: { referenceId: string };
  Querystring: { apiUser?: string };
}

/** The emulator's full record of a transaction (BigInts as decimal text). */
export function transactionView(tx: Transaction): Record<string, unknown> {
  return {
    referenceId: tx.referenceId,
    apiUser: tx.apiUser,
    product: tx.product,
    kind: tx.kind,
    version: tx.version,
    status: tx.status,
    reason: tx.reason,
    amount: tx.amount,
    currency: tx.currency,
    party: tx.party,
    financialTransactionId: tx.financialTransactionId,
    callbackUrl: tx.callbackUrl,
    request: tx.request,
    createdAt: new Date(tx.createdAt).toISOString(),
    updatedAt: new Date(tx.updatedAt).toISOString(),
    finalizedAt: tx.finalizedAt === undefined ? undefined : new Date(tx.finalizedAt).toISOString(),
    settled: tx.settled,
    drifted: tx.drifted,
    refundOf: tx.refundOf?.referenceId,
    refundedAmount: tx.refundedUnits > 0n ? formatUnits(tx.refundedUnits) : undefined,
    pending: tx.plan ? { status: tx.plan.status, reason: tx.plan.reason } : undefined,
    cancelledAt: tx.cancelledAt === undefined ? undefined : new Date(tx.cancelledAt).toISOString(),
  };
}

function findOne(state: EmulatorState, referenceId: string, apiUser?: string): Transaction {
  const [tx] = state.transactions.list({ referenceId, apiUser });
  if (!tx) throw adminError(`no transaction ${referenceId}`, 404);
  return tx;
}

function readStatus(value: unknown, allowed: readonly TransactionStatus[]): TransactionStatus {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw adminError(`status must be one of ${allowed.join(', ')}`);
  }
  return value as TransactionStatus;
}

function readReason(value: unknown): ReasonCode | undefined {
  if (value === undefined) return undefined;
  if (!isReasonCode(value)) throw adminError('reason must be an MTN reason code');
  return value;
}

function accountRef(body: Record<string, unknown>): AccountRef {
  const { msisdn, partyIdType, partyId, apiUser, product } = body;
  if (typeof msisdn === 'string') return { kind: 'wallet', partyIdType: 'MSISDN', partyId: msisdn };
  if (typeof partyIdType === 'string' && typeof partyId === 'string') {
    return { kind: 'wallet', partyIdType, partyId };
  }
  if (typeof apiUser === 'string' && isProduct(product))
    return { kind: 'account', apiUser, product };
  throw adminError(
    'name a wallet (msisdn, or partyIdType + partyId) or an account (apiUser + product)',
  );
}

export function registerAdminTransactionRoutes(app: FastifyInstance, state: EmulatorState): void {
  app.get<{ Querystring: Record<string, string | undefined> }>(
    '/_emulator/transactions',
    (req, reply) => {
      const q = req.query;
      const list = state.transactions.list({
        apiUser: q.apiUser,
        kind: q.kind,
        status: q.status,
        product: q.product,
        referenceId: q.referenceId,
      });
      return reply.send(list.map(transactionView));
    },
  );

  app.get<RefParams>('/_emulator/transactions/:referenceId', (req, reply) =>
    reply.send(transactionView(findOne(state, req.params.referenceId, req.query.apiUser))),
  );

  /**
   * The normal end of a pending transaction, now: money moves and the callback goes out. Without
   * a status, the transaction takes the outcome it was heading to (46733123453: FAILED EXPIRED).
   */
  app.post<RefParams>('/_emulator/transactions/:referenceId/complete', (req, reply) => {
    const tx = findOne(state, req.params.referenceId, req.query.apiUser);
    const body = parseJsonBody(req) ?? {};
    if (!isObject(body)) throw adminError('body must be a JSON object');
    const status =
      body.status === undefined
        ? undefined
        : (readStatus(body.status, ['SUCCESSFUL', 'FAILED']) as 'SUCCESSFUL' | 'FAILED');
    const reason = readReason(body.reason);
    if (!state.engine.complete(tx, status, reason)) throw adminError(`already ${tx.status}`, 409);
    return reply.send(transactionView(tx));
  });

  /**
   * Drift: rewrites MTN's record behind the client's back, for reconciliation tests. No money
   * moves and no callback is sent; any pending timer is cancelled.
   */
  app.patch<RefParams>('/_emulator/transactions/:referenceId', (req, reply) => {
    const tx = findOne(state, req.params.referenceId, req.query.apiUser);
    const body = parseJsonBody(req);
    if (!isObject(body)) throw adminError('body must be a JSON object');
    if (body.amount !== undefined) {
      if (typeof body.amount !== 'string' || parseAmount(body.amount) === undefined) {
        throw adminError('amount must be a decimal string');
      }
      tx.amount = body.amount;
    }
    if (body.status !== undefined) {
      const status = readStatus(body.status, ['PENDING', 'CREATED', 'SUCCESSFUL', 'FAILED']);
      const reason = readReason(body.reason);
      if (tx.timer) clearTimeout(tx.timer);
      tx.timer = undefined;
      tx.plan = undefined;
      tx.status = status;
      tx.reason = status === 'FAILED' ? (reason ?? 'INTERNAL_PROCESSING_ERROR') : undefined;
      if (status === 'SUCCESSFUL' && tx.financialTransactionId === undefined) {
        tx.financialTransactionId = state.engine.nextFinancialTransactionId();
      }
      if (isFinal(status)) tx.finalizedAt = Date.now();
    }
    if (body.financialTransactionId !== undefined) {
      if (typeof body.financialTransactionId !== 'string') {
        throw adminError('financialTransactionId must be a string');
      }
      tx.financialTransactionId = body.financialTransactionId;
    }
    tx.drifted = true;
    tx.updatedAt = Date.now();
    return reply.send(transactionView(tx));
  });

  app.get('/_emulator/ledger', (_req, reply) => reply.send(state.ledger.snapshot()));

  app.put('/_emulator/ledger/balance', (req, reply) => {
    const body = parseJsonBody(req);
    if (!isObject(body)) throw adminError('body must be a JSON object');
    const { currency, balance } = body;
    if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) {
      throw adminError('currency must be an ISO 4217 code');
    }
    const units = typeof balance === 'string' ? parseAmount(balance) : undefined;
    if (units === undefined) throw adminError('balance must be a non-negative decimal string');
    const ref = accountRef(body);
    state.ledger.setBalance(ref, currency, units);
    return reply.send({ currency, balance: formatUnits(state.ledger.balance(ref, currency)) });
  });
}
