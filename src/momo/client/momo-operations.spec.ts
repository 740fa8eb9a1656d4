import type { ProductOperation } from '../momo.types';
import {
  accountHolderPath,
  balancePath,
  operationPaths,
  statusPath,
  tokenPath,
} from './momo-operations';

describe('MTN operation paths', () => {
  const cases: Array<[ProductOperation, string, string]> = [
    [
      { product: 'collection', operation: 'requestToPay' },
      '/collection/v1_0/requesttopay',
      '/collection/v1_0/requesttopay/R',
    ],
    [
      { product: 'collection', operation: 'requestToWithdraw' },
      '/collection/v2_0/requesttowithdraw',
      '/collection/v1_0/requesttowithdraw/R',
    ],
    [
      { product: 'disbursement', operation: 'transfer' },
      '/disbursement/v1_0/transfer',
      '/disbursement/v1_0/transfer/R',
    ],
    [
      { product: 'disbursement', operation: 'deposit' },
      '/disbursement/v2_0/deposit',
      '/disbursement/v1_0/deposit/R',
    ],
    [
      { product: 'disbursement', operation: 'refund' },
      '/disbursement/v2_0/refund',
      '/disbursement/v1_0/refund/R',
    ],
    [
      { product: 'remittance', operation: 'transfer' },
      '/remittance/v1_0/transfer',
      '/remittance/v1_0/transfer/R',
    ],
    [
      { product: 'remittance', operation: 'cashTransfer' },
      '/remittance/v2_0/cashtransfer',
      '/remittance/v2_0/cashtransfer/R',
    ],
  ];

  it.each(cases)('routes %o to its create and status paths', (ref, create, status) => {
    expect(operationPaths(ref).create).toBe(create);
    expect(statusPath(ref, 'R')).toBe(status);
  });

  it('refuses an operation the product does not have', () => {
    const wrong = { product: 'collection', operation: 'deposit' } as unknown as ProductOperation;
    expect(() => operationPaths(wrong)).toThrow('MTN has no operation deposit in collection');
  });

  it('encodes a reference id so it cannot change the path', () => {
    expect(statusPath({ product: 'collection', operation: 'requestToPay' }, '../x')).toBe(
      '/collection/v1_0/requesttopay/..%2Fx',
    );
  });

  it('builds the token, balance and account-holder paths', () => {
    expect([
      tokenPath('disbursement'),
      balancePath('collection'),
      balancePath('collection', 'EUR'),
      accountHolderPath('remittance', '256774123456', 'active'),
    ]).toEqual([
      '/disbursement/token/',
      '/collection/v1_0/account/balance',
      '/collection/v1_0/account/balance/EUR',
      '/remittance/v1_0/accountholder/msisdn/256774123456/active',
    ]);
  });
});
