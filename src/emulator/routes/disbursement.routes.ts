import type { FastifyInstance } from 'fastify';
import type { ProductContext } from '../auth';
import { badRequest, mtnError } from '../mtn-errors';
import type { EmulatorState } from '../state';
import type { Transaction } from '../transactions';
import {
  isUuid,
  optionalString,
  optionalText,
  requireAmount,
  requireCurrency,
  requireString,
  type JsonObject,
} from '../validation';
import { parsePayout } from './transaction-bodies';
import {
  productAccount,
  registerCreate,
  registerStatus,
  wallet,
  type ParsedCreate,
} from './transaction-routes';

const REFUNDABLE = new Set(['requesttopay', 'requesttowithdraw', 'invoice']);

/**
 * A refund pays back (part of) a successful collection of the same API user from the
 * disbursement account to the original payer; refunds together never exceed the original.
 */
function parseRefund(state: EmulatorState, body: JsonObject, ctx: ProductContext): ParsedCreate {
  const amount = requireAmount(body);
  const currency = requireCurrency(body);
  const originalId = requireString(body, 'referenceIdToRefund');
  if (!isUuid(originalId)) throw badRequest('referenceIdToRefund must be a UUID.');
  const request = {
    externalId: optionalString(body, 'externalId'),
    payerMessage: optionalText(body, 'payerMessage'),
    payeeNote: optionalText(body, 'payeeNote'),
    referenceIdToRefund: originalId,
  };
  const original: Transaction | undefined = state.transactions.get(ctx.user.id, originalId);
  if (!original?.party || original.units === undefined || !REFUNDABLE.has(original.kind)) {
    // 500, not 404: MTN's create operations declare no 404.
    throw mtnError('RESOURCE_NOT_FOUND', 500);
  }
  if (original.status !== 'SUCCESSFUL') throw mtnError('NOT_ALLOWED');
  if (currency !== original.currency) throw mtnError('INVALID_CURRENCY');
  if (original.refundedUnits + amount.units > original.units) throw mtnError('NOT_ALLOWED');
  return {
    amount,
    currency,
    party: original.party,
    request,
    refundOf: original,
    movement: { from: productAccount(ctx), to: wallet(original.party) },
  };
}

export function registerDisbursementRoutes(app: FastifyInstance, state: EmulatorState): void {
  const product = 'disbursement';
  registerCreate(app, state, '/disbursement/v1_0/transfer', {
    product,
    kind: 'transfer',
    version: 1,
    family: 'transfer',
    parse: parsePayout,
  });
  registerStatus(app, state, '/disbursement/v1_0/transfer/:referenceId', product, ['transfer']);
  for (const version of [1, 2] as const) {
    registerCreate(app, state, `/disbursement/v${version}_0/deposit`, {
      product,
      kind: 'deposit',
      version,
      family: 'deposit',
      parse: parsePayout,
    });
    registerCreate(app, state, `/disbursement/v${version}_0/refund`, {
      product,
      kind: 'refund',
      version,
      parse: (body, ctx) => parseRefund(state, body, ctx),
    });
  }
  registerStatus(app, state, '/disbursement/v1_0/deposit/:referenceId', product, ['deposit']);
  registerStatus(app, state, '/disbursement/v1_0/refund/:referenceId', product, ['refund']);
}
