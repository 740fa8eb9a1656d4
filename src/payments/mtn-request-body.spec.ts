import { mtnRequestBody, type MtnBodyInput } from './mtn-request-body';

const base: Omit<MtnBodyInput, 'operation'> = {
  amount: '1000',
  mtnCurrency: 'UGX',
  externalId: 'ORDER_1',
  msisdn: '256774123456',
  payerMessage: 'Order 1',
  payeeNote: 'Thanks',
};
const party = { partyIdType: 'MSISDN', partyId: '256774123456' };
const common = { amount: '1000', currency: 'UGX', externalId: 'ORDER_1', payerMessage: 'Order 1', payeeNote: 'Thanks' };

describe('mtnRequestBody', () => {
  it.each(['requestToPay', 'requestToWithdraw'] as const)('puts the customer as payer of a %s', (operation) => {
    expect(mtnRequestBody({ ...base, operation })).toEqual({ ...common, payer: party });
  });

  it.each(['transfer', 'deposit'] as const)('puts the customer as payee of a %s', (operation) => {
    expect(mtnRequestBody({ ...base, operation })).toEqual({ ...common, payee: party });
  });

  it('names the collection a refund refers to, and no party (MTN takes the original payer)', () => {
    const ref = '3c1f0e2a-9d4b-4f6a-8e2c-1b0a9d8c7e6f';
    expect(mtnRequestBody({ ...base, operation: 'refund', referenceIdToRefund: ref })).toEqual({ ...common, referenceIdToRefund: ref });
  });

  it("adds the sender's details to a cash transfer, with MTN's own field names", () => {
    const sender = { orginatingCountry: 'GB', originalAmount: '20.00', originalCurrency: 'GBP', payerFirstName: 'Jane' };
    expect(mtnRequestBody({ ...base, operation: 'cashTransfer', cashTransfer: sender })).toEqual({ ...common, payee: party, ...sender });
  });

  it('cannot let cash-transfer extras replace the payee or the amount', () => {
    const body = mtnRequestBody({ ...base, operation: 'cashTransfer', cashTransfer: { payerFirstName: 'Jane', amount: '1', currency: 'EUR', externalId: 'other' } });
    expect(body).toMatchObject({ ...common, payee: party, payerFirstName: 'Jane' });
  });

  it('sends the currency MTN is sent (EUR in the sandbox), not the requested one', () => {
    expect(mtnRequestBody({ ...base, operation: 'requestToPay', mtnCurrency: 'EUR' })).toMatchObject({ amount: '1000', currency: 'EUR' });
  });

  it('sends empty texts when no message or note was given', () => {
    const body = mtnRequestBody({ operation: 'transfer', amount: '12.50', mtnCurrency: 'GHS', externalId: 'X', msisdn: '233244000000' });
    expect(body).toEqual({ amount: '12.50', currency: 'GHS', externalId: 'X', payerMessage: '', payeeNote: '', payee: { partyIdType: 'MSISDN', partyId: '233244000000' } });
  });

  it('keeps the amount a string, exactly as given', () => {
    const body = mtnRequestBody({ ...base, operation: 'requestToPay', amount: '4000000' });
    expect(typeof body.amount).toBe('string');
    expect(body.amount).toBe('4000000');
  });
});
