import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { authorizeProductCall } from '../auth';
import { badRequest, mtnError } from '../mtn-errors';
import type { EmulatorState } from '../state';
import {
  optionalString,
  optionalText,
  parseJsonBody,
  requireAmount,
  requireCurrency,
  requireParty,
  requireReferenceIdHeader,
} from '../validation';
import {
  findTransaction,
  productAccount,
  readCallbackUrl,
  registerCreate,
  registerStatus,
  wallet,
} from './transaction-routes';

const DEFAULT_VALIDITY_SECONDS = 3600;

/**
 * Invoices (v2). The sandbox behaviour is unknown, so an invoice behaves like a request to pay
 * addressed to its intended payer: that number picks the outcome and, on success, the payer's
 * wallet pays the API user's collection account.
 */
export function registerInvoiceRoutes(app: FastifyInstance, state: EmulatorState): void {
  registerCreate(app, state, '/collection/v2_0/invoice', {
    product: 'collection',
    kind: 'invoice',
    version: 2,
    family: 'payer-request',
    parse: (body, ctx) => {
      const amount = requireAmount(body);
      const currency = requireCurrency(body);
      const validity = optionalString(body, 'validityDuration');
      if (validity !== undefined && !/^\d{1,9}$/.test(validity)) {
        throw badRequest('validityDuration must be a number of seconds.');
      }
      const intendedPayer = requireParty(body, 'intendedPayer', 'payer');
      requireParty(body, 'payee', 'payee');
      const seconds = validity === undefined ? DEFAULT_VALIDITY_SECONDS : Number(validity);
      return {
        amount,
        currency,
        party: intendedPayer,
        request: {
          externalId: optionalString(body, 'externalId'),
          validityDuration: validity,
          description: optionalText(body, 'description'),
        },
        movement: { from: wallet(intendedPayer), to: productAccount(ctx) },
        extra: {
          paymentReference: randomUUID().slice(0, 8).toUpperCase(),
          invoiceId: String(Math.floor(100_000_000 + Math.random() * 900_000_000)),
          expiryDateTime: new Date(Date.now() + seconds * 1000).toISOString().slice(0, 19),
        },
      };
    },
  });

  registerStatus(app, state, '/collection/v2_0/invoice/:referenceId', 'collection', ['invoice']);

  app.delete<{ Params: { referenceId: string } }>(
    '/collection/v2_0/invoice/:referenceId',
    (req, reply) => {
      const ctx = authorizeProductCall(state, req, 'collection');
      requireReferenceIdHeader(req);
      parseJsonBody(req);
      const callbackUrl = readCallbackUrl(req, ctx.user);
      const tx = findTransaction(state, ctx, req.params.referenceId, ['invoice']);
      if (!state.engine.cancel(tx, callbackUrl ?? tx.callbackUrl)) throw mtnError('NOT_ALLOWED');
      return reply.code(200).send();
    },
  );
}
