import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiUser } from '../api-users';
import { authorizeProductCall, type ProductContext } from '../auth';
import type { AccountRef } from '../ledger';
import { transactionOutcome, type OperationFamily } from '../magic-numbers';
import { mtnError } from '../mtn-errors';
import { SUCCESS } from '../outcomes';
import { pathOf, type Product } from '../products';
import type { EmulatorState } from '../state';
import { statusBody } from '../status-bodies';
import type { Transaction, TransactionKind } from '../transactions';
import {
  readHeader,
  requireObjectBody,
  requireReferenceIdHeader,
  requireReferenceIdParam,
  type Amount,
  type JsonObject,
  type Party,
} from '../validation';

/** What a create endpoint's body parser hands to the shared create pipeline. */
export interface ParsedCreate {
  currency: string;
  amount?: Amount;
  party?: Party;
  /** Fields echoed by the status body. */
  request: Record<string, unknown>;
  movement?: { from: AccountRef; to: AccountRef };
  refundOf?: Transaction;
  extra?: Record<string, string | number>;
  /** The party whose number picks the outcome when it is not `party`. */
  outcomeParty?: Party;
}

export interface CreateSpec {
  product: Product;
  kind: TransactionKind;
  version: 1 | 2;
  /** The magic-number table that applies; none means only scripted outcomes steer it. */
  family?: OperationFamily;
  parse(body: JsonObject, ctx: ProductContext): ParsedCreate;
}

export function wallet(party: Party): AccountRef {
  return { kind: 'wallet', partyIdType: party.partyIdType, partyId: party.partyId };
}

export function productAccount(ctx: ProductContext): AccountRef {
  return { kind: 'account', apiUser: ctx.user.id, product: ctx.product };
}

/**
 * `X-Callback-Url` must point at the API user's registered host. Host names are compared
 * case-insensitively and without the port, so a local receiver on any port matches `localhost`.
 */
export function readCallbackUrl(req: FastifyRequest, user: ApiUser): string | undefined {
  const value = readHeader(req, 'x-callback-url');
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw mtnError('INVALID_CALLBACK_URL_HOST');
  }
  const schemeOk = url.protocol === 'http:' || url.protocol === 'https:';
  if (!schemeOk || url.hostname.toLowerCase() !== user.callbackHostname) {
    throw mtnError('INVALID_CALLBACK_URL_HOST');
  }
  return value;
}

/**
 * The create pipeline shared by every resource-creating POST, in MTN's order of checks:
 * key, token, environment, reference id (400), body (400), duplicate (409), callback host (500),
 * currency (500), then the outcome: refused (500/503/409, nothing stored) or accepted (202).
 */
export function registerCreate(
  app: FastifyInstance,
  state: EmulatorState,
  path: string,
  spec: CreateSpec,
): void {
  app.post(path, (req, reply) => {
    const ctx = authorizeProductCall(state, req, spec.product);
    const referenceId = requireReferenceIdHeader(req);
    const parsed = spec.parse(requireObjectBody(req), ctx);
    if (state.transactions.get(ctx.user.id, referenceId)) throw mtnError('RESOURCE_ALREADY_EXIST');
    const callbackUrl = readCallbackUrl(req, ctx.user);
    if (parsed.currency !== ctx.currency) throw mtnError('INVALID_CURRENCY');
    const outcomeParty = parsed.outcomeParty ?? parsed.party;
    const outcome =
      state.outcomes.take(pathOf(req.url), outcomeParty?.partyId) ??
      (spec.family ? transactionOutcome(spec.family, outcomeParty) : SUCCESS);
    if (outcome.type === 'reject') throw mtnError(outcome.code, outcome.httpStatus);
    const now = Date.now();
    state.engine.start(
      {
        referenceId,
        apiUser: ctx.user.id,
        product: spec.product,
        kind: spec.kind,
        version: spec.version,
        currency: parsed.currency,
        amount: parsed.amount?.text,
        units: parsed.amount?.units,
        party: parsed.party,
        request: parsed.request,
        status: outcome.initial,
        callbackUrl,
        createdAt: now,
        updatedAt: now,
        movement: parsed.movement,
        settled: false,
        refundOf: parsed.refundOf,
        refundedUnits: 0n,
        drifted: false,
        extra: parsed.extra ?? {},
      },
      outcome,
    );
    return reply.code(202).send();
  });
}

/** A transaction of this API user, product and kind, or MTN's 404. */
export function findTransaction(
  state: EmulatorState,
  ctx: ProductContext,
  referenceId: string,
  kinds: readonly TransactionKind[],
): Transaction {
  const tx = state.transactions.get(ctx.user.id, requireReferenceIdParam(referenceId));
  if (!tx || tx.product !== ctx.product || !kinds.includes(tx.kind)) {
    throw mtnError('RESOURCE_NOT_FOUND');
  }
  return tx;
}

export function registerStatus(
  app: FastifyInstance,
  state: EmulatorState,
  path: string,
  product: Product,
  kinds: readonly TransactionKind[],
): void {
  app.get<{ Params: { referenceId: string } }>(path, (req, reply) => {
    const ctx = authorizeProductCall(state, req, product);
    const tx = findTransaction(state, ctx, req.params.referenceId, kinds);
    return reply.send(statusBody(tx, state.settings.v2ReasonFormat));
  });
}
