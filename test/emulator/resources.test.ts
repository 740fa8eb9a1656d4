import { startEmulator, type RunningEmulator } from '../../src/emulator/emulator';
import { admin, uuid } from './support/http';
import { MomoTestClient, rtpBody, transferBody } from './support/momo-client';

const RTP = '/collection/v1_0/requesttopay';

describe('delivery notifications, invoices, pre-approvals, payments and cash transfers', () => {
  let emulator: RunningEmulator;
  let client: MomoTestClient;

  beforeAll(async () => {
    emulator = await startEmulator();
  });

  beforeEach(() => {
    emulator.reset();
    client = MomoTestClient.create(emulator);
  });

  afterAll(async () => {
    await emulator.stop();
  });

  describe('delivery notification', () => {
    const notify = (
      ref: string,
      headers: Record<string, string> = { notificationMessage: 'Your order ships today' },
    ) => client.call('POST', `${RTP}/${ref}/deliverynotification`, { headers, body: {} });

    it('is 200 once per successful payment, then 429', async () => {
      const paid = await client.create(RTP, rtpBody('256774123456'));
      const first = await notify(paid.referenceId);
      expect([first.status, first.text]).toEqual([200, '']);
      expect((await notify(paid.referenceId)).status).toBe(429);
    });

    it('takes the message from the body too, and refuses a missing or long one', async () => {
      const paid = await client.create(RTP, rtpBody('256774123456'));
      expect((await notify(paid.referenceId, {})).status).toBe(400);
      expect(
        (await notify(paid.referenceId, { notificationMessage: 'x'.repeat(161) })).status,
      ).toBe(400);
      const viaBody = await client.call('POST', `${RTP}/${paid.referenceId}/deliverynotification`, {
        body: { notificationMessage: 'From the body' },
      });
      expect(viaBody.status).toBe(200);
    });

    it('is 409 for a payment that did not succeed, 404 for an unknown one, 410 after the window', async () => {
      const failed = await client.create(RTP, rtpBody('46733123451'));
      expect((await notify(failed.referenceId)).status).toBe(409);
      expect((await notify(uuid())).status).toBe(404);
      await admin(emulator.url, 'PATCH', '/config', { deliveryNotificationWindowMs: 0 });
      const paid = await client.create(RTP, rtpBody('256774123456'));
      await emulator.callbacksIdle();
      emulator.state.transactions.get(client.user.apiUser, paid.referenceId)!.finalizedAt =
        Date.now() - 1;
      expect((await notify(paid.referenceId)).status).toBe(410);
    });
  });

  describe('invoices', () => {
    const invoice = (payer: string) => ({
      externalId: 'inv-9',
      amount: '25',
      currency: 'EUR',
      validityDuration: '600',
      intendedPayer: { partyIdType: 'MSISDN', partyId: payer },
      payee: { partyIdType: 'MSISDN', partyId: '256774000001' },
      description: 'Water bill',
    });

    it('reports the invoice with its ids and expiry', async () => {
      const created = await client.create('/collection/v2_0/invoice', invoice('256774123456'));
      const result = (await client.get(`/collection/v2_0/invoice/${created.referenceId}`)).json;
      expect(result).toEqual({
        referenceId: created.referenceId,
        externalId: 'inv-9',
        amount: '25',
        currency: 'EUR',
        status: 'SUCCESSFUL',
        paymentReference: expect.any(String),
        invoiceId: expect.stringMatching(/^\d+$/),
        expiryDateTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/),
        payeeFirstName: 'Sand',
        payeeLastName: 'Box',
        intendedPayer: { partyIdType: 'MSISDN', partyId: '256774123456' },
        description: 'Water bill',
      });
    });

    it('cancels a pending invoice and refuses to cancel a final one', async () => {
      const pending = await client.create('/collection/v2_0/invoice', invoice('46733123453'));
      const cancel = (ref: string, referenceId?: string) =>
        client.call('DELETE', `/collection/v2_0/invoice/${ref}`, {
          referenceId,
          body: { externalId: 'inv-9' },
        });
      expect((await cancel(pending.referenceId)).status).toBe(400);
      expect((await cancel(pending.referenceId, uuid())).status).toBe(200);
      expect(
        (await client.get(`/collection/v2_0/invoice/${pending.referenceId}`)).json,
      ).toMatchObject({
        status: 'FAILED',
        errorReason: { code: 'TRANSACTION_CANCELED' },
      });
      const cancelledAgain = await cancel(pending.referenceId, uuid());
      expect([cancelledAgain.status, cancelledAgain.json.code]).toEqual([500, 'NOT_ALLOWED']);
      expect((await cancel(uuid(), uuid())).status).toBe(404);
    });

    it('gives the v2 reason as a string when configured so', async () => {
      await admin(emulator.url, 'PATCH', '/config', { v2ReasonFormat: 'string' });
      const failed = await client.create('/collection/v2_0/invoice', invoice('46733123451'));
      expect(
        (await client.get(`/collection/v2_0/invoice/${failed.referenceId}`)).json.errorReason,
      ).toBe('APPROVAL_REJECTED');
    });
  });

  describe('pre-approvals', () => {
    const preapproval = {
      payer: { partyIdType: 'MSISDN', partyId: '256774123456' },
      payerCurrency: 'EUR',
      payerMessage: 'Monthly',
      validityTime: 600,
    };

    it('approves, lists and cancels', async () => {
      const created = await client.create('/collection/v2_0/preapproval', preapproval);
      const status = (await client.get(`/collection/v2_0/preapproval/${created.referenceId}`)).json;
      expect(status).toEqual({
        payer: preapproval.payer,
        payerCurrency: 'EUR',
        payerMessage: 'Monthly',
        status: 'SUCCESSFUL',
        expirationDateTime: expect.any(Number),
      });
      const list = await client.get('/collection/v1_0/preapprovals/msisdn/256774123456');
      expect(list.json).toEqual([
        expect.objectContaining({
          preApprovalId: created.referenceId,
          status: 'APPROVED',
          fromCurrency: 'EUR',
          message: 'Monthly',
        }),
      ]);
      expect(
        (await client.call('DELETE', `/collection/v1_0/preapproval/${created.referenceId}`)).status,
      ).toBe(200);
      expect((await client.get('/collection/v1_0/preapprovals/msisdn/256774123456')).json).toEqual(
        [],
      );
      expect(
        (await client.call('DELETE', `/collection/v1_0/preapproval/${created.referenceId}`)).status,
      ).toBe(500);
      expect((await client.get('/collection/v1_0/preapprovals/phone/256774123456')).status).toBe(
        400,
      );
    });

    it('checks the currency and the validity time', async () => {
      expect(
        (
          await client.create('/collection/v2_0/preapproval', {
            ...preapproval,
            payerCurrency: 'UGX',
          })
        ).status,
      ).toBe(500);
      expect(
        (
          await client.create('/collection/v2_0/preapproval', {
            ...preapproval,
            validityTime: 'soon',
          })
        ).status,
      ).toBe(400);
    });
  });

  describe('payments', () => {
    it('records an outcome without moving money', async () => {
      const created = await client.create('/collection/v2_0/payment', {
        externalTransactionId: 'p-1',
        money: { amount: '9.99', currency: 'EUR' },
        customerReference: '+256774123456',
        serviceProviderUserName: 'Airtime Inc.',
        includeSenderCharges: false,
      });
      expect(created.status).toBe(202);
      expect((await client.get(`/collection/v2_0/payment/${created.referenceId}`)).json).toEqual({
        referenceId: created.referenceId,
        status: 'SUCCESSFUL',
        financialTransactionId: expect.stringMatching(/^\d+$/),
      });
      expect((await admin(emulator.url, 'GET', '/ledger')).json.postings).toEqual([]);
    });

    it('refuses a payment without money or customer reference', async () => {
      expect(
        (await client.create('/collection/v2_0/payment', { customerReference: '1' })).status,
      ).toBe(400);
      expect(
        (
          await client.create('/collection/v2_0/payment', {
            money: { amount: '1', currency: 'EUR' },
          })
        ).status,
      ).toBe(400);
    });
  });

  describe('cash transfers', () => {
    it('echo the sender details, misspelt orginatingCountry included', async () => {
      const created = await client.create('/remittance/v2_0/cashtransfer', {
        ...transferBody('250788123456', '40'),
        orginatingCountry: 'SE',
        originalAmount: '450',
        originalCurrency: 'SEK',
        payerIdentificationType: 'PASS',
        payerFirstName: 'Sand',
      });
      const result = (await client.get(`/remittance/v2_0/cashtransfer/${created.referenceId}`))
        .json;
      expect(result).toMatchObject({
        status: 'SUCCESSFUL',
        amount: '40',
        payee: { partyIdType: 'MSISDN', partyId: '250788123456' },
        orginatingCountry: 'SE',
        originalAmount: '450',
        originalCurrency: 'SEK',
        payerIdentificationType: 'PASS',
        payerFirstName: 'Sand',
      });
    });

    it('refuse unknown identification types', async () => {
      const res = await client.create('/remittance/v2_0/cashtransfer', {
        ...transferBody('250788123456'),
        payerIdentificationType: 'CARD',
      });
      expect(res.status).toBe(400);
    });
  });
});
