import type { Product } from '../../common/product';
import type { OperationsByProduct, ProductOperation } from '../momo.types';

export interface OperationPaths {
  /** POST that creates the resource (answers 202 with no body). */
  create: string;
  /** GET of one resource, without the trailing `/{referenceId}`. */
  status: string;
}

/**
 * MTN's paths per product and operation (momo-api.md §6). The v2 creates keep their v1 status
 * path except cash transfer, which has its own v2 GET. v2 is chosen where it exists because its
 * callbacks are PUT, the same for every operation.
 */
const PATHS: { [P in Product]: Record<OperationsByProduct[P], OperationPaths> } = {
  collection: {
    requestToPay: {
      create: '/collection/v1_0/requesttopay',
      status: '/collection/v1_0/requesttopay',
    },
    requestToWithdraw: {
      create: '/collection/v2_0/requesttowithdraw',
      status: '/collection/v1_0/requesttowithdraw',
    },
  },
  disbursement: {
    transfer: { create: '/disbursement/v1_0/transfer', status: '/disbursement/v1_0/transfer' },
    deposit: { create: '/disbursement/v2_0/deposit', status: '/disbursement/v1_0/deposit' },
    refund: { create: '/disbursement/v2_0/refund', status: '/disbursement/v1_0/refund' },
  },
  remittance: {
    transfer: { create: '/remittance/v1_0/transfer', status: '/remittance/v1_0/transfer' },
    cashTransfer: {
      create: '/remittance/v2_0/cashtransfer',
      status: '/remittance/v2_0/cashtransfer',
    },
  },
};

export function operationPaths(ref: ProductOperation): OperationPaths {
  const byOperation = PATHS[ref.product] as Record<string, OperationPaths | undefined>;
  const paths = byOperation[ref.operation];
  // Only reachable when a caller bypasses the types (e.g. an operation read from the database).
  if (!paths) throw new Error(`MTN has no operation ${ref.operation} in ${ref.product}`);
  return paths;
}

export function statusPath(ref: ProductOperation, referenceId: string): string {
  return `${operationPaths(ref).status}/${encodeURIComponent(referenceId)}`;
}

export const tokenPath = (product: Product): string => `/${product}/token/`;

export function balancePath(product: Product, currency?: string): string {
  return currency
    ? `/${product}/v1_0/account/balance/${encodeURIComponent(currency)}`
    : `/${product}/v1_0/account/balance`;
}

export function accountHolderPath(
  product: Product,
  msisdn: string,
  what: 'active' | 'basicuserinfo',
): string {
  return `/${product}/v1_0/accountholder/msisdn/${encodeURIComponent(msisdn)}/${what}`;
}

/** Sandbox provisioning: no product prefix, subscription key only. */
export const apiUserPath = (apiUser: string): string =>
  `/v1_0/apiuser/${encodeURIComponent(apiUser)}`;
