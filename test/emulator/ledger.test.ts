import { startEmulator, type RunningEmulator } from '../../src/emulator/emulator';
import { admin } from './support/http';
import { MomoTestClient, rtpBody, transferBody } from './support/momo-client';

const RTP = '/collection/v1_0/requesttopay';

interface Snapshot {
  totals: Record<string, { balance: string; issued: string }>;
  accounts: { id: string; balance: string }[];
  postings: { referenceId: string; amount: string; from: string; to: string }[];
}

describe('the ledger', () => {
  let emulator: RunningEmulator;
  let client: MomoTestClient;

  beforeAll(async () => {
    emulator = await startEmulator({ walletOpeningBalance: '1000', accountOpeningBalance: '5000' });
  });

  beforeEach(() => {
    emulator.reset();
    client = MomoTestClient.create(emulator);
  });

  afterAll(async () => {
    await emulator.stop();
  });

  async function ledger(): Promise<Snapshot> {
    return (await admin(emulator.url, 'GET', '/ledger')).json as Snapshot;
  }

  function balanceOf(snapshot: Snapshot, id: string): string | undefined {
    return snapshot.accounts.find((a) => a.id === id)?.balance;
  }

  async function expectConserved(): Promise<Snapshot> {
    const snapshot = await ledger();
    for (const [currency, total] of Object.entries(snapshot.totals)) {
      expect([currency, total.balance]).toEqual([currency, total.issued]);
    }
    const perReference = new Map<string, number>();
    for (const p of snapshot.postings)
      perReference.set(p.referenceId, (perReference.get(p.referenceId) ?? 0) + 1);
    expect([...perReference.values()].every((n) => n === 1)).toBe(true);
    return snapshot;
  }

  const wallet = (msisdn: string, currency = 'EUR'): string =>
    `wallet/MSISDN/${msisdn}/${currency}`;
  const account = (product: string, currency = 'EUR'): string =>
    `account/${client.user.apiUser}/${product}/${currency}`;

  it('moves a collection from the payer’s wallet to the collection account, once', async () => {
    const created = await client.create(RTP, rtpBody('256774123456', '100.25'));
    expect(created.status).toBe(202);
    await client.get(`${RTP}/${created.referenceId}`);
    await client.get(`${RTP}/${created.referenceId}`);
    const snapshot = await expectConserved();
    expect(balanceOf(snapshot, wallet('256774123456'))).toBe('899.75');
    expect(balanceOf(snapshot, account('collection'))).toBe('5100.25');
    expect(snapshot.postings).toEqual([
      expect.objectContaining({ referenceId: created.referenceId, amount: '100.25' }),
    ]);
    expect((await client.get('/collection/v1_0/account/balance')).json).toEqual({
      availableBalance: '5100.25',
      currency: 'EUR',
    });
  });

  it('moves nothing for a failed or pending transaction', async () => {
    await client.create(RTP, rtpBody('46733123451'));
    await client.create(RTP, rtpBody('46733123453'));
    await client.create(RTP, rtpBody('256770000104'));
    const snapshot = await expectConserved();
    expect(snapshot.postings).toEqual([]);
  });

  it('pays transfers, deposits and remittances out of the product account', async () => {
    await client.create('/disbursement/v1_0/transfer', transferBody('233244000000', '10'));
    await client.create('/disbursement/v2_0/deposit', transferBody('233244000000', '5'));
    await client.create('/remittance/v1_0/transfer', transferBody('250788123456', '7'));
    await client.create('/remittance/v2_0/cashtransfer', transferBody('250788123456', '3'));
    const snapshot = await expectConserved();
    expect(balanceOf(snapshot, wallet('233244000000'))).toBe('1015');
    expect(balanceOf(snapshot, account('disbursement'))).toBe('4985');
    expect(balanceOf(snapshot, wallet('250788123456'))).toBe('1010');
    expect(balanceOf(snapshot, account('remittance'))).toBe('4990');
  });

  it('refunds to the original payer, never beyond the original amount', async () => {
    const collected = await client.create(RTP, rtpBody('256774123456', '100'));
    const refund = (amount: string, ref = collected.referenceId, currency = 'EUR') =>
      client.create('/disbursement/v1_0/refund', { amount, currency, referenceIdToRefund: ref });
    expect((await refund('60')).status).toBe(202);
    expect((await refund('40.01')).json.code).toBe('NOT_ALLOWED');
    expect((await refund('40')).status).toBe(202);
    expect((await refund('0.01')).json.code).toBe('NOT_ALLOWED');
    const snapshot = await expectConserved();
    expect(balanceOf(snapshot, wallet('256774123456'))).toBe('1000');
    expect(balanceOf(snapshot, account('disbursement'))).toBe('4900');
    expect(balanceOf(snapshot, account('collection'))).toBe('5100');
  });

  it('refuses refunds of unknown or failed collections and malformed references', async () => {
    const unknown = await client.create('/disbursement/v1_0/refund', {
      amount: '1',
      currency: 'EUR',
      referenceIdToRefund: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
    });
    expect([unknown.status, unknown.json.code]).toEqual([500, 'RESOURCE_NOT_FOUND']);
    const failed = await client.create(RTP, rtpBody('46733123451'));
    const ofFailed = await client.create('/disbursement/v1_0/refund', {
      amount: '1',
      currency: 'EUR',
      referenceIdToRefund: failed.referenceId,
    });
    expect([ofFailed.status, ofFailed.json.code]).toEqual([500, 'NOT_ALLOWED']);
    expect(
      (
        await client.create('/disbursement/v1_0/refund', {
          amount: '1',
          currency: 'EUR',
          referenceIdToRefund: 'x',
        })
      ).status,
    ).toBe(400);
  });

  it('releases the refundable amount when a refund fails', async () => {
    const collected = await client.create(RTP, rtpBody('256774123456', '10'));
    await admin(emulator.url, 'POST', '/outcomes', {
      pathPrefix: '/disbursement/v1_0/refund',
      outcome: { type: 'accept', status: 'FAILED', reason: 'INTERNAL_PROCESSING_ERROR' },
    });
    const body = { amount: '10', currency: 'EUR', referenceIdToRefund: collected.referenceId };
    const failed = await client.create('/disbursement/v1_0/refund', body);
    expect((await client.get(`/disbursement/v1_0/refund/${failed.referenceId}`)).json.status).toBe(
      'FAILED',
    );
    const retried = await client.create('/disbursement/v1_0/refund', body);
    expect((await client.get(`/disbursement/v1_0/refund/${retried.referenceId}`)).json.status).toBe(
      'SUCCESSFUL',
    );
    await expectConserved();
  });

  it('fails with NOT_ENOUGH_FUNDS when the paying side is short, moving nothing', async () => {
    await admin(emulator.url, 'PUT', '/ledger/balance', {
      msisdn: '256774123456',
      currency: 'EUR',
      balance: '50',
    });
    const short = await client.create(RTP, rtpBody('256774123456', '50.01'));
    expect((await client.get(`${RTP}/${short.referenceId}`)).json).toMatchObject({
      status: 'FAILED',
      reason: 'NOT_ENOUGH_FUNDS',
    });
    await admin(emulator.url, 'PUT', '/ledger/balance', {
      apiUser: client.user.apiUser,
      product: 'disbursement',
      currency: 'EUR',
      balance: '0',
    });
    const payout = await client.create(
      '/disbursement/v1_0/transfer',
      transferBody('256774123456', '1'),
    );
    expect(
      (await client.get(`/disbursement/v1_0/transfer/${payout.referenceId}`)).json.reason,
    ).toBe('NOT_ENOUGH_FUNDS');
    const snapshot = await expectConserved();
    expect(snapshot.postings).toEqual([]);
    expect(balanceOf(snapshot, wallet('256774123456'))).toBe('50');
  });

  it('keeps money exact and conserved under many concurrent payments', async () => {
    await admin(emulator.url, 'PUT', '/ledger/balance', {
      msisdn: '256774123456',
      currency: 'EUR',
      balance: '3',
    });
    const results = await Promise.all(
      Array.from({ length: 40 }, () => client.create(RTP, rtpBody('256774123456', '0.1'))),
    );
    expect(results.every((r) => r.status === 202)).toBe(true);
    const statuses = await Promise.all(results.map((r) => client.get(`${RTP}/${r.referenceId}`)));
    const successful = statuses.filter((s) => s.json.status === 'SUCCESSFUL').length;
    expect(successful).toBe(30);
    expect(statuses.filter((s) => s.json.reason === 'NOT_ENOUGH_FUNDS')).toHaveLength(10);
    const snapshot = await expectConserved();
    expect(balanceOf(snapshot, wallet('256774123456'))).toBe('0');
    expect(balanceOf(snapshot, account('collection'))).toBe('5003');
    expect(snapshot.postings).toHaveLength(30);
  });

  it('keeps one ledger per currency in country environments', async () => {
    const ug = MomoTestClient.create(emulator, { targetEnvironment: 'mtnuganda' });
    await ug.create(RTP, rtpBody('256774123456', '700', 'UGX'));
    await client.create(RTP, rtpBody('256774123456', '1'));
    const snapshot = await expectConserved();
    expect(balanceOf(snapshot, wallet('256774123456', 'UGX'))).toBe('300');
    expect(balanceOf(snapshot, wallet('256774123456', 'EUR'))).toBe('999');
    expect(Object.keys(snapshot.totals).sort()).toEqual(['EUR', 'UGX']);
  });
});
