import * as momo from 'mtn-momo';
import { startEmulator, type RunningEmulator } from '../../src/emulator/emulator';

/**
 * The independent npm client `mtn-momo` (axios-based, written against MTN's sandbox) works
 * unchanged against the emulator: only its baseUrl points elsewhere.
 */
describe('the mtn-momo npm client against the emulator', () => {
  let emulator: RunningEmulator;
  let client: momo.MomoClient;

  beforeAll(async () => {
    emulator = await startEmulator();
    client = momo.create({
      callbackHost: 'localhost',
      baseUrl: emulator.url,
      environment: momo.Environment.SANDBOX,
    });
  });

  afterAll(async () => {
    await emulator.stop();
  });

  async function provision(primaryKey: string): Promise<{ userId: string; userSecret: string }> {
    const users = client.Users({ primaryKey });
    const userId = await users.create('localhost');
    const { apiKey } = await users.login(userId);
    return { userId, userSecret: apiKey };
  }

  it('provisions an API user and key through its Users API', async () => {
    const { userId, userSecret } = await provision(emulator.subscriptionKeys.collection);
    expect(userId).toMatch(/^[0-9a-f-]{36}$/);
    expect(userSecret).toMatch(/^[0-9a-f]{32}$/);
    expect(emulator.state.users.get(userId)?.apiKeys.has(userSecret)).toBe(true);
  });

  it('requests to pay, reads the status, the balance and whether the payer is active', async () => {
    const primaryKey = emulator.subscriptionKeys.collection;
    const collections = client.Collections({ primaryKey, ...(await provision(primaryKey)) });
    const referenceId = await collections.requestToPay({
      amount: '100',
      currency: 'EUR',
      externalId: 'order-42',
      payer: { partyIdType: momo.PayerType.MSISDN, partyId: '256774123456' },
      payerMessage: 'Order 42',
      payeeNote: 'Thanks',
    });
    const payment = await collections.getTransaction(referenceId);
    expect(payment).toMatchObject({ status: 'SUCCESSFUL', amount: '100', currency: 'EUR' });
    expect(payment.financialTransactionId).toMatch(/^\d+$/);
    expect(await collections.getBalance()).toEqual({
      availableBalance: '1000000000100',
      currency: 'EUR',
    });
    expect(await collections.isPayerActive('256774123456')).toEqual({ result: true });
  });

  it('surfaces a rejected payment as the client’s ApprovalRejectedError', async () => {
    const primaryKey = emulator.subscriptionKeys.collection;
    const collections = client.Collections({ primaryKey, ...(await provision(primaryKey)) });
    const referenceId = await collections.requestToPay({
      amount: '5',
      currency: 'EUR',
      externalId: 'order-43',
      payer: { partyIdType: momo.PayerType.MSISDN, partyId: '46733123451' },
      payerMessage: 'Order 43',
      payeeNote: 'Thanks',
    });
    await expect(collections.getTransaction(referenceId)).rejects.toBeInstanceOf(
      momo.ApprovalRejectedError,
    );
  });

  it('transfers, reads the status, the balance and whether the payee is active', async () => {
    const primaryKey = emulator.subscriptionKeys.disbursement;
    const disbursements = client.Disbursements({ primaryKey, ...(await provision(primaryKey)) });
    const referenceId = await disbursements.transfer({
      amount: '250',
      currency: 'EUR',
      externalId: 'payout-7',
      payee: { partyIdType: momo.PayerType.MSISDN, partyId: '233244000000' },
      payerMessage: 'Payout',
      payeeNote: 'Salary',
    });
    expect(await disbursements.getTransaction(referenceId)).toMatchObject({
      status: 'SUCCESSFUL',
      amount: '250',
      payee: { partyIdType: 'MSISDN', partyId: '233244000000' },
    });
    expect(await disbursements.getBalance()).toEqual({
      availableBalance: '999999999750',
      currency: 'EUR',
    });
    expect(await disbursements.isPayerActive('233244000000')).toBe(true);
  });

  it('maps MTN business errors to the client’s error classes', async () => {
    const primaryKey = emulator.subscriptionKeys.collection;
    const collections = client.Collections({ primaryKey, ...(await provision(primaryKey)) });
    await expect(
      collections.requestToPay({
        amount: '5',
        currency: 'UGX',
        externalId: 'order-44',
        payer: { partyIdType: momo.PayerType.MSISDN, partyId: '256774123456' },
        payerMessage: 'Order 44',
        payeeNote: 'Thanks',
      }),
    ).rejects.toBeInstanceOf(momo.InvalidCurrencyError);
  });
});
