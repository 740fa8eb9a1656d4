import type { ProductContext } from '../auth';
import {
  optionalString,
  optionalText,
  requireAmount,
  requireCurrency,
  requireParty,
  type JsonObject,
} from '../validation';
import { productAccount, wallet, type ParsedCreate } from './transaction-routes';

/** RequestToPay body (request to pay, request to withdraw): the payer's wallet pays the account. */
export function parsePayerRequest(body: JsonObject, ctx: ProductContext): ParsedCreate {
  const amount = requireAmount(body);
  const currency = requireCurrency(body);
  const payer = requireParty(body, 'payer', 'payer');
  return {
    amount,
    currency,
    party: payer,
    request: {
      externalId: optionalString(body, 'externalId'),
      payerMessage: optionalText(body, 'payerMessage'),
      payeeNote: optionalText(body, 'payeeNote'),
    },
    movement: { from: wallet(payer), to: productAccount(ctx) },
  };
}

/** Transfer body (transfers, deposits): the API user's account pays the payee's wallet. */
export function parsePayout(body: JsonObject, ctx: ProductContext): ParsedCreate {
  const amount = requireAmount(body);
  const currency = requireCurrency(body);
  const payee = requireParty(body, 'payee', 'payee');
  return {
    amount,
    currency,
    party: payee,
    request: {
      externalId: optionalString(body, 'externalId'),
      payerMessage: optionalText(body, 'payerMessage'),
      payeeNote: optionalText(body, 'payeeNote'),
    },
    movement: { from: productAccount(ctx), to: wallet(payee) },
  };
}
