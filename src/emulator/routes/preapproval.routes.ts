import type { FastifyInstance } from 'fastify';
import { authorizeProductCall } from '../auth';
import { badRequest, mtnError } from '../mtn-errors';
import type { EmulatorState } from '../state';
import type { Transaction } from '../transactions';
import { optionalText, requireCurrency, requireParty } from '../validation';
import { findTransaction, registerCreate, registerStatus } from './transaction-routes';

const DEFAULT_VALIDITY_SECONDS = 3600;
const LIST_ID_TYPES = new Set(['msisdn', 'email', 'id', 'alias']);

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function details(tx: Transaction, apiUser: string): Record<string, unknown> {
  const approvedAt = tx.finalizedAt ?? tx.updatedAt;
  return {
    preApprovalId: tx.referenceId,
    toFri: `FRI:${apiUser}/API`,
    fromFri: `FRI:${tx.party?.partyId ?? ''}/${tx.party?.partyIdType ?? 'MSISDN'}`,
    fromCurrency: tx.currency,
    createdTime: iso(tx.createdAt),
    approvedTime: iso(approvedAt),
    expiryTime: iso(Number(tx.extra.expirationDateTime)),
    status: 'APPROVED',
    message: typeof tx.request.payerMessage === 'string' ? tx.request.payerMessage : '',
    startDate: iso(approvedAt).slice(0, 10),
  };
}

/**
 * Pre-approvals (v2 create and status), plus the v1 list of approved ones and their
 * cancellation. A SUCCESSFUL pre-approval is an approved one; no money moves.
 */
export function registerPreApprovalRoutes(app: FastifyInstance, state: EmulatorState): void {
  registerCreate(app, state, '/collection/v2_0/preapproval', {
    product: 'collection',
    kind: 'preapproval',
    version: 2,
    family: 'preapproval',
    parse: (body) => {
      const payer = requireParty(body, 'payer', 'payer');
      const currency = requireCurrency(body, 'payerCurrency');
      const validity = body.validityTime;
      if (validity !== undefined && !(Number.isInteger(validity) && (validity as number) >= 0)) {
        throw badRequest('validityTime must be a whole number of seconds.');
      }
      const seconds = (validity as number | undefined) ?? DEFAULT_VALIDITY_SECONDS;
      return {
        currency,
        party: payer,
        request: { payerMessage: optionalText(body, 'payerMessage'), validityTime: validity },
        extra: { expirationDateTime: Date.now() + seconds * 1000 },
      };
    },
  });

  registerStatus(app, state, '/collection/v2_0/preapproval/:referenceId', 'collection', [
    'preapproval',
  ]);

  app.get<{ Params: { idType: string; id: string } }>(
    '/collection/v1_0/preapprovals/:idType/:id',
    (req, reply) => {
      const ctx = authorizeProductCall(state, req, 'collection');
      if (!LIST_ID_TYPES.has(req.params.idType.toLowerCase())) {
        throw badRequest('accountHolderIdType must be msisdn, email, id or alias.');
      }
      const approved = state.transactions
        .list({ apiUser: ctx.user.id, kind: 'preapproval', status: 'SUCCESSFUL' })
        .filter((tx) => tx.party?.partyId === req.params.id && tx.cancelledAt === undefined)
        .map((tx) => details(tx, ctx.user.id));
      return reply.send(approved);
    },
  );

  app.delete<{ Params: { id: string } }>('/collection/v1_0/preapproval/:id', (req, reply) => {
    const ctx = authorizeProductCall(state, req, 'collection');
    const tx = findTransaction(state, ctx, req.params.id, ['preapproval']);
    if (tx.status !== 'SUCCESSFUL' || tx.cancelledAt !== undefined) throw mtnError('NOT_ALLOWED');
    tx.cancelledAt = Date.now();
    tx.updatedAt = tx.cancelledAt;
    return reply.code(200).send();
  });
}
