import type { FastifyInstance } from 'fastify';
import { badRequest } from '../mtn-errors';
import type { EmulatorState } from '../state';
import {
  isObject,
  isValidMsisdn,
  optionalString,
  optionalText,
  requireAmount,
  requireCurrency,
  requireString,
  type JsonObject,
  type Party,
} from '../validation';
import { registerCreate, registerStatus } from './transaction-routes';

function optionalInteger(body: JsonObject, field: string): number | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (!Number.isInteger(value)) throw badRequest(`${field} must be an integer.`);
  return value as number;
}

/**
 * Payments (v2, bill payment and airtime through the partner gateway). Who pays whom is not
 * specified, so payments record an outcome without moving money; a customer reference that is
 * a phone number picks the outcome like a request-to-pay payer.
 */
export function registerPaymentRoutes(app: FastifyInstance, state: EmulatorState): void {
  registerCreate(app, state, '/collection/v2_0/payment', {
    product: 'collection',
    kind: 'payment',
    version: 2,
    family: 'payer-request',
    parse: (body) => {
      const money = body.money;
      if (!isObject(money)) throw badRequest('money is required.');
      const amount = requireAmount(money);
      const currency = requireCurrency(money);
      const customerReference = requireString(body, 'customerReference');
      const includeSenderCharges = body.includeSenderCharges;
      if (includeSenderCharges !== undefined && typeof includeSenderCharges !== 'boolean') {
        throw badRequest('includeSenderCharges must be a boolean.');
      }
      const digits = customerReference.replace(/^\+/, '');
      const customer: Party | undefined = isValidMsisdn(digits)
        ? { partyIdType: 'MSISDN', partyId: digits }
        : undefined;
      return {
        amount,
        currency,
        outcomeParty: customer,
        request: {
          externalTransactionId: optionalString(body, 'externalTransactionId'),
          customerReference,
          serviceProviderUserName: optionalString(body, 'serviceProviderUserName'),
          couponId: optionalString(body, 'couponId'),
          productId: optionalString(body, 'productId'),
          productOfferingId: optionalString(body, 'productOfferingId'),
          receiverMessage: optionalText(body, 'receiverMessage'),
          senderNote: optionalText(body, 'senderNote'),
          maxNumberOfRetries: optionalInteger(body, 'maxNumberOfRetries'),
          includeSenderCharges,
        },
      };
    },
  });
  registerStatus(app, state, '/collection/v2_0/payment/:referenceId', 'collection', ['payment']);
}
