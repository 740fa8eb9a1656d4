import type { FastifyInstance } from 'fastify';
import { authorizeProductCall } from '../auth';
import { badRequest, EmulatorHttpError, errorReasonBody, mtnError } from '../mtn-errors';
import type { EmulatorState } from '../state';
import { isObject, MAX_TEXT_LENGTH, parseJsonBody, readHeader } from '../validation';
import { registerInvoiceRoutes } from './invoice.routes';
import { registerPaymentRoutes } from './payment.routes';
import { registerPreApprovalRoutes } from './preapproval.routes';
import { parsePayerRequest } from './transaction-bodies';
import { findTransaction, registerCreate, registerStatus } from './transaction-routes';

export function registerCollectionRoutes(app: FastifyInstance, state: EmulatorState): void {
  const product = 'collection';
  registerCreate(app, state, '/collection/v1_0/requesttopay', {
    product,
    kind: 'requesttopay',
    version: 1,
    family: 'payer-request',
    parse: parsePayerRequest,
  });
  registerStatus(app, state, '/collection/v1_0/requesttopay/:referenceId', product, [
    'requesttopay',
  ]);
  for (const version of [1, 2] as const) {
    registerCreate(app, state, `/collection/v${version}_0/requesttowithdraw`, {
      product,
      kind: 'requesttowithdraw',
      version,
      family: 'payer-request',
      parse: parsePayerRequest,
    });
  }
  registerStatus(app, state, '/collection/v1_0/requesttowithdraw/:referenceId', product, [
    'requesttowithdraw',
  ]);
  registerDeliveryNotification(app, state);
  registerInvoiceRoutes(app, state);
  registerPreApprovalRoutes(app, state);
  registerPaymentRoutes(app, state);
}

/**
 * One extra notification per successful request to pay: 200 when queued, 409 unless the
 * payment succeeded, 410 after the window, 429 for a second one.
 */
function registerDeliveryNotification(app: FastifyInstance, state: EmulatorState): void {
  app.post<{ Params: { referenceId: string } }>(
    '/collection/v1_0/requesttopay/:referenceId/deliverynotification',
    (req, reply) => {
      const ctx = authorizeProductCall(state, req, 'collection');
      const body = parseJsonBody(req);
      const fromBody = isObject(body) ? body.notificationMessage : undefined;
      const message = readHeader(req, 'notificationmessage') ?? fromBody;
      if (typeof message !== 'string' || message === '') {
        throw badRequest('notificationMessage is required.');
      }
      if (message.length > MAX_TEXT_LENGTH) {
        throw badRequest(`notificationMessage must be at most ${MAX_TEXT_LENGTH} characters.`);
      }
      const tx = findTransaction(state, ctx, req.params.referenceId, ['requesttopay']);
      if (tx.status !== 'SUCCESSFUL') {
        throw new EmulatorHttpError(409, errorReasonBody('TRANSACTION_NOT_COMPLETED'));
      }
      if (
        Date.now() - (tx.finalizedAt ?? tx.updatedAt) >
        state.settings.deliveryNotificationWindowMs
      ) {
        throw mtnError('EXPIRED', 410);
      }
      if (tx.deliveryNotification) {
        throw new EmulatorHttpError(429, {
          message: 'A delivery notification was already sent for this transaction.',
          code: 'NOT_ALLOWED',
        });
      }
      tx.deliveryNotification = { message, language: readHeader(req, 'language'), at: Date.now() };
      return reply.code(200).send();
    },
  );
}
