import { startGateway, type TestGateway } from '../support/gateway';

describe('collections end to end (smoke)', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway();
  });
  afterAll(async () => {
    await gw.close();
  });

  it('takes a request to pay in Uganda to SUCCESSFUL through the callback', async () => {
    const created = await gw.request('POST', '/v1/collections', { amount: '1000', currency: 'UGX', phoneNumber: '256774123456', externalId: 'SMOKE_1' });
    expect(created.status).toBe(202);
    expect(created.body).toMatchObject({ amount: '1000', currency: 'UGX', country: 'UG' });
    // MTN's callback can settle it before our answer leaves: the answer carries the row as it is.
    expect(['PENDING', 'SUCCESSFUL']).toContain(created.body.status);
    const done = await gw.waitFor(`/v1/collections/${created.body.id}`, (t) => t.status !== 'PENDING');
    expect(done).toMatchObject({ status: 'SUCCESSFUL', financialTransactionId: expect.any(String) });
  });
});
