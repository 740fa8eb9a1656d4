import type { MomoOperation } from '../momo/momo.types';

/** What every MTN create body needs; amounts are strings, in the currency MTN is sent. */
export interface MtnBodyInput {
  operation: MomoOperation;
  amount: string;
  mtnCurrency: string;
  externalId: string;
  msisdn: string;
  payerMessage?: string;
  payeeNote?: string;
  /** Refund: the X-Reference-Id of the collection being refunded. */
  referenceIdToRefund?: string;
  /** Cash transfer: the sender's details MTN requires (momo-api.md §6.3). */
  cashTransfer?: Record<string, string>;
}

/** MTN's body per operation (momo-api.md §6): the party is the payer for collections, else the payee. */
export function mtnRequestBody(input: MtnBodyInput): Record<string, unknown> {
  const party = { partyIdType: 'MSISDN', partyId: input.msisdn };
  const common = {
    amount: input.amount,
    currency: input.mtnCurrency,
    externalId: input.externalId,
    payerMessage: input.payerMessage ?? '',
    payeeNote: input.payeeNote ?? '',
  };
  switch (input.operation) {
    case 'requestToPay':
    case 'requestToWithdraw':
      return { ...common, payer: party };
    case 'transfer':
    case 'deposit':
      return { ...common, payee: party };
    case 'refund':
      return { ...common, referenceIdToRefund: input.referenceIdToRefund };
    case 'cashTransfer':
      // The sender's details first: they can never replace the amount, currency or payee.
      return { ...(input.cashTransfer ?? {}), ...common, payee: party };
  }
}
