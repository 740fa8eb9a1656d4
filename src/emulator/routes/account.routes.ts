import type { FastifyInstance } from 'fastify';
import { authorizeProductCall } from '../auth';
import { accountHolderOutcome } from '../magic-numbers';
import { formatUnits } from '../money';
import { APIM_NOT_FOUND, badRequest, EmulatorHttpError, mtnError } from '../mtn-errors';
import { PRODUCTS, type Product } from '../products';
import type { EmulatorState } from '../state';
import { isUuid, isValidEmail, isValidMsisdn } from '../validation';
import { productAccount } from './transaction-routes';

interface HolderParams {
  Params: { idType: string; id: string };
}

function validateHolderId(idType: string, id: string): void {
  const valid =
    idType === 'msisdn'
      ? isValidMsisdn(id)
      : idType === 'email'
        ? isValidEmail(id)
        : idType === 'party_code'
          ? isUuid(id)
          : id.length > 0;
  if (!valid) throw badRequest(`${id} is not a valid ${idType}.`);
}

/** The account holder, or the lookup's error, per MTN's account-holder test values. */
function lookUp(idType: string, id: string): boolean {
  const outcome = accountHolderOutcome(idType, id);
  if (outcome.type === 'error') throw mtnError(outcome.code, outcome.httpStatus);
  return outcome.active;
}

/** The sandbox's fixed identity ("Sand Box"), as MTN's SDK documentation shows it. */
function basicUserInfo(active: boolean): Record<string, unknown> {
  return {
    sub: '0',
    name: 'Sand Box',
    given_name: 'Sand',
    family_name: 'Box',
    birthdate: '1976-08-13',
    locale: 'sv_SE',
    gender: 'MALE',
    status: active ? 'ACTIVE' : 'INACTIVE',
    updated_at: Math.floor(Date.now() / 1000),
  };
}

const BASIC_INFO_ID_TYPES: Record<Product, ReadonlySet<string>> = {
  collection: new Set(['msisdn', 'email', 'alias', 'id']),
  disbursement: new Set(['msisdn', 'email', 'alias', 'id']),
  // Remittance only defines the MSISDN form of this operation.
  remittance: new Set(['msisdn']),
};

/** Balance and account-holder calls, identical in the three products. */
export function registerAccountRoutes(app: FastifyInstance, state: EmulatorState): void {
  for (const product of PRODUCTS) {
    app.get(`/${product}/v1_0/account/balance`, (req, reply) => {
      const ctx = authorizeProductCall(state, req, product);
      const units = state.ledger.balance(productAccount(ctx), ctx.currency);
      return reply.send({ availableBalance: formatUnits(units), currency: ctx.currency });
    });

    app.get<{ Params: { currency: string } }>(
      `/${product}/v1_0/account/balance/:currency`,
      (req, reply) => {
        const ctx = authorizeProductCall(state, req, product);
        const currency = req.params.currency;
        if (!/^[A-Z]{3}$/.test(currency)) throw badRequest('currency must be an ISO 4217 code.');
        if (currency !== ctx.currency) throw mtnError('INVALID_CURRENCY');
        const units = state.ledger.balance(productAccount(ctx), currency);
        return reply.send({ availableBalance: formatUnits(units), currency });
      },
    );

    app.get<HolderParams>(`/${product}/v1_0/accountholder/:idType/:id/active`, (req, reply) => {
      authorizeProductCall(state, req, product);
      // MTN asks for lower case; clients such as mtn-momo send MSISDN, and MTN's answer to
      // that is unknown, so both are accepted.
      const idType = req.params.idType.toLowerCase();
      if (idType !== 'msisdn' && idType !== 'email' && idType !== 'party_code') {
        throw badRequest('accountHolderIdType must be msisdn, email or party_code.');
      }
      validateHolderId(idType, req.params.id);
      return reply.send({ result: lookUp(idType, req.params.id) });
    });

    app.get<HolderParams>(
      `/${product}/v1_0/accountholder/:idType/:id/basicuserinfo`,
      (req, reply) => {
        const idType = req.params.idType.toLowerCase();
        if (!BASIC_INFO_ID_TYPES[product].has(idType)) {
          if (product === 'remittance') throw new EmulatorHttpError(404, APIM_NOT_FOUND);
          authorizeProductCall(state, req, product);
          throw badRequest('accountHolderIdType must be MSISDN, email, alias or id.');
        }
        authorizeProductCall(state, req, product);
        validateHolderId(idType, req.params.id);
        return reply.send(basicUserInfo(lookUp(idType, req.params.id)));
      },
    );
  }
}
