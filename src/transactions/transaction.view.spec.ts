import { MomoTransaction } from './momo-transaction.entity';
import { toTransactionView } from './transaction.view';

function transaction(overrides: Partial<MomoTransaction> = {}): MomoTransaction {
  return Object.assign(new MomoTransaction(), {
    id: '7c4bd4a2-5f1e-4a8e-9a57-3d2f1e0b6c11',
    product: 'collection',
    operation: 'requestToPay',
    status: 'PENDING',
    reason: null,
    reasonMessage: null,
    amount: '12.50',
    currency: 'GHS',
    country: 'GH',
    msisdn: '233244000000',
    externalId: 'ORDER_1',
    idempotencyKey: 'key-1',
    requestHash: 'a'.repeat(64),
    payerMessage: null,
    payeeNote: null,
    kycLevel: null,
    parentId: null,
    mtnCurrency: 'EUR',
    accountId: 'collection-default',
    financialTransactionId: null,
    callbackToken: 'secret-token',
    pollAttempts: 0,
    nextPollAt: null,
    mtnAccepted: true,
    createdAt: new Date('2025-11-26T18:25:03.123Z'),
    updatedAt: new Date('2025-11-26T18:25:04.000Z'),
    completedAt: null,
    ...overrides,
  });
}

describe('toTransactionView', () => {
  it('shows a pending transaction with ISO dates and the amount as a string', () => {
    expect(toTransactionView(transaction())).toEqual({
      id: '7c4bd4a2-5f1e-4a8e-9a57-3d2f1e0b6c11',
      product: 'collection',
      operation: 'requestToPay',
      status: 'PENDING',
      amount: '12.50',
      currency: 'GHS',
      country: 'GH',
      phoneNumber: '233244000000',
      externalId: 'ORDER_1',
      createdAt: '2025-11-26T18:25:03.123Z',
      updatedAt: '2025-11-26T18:25:04.000Z',
    });
  });

  it('includes the optional fields that are set', () => {
    const view = toTransactionView(
      transaction({
        status: 'FAILED',
        reason: 'PAYER_NOT_FOUND',
        financialTransactionId: '600198217',
        payerMessage: 'for order 1',
        payeeNote: 'thanks',
        parentId: '0b5f0d3e-3f0a-4b8e-8d0e-8a1f8c9e2b11',
        completedAt: new Date('2025-11-26T18:26:00.000Z'),
      }),
    );
    expect(view).toMatchObject({
      reason: 'PAYER_NOT_FOUND',
      financialTransactionId: '600198217',
      payerMessage: 'for order 1',
      payeeNote: 'thanks',
      parentId: '0b5f0d3e-3f0a-4b8e-8d0e-8a1f8c9e2b11',
      completedAt: '2025-11-26T18:26:00.000Z',
    });
  });

  it('never shows the callback token, request hash, account or idempotency key', () => {
    const json = JSON.stringify(toTransactionView(transaction()));
    for (const secret of ['secret-token', 'a'.repeat(64), 'collection-default', 'key-1', 'EUR']) {
      expect(json).not.toContain(secret);
    }
  });
});
