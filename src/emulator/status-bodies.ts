import { reasonMessage } from './mtn-errors';
import type { ReasonFormat } from './options';
import type { Transaction } from './transactions';

type Body = Record<string, unknown>;

/** Copies the listed request fields that were present, in the given order. */
function echo(tx: Transaction, fields: readonly string[], into: Body = {}): Body {
  for (const field of fields) {
    const value = tx.request[field];
    if (value !== undefined) into[field] = value;
  }
  return into;
}

function isPending(tx: Transaction): boolean {
  return tx.status === 'PENDING' || tx.status === 'CREATED';
}

/**
 * v1 results carry `reason` as a bare string, as the live sandbox sends it (MTN's definitions
 * declare an object). While pending, neither `financialTransactionId` nor `reason` appears.
 */
function v1Result(tx: Transaction, partyField: 'payer' | 'payee'): Body {
  const body: Body = {};
  if (!isPending(tx) && tx.financialTransactionId !== undefined) {
    body.financialTransactionId = tx.financialTransactionId;
  }
  echo(tx, ['externalId'], body);
  body.amount = tx.amount;
  body.currency = tx.currency;
  body[partyField] = tx.party;
  echo(tx, ['payerMessage', 'payeeNote'], body);
  body.status = tx.status;
  if (tx.status === 'FAILED' && tx.reason !== undefined) body.reason = tx.reason;
  return body;
}

function v2Reason(tx: Transaction, format: ReasonFormat): unknown {
  if (tx.status !== 'FAILED' || tx.reason === undefined) return undefined;
  return format === 'string' ? tx.reason : { code: tx.reason, message: reasonMessage(tx.reason) };
}

function setIfDefined(body: Body, key: string, value: unknown): void {
  if (value !== undefined) body[key] = value;
}

const CASH_TRANSFER_FIELDS = [
  'orginatingCountry',
  'originalAmount',
  'originalCurrency',
  'payerMessage',
  'payeeNote',
  'payerIdentificationType',
  'payerIdentificationNumber',
  'payerIdentity',
  'payerFirstName',
  'payerSurName',
  'payerLanguageCode',
  'payerEmail',
  'payerMsisdn',
  'payerGender',
] as const;

/** The body of the status GET, which is also the body of the callback. */
export function statusBody(tx: Transaction, v2ReasonFormat: ReasonFormat): Body {
  switch (tx.kind) {
    case 'requesttopay':
    case 'requesttowithdraw':
      return v1Result(tx, 'payer');
    case 'transfer':
    case 'deposit':
    case 'refund':
      return v1Result(tx, 'payee');
    case 'cashtransfer': {
      const body: Body = {};
      if (!isPending(tx)) setIfDefined(body, 'financialTransactionId', tx.financialTransactionId);
      body.status = tx.status;
      // MTN declares this reason a plain string.
      if (tx.status === 'FAILED') setIfDefined(body, 'reason', tx.reason);
      body.amount = tx.amount;
      body.currency = tx.currency;
      body.payee = tx.party;
      echo(tx, ['externalId', ...CASH_TRANSFER_FIELDS], body);
      return body;
    }
    case 'invoice': {
      const body: Body = { referenceId: tx.referenceId };
      echo(tx, ['externalId'], body);
      body.amount = tx.amount;
      body.currency = tx.currency;
      body.status = tx.status;
      body.paymentReference = tx.extra.paymentReference;
      body.invoiceId = tx.extra.invoiceId;
      body.expiryDateTime = tx.extra.expiryDateTime;
      body.payeeFirstName = 'Sand';
      body.payeeLastName = 'Box';
      setIfDefined(body, 'errorReason', v2Reason(tx, v2ReasonFormat));
      body.intendedPayer = tx.party;
      echo(tx, ['description'], body);
      return body;
    }
    case 'preapproval': {
      const body: Body = { payer: tx.party, payerCurrency: tx.currency };
      echo(tx, ['payerMessage'], body);
      body.status = tx.status;
      body.expirationDateTime = tx.extra.expirationDateTime;
      setIfDefined(body, 'reason', v2Reason(tx, v2ReasonFormat));
      return body;
    }
    case 'payment': {
      const body: Body = { referenceId: tx.referenceId, status: tx.status };
      if (!isPending(tx)) setIfDefined(body, 'financialTransactionId', tx.financialTransactionId);
      setIfDefined(body, 'reason', v2Reason(tx, v2ReasonFormat));
      return body;
    }
  }
}
