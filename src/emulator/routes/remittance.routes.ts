import type { FastifyInstance } from 'fastify';
import { parseAmount } from '../money';
import { badRequest } from '../mtn-errors';
import type { EmulatorState } from '../state';
import { optionalString, optionalText, type JsonObject } from '../validation';
import { parsePayout } from './transaction-bodies';
import { registerCreate, registerStatus } from './transaction-routes';

const IDENTIFICATION_TYPES = new Set([
  'PASS',
  'CPFA',
  'SRSSA',
  'NRIN',
  'OTHR',
  'DRLC',
  'SOCS',
  'AREG',
  'IDCD',
  'EMID',
]);

const PLAIN_FIELDS = [
  'orginatingCountry',
  'payerIdentificationNumber',
  'payerIdentity',
  'payerFirstName',
  'payerSurName',
  'payerLanguageCode',
  'payerEmail',
  'payerMsisdn',
  'payerGender',
] as const;

/** Cash transfer sender details; MTN's misspelt `orginatingCountry` is kept as is. */
function cashTransferFields(body: JsonObject): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const field of PLAIN_FIELDS) fields[field] = optionalString(body, field);
  const originalAmount = optionalString(body, 'originalAmount');
  if (originalAmount !== undefined && parseAmount(originalAmount) === undefined) {
    throw badRequest('originalAmount must be a decimal string.');
  }
  const originalCurrency = optionalString(body, 'originalCurrency');
  if (originalCurrency !== undefined && !/^[A-Z]{3}$/.test(originalCurrency)) {
    throw badRequest('originalCurrency must be an ISO 4217 code.');
  }
  const idType = optionalString(body, 'payerIdentificationType');
  if (idType !== undefined && !IDENTIFICATION_TYPES.has(idType)) {
    throw badRequest('payerIdentificationType is not a known identification type.');
  }
  return {
    ...fields,
    originalAmount,
    originalCurrency,
    payerIdentificationType: idType,
    payerMessage: optionalText(body, 'payerMessage'),
    payeeNote: optionalText(body, 'payeeNote'),
  };
}

export function registerRemittanceRoutes(app: FastifyInstance, state: EmulatorState): void {
  const product = 'remittance';
  registerCreate(app, state, '/remittance/v1_0/transfer', {
    product,
    kind: 'transfer',
    version: 1,
    family: 'transfer',
    parse: parsePayout,
  });
  registerStatus(app, state, '/remittance/v1_0/transfer/:referenceId', product, ['transfer']);
  registerCreate(app, state, '/remittance/v2_0/cashtransfer', {
    product,
    kind: 'cashtransfer',
    version: 2,
    family: 'transfer',
    parse: (body, ctx) => {
      const payout = parsePayout(body, ctx);
      return { ...payout, request: { ...payout.request, ...cashTransferFields(body) } };
    },
  });
  registerStatus(app, state, '/remittance/v2_0/cashtransfer/:referenceId', product, [
    'cashtransfer',
  ]);
}
