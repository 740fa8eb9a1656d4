import { request as httpRequest } from 'node:http';
import { startEmulator, type RunningEmulator } from '../../src/emulator/emulator';
import { CallbackReceiver } from './support/callback-receiver';
import { admin, uuid, type RecordedExchange } from './support/http';
import { MomoTestClient, rtpBody, transferBody } from './support/momo-client';
import {
  DOCUMENTED_DEVIATIONS,
  OpenApiValidator,
  type DeviationName,
} from './support/openapi-validator';

/**
 * Drives every operation of MTN's four definition files through the emulator, success and error
 * paths, then validates every response (and every callback body) against the definitions. The
 * only differences allowed are the documented live deviations, listed here by name.
 */
describe('conformance with MTN OpenAPI definitions', () => {
  const exchanges: RecordedExchange[] = [];
  const record = (e: RecordedExchange): void => {
    exchanges.push(e);
  };
  let emulator: RunningEmulator;
  let receiver: CallbackReceiver;
  let client: MomoTestClient;
  const validator = new OpenApiValidator();

  beforeAll(async () => {
    emulator = await startEmulator({ callbackDelayMs: 0 });
    receiver = await new CallbackReceiver().start();
    client = MomoTestClient.create(emulator, {}, record);
  });

  afterAll(async () => {
    await emulator.stop();
    await receiver.stop();
  });

  async function provisioning(): Promise<void> {
    const key = { 'Ocp-Apim-Subscription-Key': emulator.subscriptionKeys.remittance };
    const json = { ...key, 'Content-Type': 'application/json' };
    const id = uuid();
    const body = JSON.stringify({ providerCallbackHost: '127.0.0.1' });
    await client.raw('POST', '/v1_0/apiuser', { headers: { ...json, 'X-Reference-Id': id }, body });
    await client.raw('POST', '/v1_0/apiuser', { headers: { ...json, 'X-Reference-Id': id }, body });
    await client.raw('POST', '/v1_0/apiuser', {
      headers: { ...json, 'X-Reference-Id': 'nope' },
      body,
    });
    await client.raw('POST', '/v1_0/apiuser', {
      headers: { ...json, 'X-Reference-Id': uuid() },
      body: '{}',
    });
    await client.raw('POST', '/v1_0/apiuser', { headers: { 'X-Reference-Id': uuid() }, body });
    await client.raw('POST', `/v1_0/apiuser/${id}/apikey`, { headers: key });
    await client.raw('POST', `/v1_0/apiuser/${uuid()}/apikey`, { headers: key });
    await client.raw('POST', '/v1_0/apiuser/123/apikey', { headers: key });
    await client.raw('GET', `/v1_0/apiuser/${id}`, { headers: key });
    await client.raw('GET', `/v1_0/apiuser/${uuid()}`, { headers: key });
    await client.raw('GET', '/v1_0/apiuser/123', { headers: key });
  }

  async function tokens(): Promise<void> {
    for (const product of ['collection', 'disbursement', 'remittance'] as const) {
      await client.token(product);
      await client.raw('POST', `/${product}/token/`, {
        headers: {
          'Ocp-Apim-Subscription-Key': emulator.subscriptionKeys[product],
          Authorization: `Basic ${Buffer.from(`${client.user.apiUser}:wrong`).toString('base64')}`,
        },
      });
    }
  }

  async function accountCalls(
    product: 'collection' | 'disbursement' | 'remittance',
  ): Promise<void> {
    await client.get(`/${product}/v1_0/account/balance`);
    await client.get(`/${product}/v1_0/account/balance/EUR`);
    await client.get(`/${product}/v1_0/account/balance/UGX`);
    await client.get(`/${product}/v1_0/account/balance`, { targetEnvironment: 'production' });
    for (const msisdn of [
      '256774123456',
      '46733123450',
      '46733123451',
      '46733123452',
      '46733123455',
    ]) {
      await client.get(`/${product}/v1_0/accountholder/msisdn/${msisdn}/active`);
    }
    await client.get(`/${product}/v1_0/accountholder/email/notactive@email.com/active`);
    await client.get(`/${product}/v1_0/accountholder/msisdn/not-a-number/active`);
    await client.get(`/${product}/v1_0/accountholder/msisdn/256774123456/basicuserinfo`);
    await client.get(`/${product}/v1_0/account/balance`, { subscriptionKey: 'wrong' });
    await client.get(`/${product}/v1_0/account/balance`, { bearer: 'not-a-token' });
  }

  async function collection(): Promise<void> {
    const callbackUrl = receiver.url('/rtp');
    for (const msisdn of [
      '256774123456',
      '46733123451',
      '46733123454',
      '46733123463',
      '256770000104',
    ]) {
      const created = await client.create('/collection/v1_0/requesttopay', rtpBody(msisdn), {
        callbackUrl,
      });
      await client.get(`/collection/v1_0/requesttopay/${created.referenceId}`);
    }
    const ok = await client.create('/collection/v1_0/requesttopay', rtpBody('256774123456'));
    await client.create('/collection/v1_0/requesttopay', rtpBody('256774123456'), {
      referenceId: ok.referenceId,
    });
    await client.create('/collection/v1_0/requesttopay', { amount: 100 });
    await client.create('/collection/v1_0/requesttopay', rtpBody('256774123456', '100', 'UGX'));
    await client.create('/collection/v1_0/requesttopay', rtpBody('256774123456'), {
      callbackUrl: 'https://elsewhere.example/cb',
    });
    await client.create('/collection/v1_0/requesttopay', rtpBody('256770000201'));
    await client.create('/collection/v1_0/requesttopay', rtpBody('256770000209'));
    await client.create('/collection/v1_0/requesttopay', rtpBody('256774123456'), {
      referenceId: 'x',
    });
    await client.get(`/collection/v1_0/requesttopay/${uuid()}`);
    await client.get('/collection/v1_0/requesttopay/not-a-uuid');

    const notify = `/collection/v1_0/requesttopay/${ok.referenceId}/deliverynotification`;
    await client.call('POST', notify, { headers: { notificationMessage: 'Thanks' }, body: {} });
    await client.call('POST', notify, { headers: { notificationMessage: 'Again' }, body: {} });
    await client.call('POST', notify, { body: {} });

    for (const version of ['v1_0', 'v2_0']) {
      const w = await client.create(
        `/collection/${version}/requesttowithdraw`,
        rtpBody('256774123456'),
        {
          callbackUrl: receiver.url('/withdraw'),
        },
      );
      await client.get(`/collection/v1_0/requesttowithdraw/${w.referenceId}`);
    }

    const invoiceBody = {
      externalId: 'inv-1',
      amount: '50',
      currency: 'EUR',
      validityDuration: '3600',
      intendedPayer: { partyIdType: 'MSISDN', partyId: '256774123456' },
      payee: { partyIdType: 'MSISDN', partyId: '256774000001' },
      description: 'Invoice',
    };
    const invoice = await client.create('/collection/v2_0/invoice', invoiceBody, {
      callbackUrl: receiver.url('/invoice'),
    });
    await client.get(`/collection/v2_0/invoice/${invoice.referenceId}`);
    const held = await client.create('/collection/v2_0/invoice', {
      ...invoiceBody,
      intendedPayer: { partyIdType: 'MSISDN', partyId: '46733123453' },
    });
    await client.get(`/collection/v2_0/invoice/${held.referenceId}`);
    await client.call('DELETE', `/collection/v2_0/invoice/${held.referenceId}`, {
      referenceId: uuid(),
      body: { externalId: 'inv-1' },
    });
    await client.get(`/collection/v2_0/invoice/${held.referenceId}`);
    await client.call('DELETE', `/collection/v2_0/invoice/${invoice.referenceId}`, {
      referenceId: uuid(),
      body: { externalId: 'inv-1' },
    });

    const preapprovalBody = {
      payer: { partyIdType: 'MSISDN', partyId: '256774123456' },
      payerCurrency: 'EUR',
      payerMessage: 'Monthly',
      validityTime: 3600,
    };
    const pre = await client.create('/collection/v2_0/preapproval', preapprovalBody, {
      callbackUrl: receiver.url('/preapproval'),
    });
    await client.get(`/collection/v2_0/preapproval/${pre.referenceId}`);
    const rejected = await client.create('/collection/v2_0/preapproval', {
      ...preapprovalBody,
      payer: { partyIdType: 'MSISDN', partyId: '46733123451' },
    });
    await client.get(`/collection/v2_0/preapproval/${rejected.referenceId}`);
    await client.get('/collection/v1_0/preapprovals/msisdn/256774123456');
    await client.call('DELETE', `/collection/v1_0/preapproval/${pre.referenceId}`);
    await client.call('DELETE', `/collection/v1_0/preapproval/${uuid()}`);

    const payment = await client.create(
      '/collection/v2_0/payment',
      {
        externalTransactionId: 'pay-1',
        money: { amount: '10', currency: 'EUR' },
        customerReference: '256774123456',
        serviceProviderUserName: 'Electricity Inc.',
      },
      { callbackUrl: receiver.url('/payment') },
    );
    await client.get(`/collection/v2_0/payment/${payment.referenceId}`);
    const failedPayment = await client.create('/collection/v2_0/payment', {
      money: { amount: '10', currency: 'EUR' },
      customerReference: '46733123457',
    });
    await client.get(`/collection/v2_0/payment/${failedPayment.referenceId}`);

    await accountCalls('collection');
    await client.get('/collection/v1_0/accountholder/email/someone@example.com/basicuserinfo');
  }

  async function disbursement(): Promise<void> {
    const collected = await client.create(
      '/collection/v1_0/requesttopay',
      rtpBody('256774123456', '80'),
    );
    const transfer = await client.create(
      '/disbursement/v1_0/transfer',
      transferBody('256774123456'),
      {
        callbackUrl: receiver.url('/transfer'),
      },
    );
    await client.get(`/disbursement/v1_0/transfer/${transfer.referenceId}`);
    const short = await client.create('/disbursement/v1_0/transfer', transferBody('46733123455'));
    await client.get(`/disbursement/v1_0/transfer/${short.referenceId}`);
    await client.create('/disbursement/v1_0/transfer', transferBody('256774123456', '5', 'GHS'));
    for (const version of ['v1_0', 'v2_0']) {
      const deposit = await client.create(
        `/disbursement/${version}/deposit`,
        transferBody('256774123456'),
        {
          callbackUrl: receiver.url('/deposit'),
        },
      );
      await client.get(`/disbursement/v1_0/deposit/${deposit.referenceId}`);
      const refund = await client.create(
        `/disbursement/${version}/refund`,
        {
          amount: '10',
          currency: 'EUR',
          externalId: 'refund-1',
          payerMessage: 'Refund',
          payeeNote: 'Sorry',
          referenceIdToRefund: collected.referenceId,
        },
        { callbackUrl: receiver.url('/refund') },
      );
      await client.get(`/disbursement/v1_0/refund/${refund.referenceId}`);
    }
    await client.create('/disbursement/v1_0/refund', {
      amount: '10',
      currency: 'EUR',
      referenceIdToRefund: uuid(),
    });
    await accountCalls('disbursement');
  }

  async function remittance(): Promise<void> {
    const transfer = await client.create(
      '/remittance/v1_0/transfer',
      transferBody('250788123456'),
      {
        callbackUrl: receiver.url('/remit'),
      },
    );
    await client.get(`/remittance/v1_0/transfer/${transfer.referenceId}`);
    const cash = await client.create(
      '/remittance/v2_0/cashtransfer',
      {
        ...transferBody('250788123456'),
        orginatingCountry: 'SE',
        originalAmount: '110',
        originalCurrency: 'SEK',
        payerIdentificationType: 'PASS',
        payerIdentificationNumber: 'X123',
        payerFirstName: 'Sand',
        payerSurName: 'Box',
        payerLanguageCode: 'sv',
        payerMsisdn: '46700000000',
      },
      { callbackUrl: receiver.url('/cash') },
    );
    await client.get(`/remittance/v2_0/cashtransfer/${cash.referenceId}`);
    const failedCash = await client.create(
      '/remittance/v2_0/cashtransfer',
      transferBody('46733123457'),
    );
    await client.get(`/remittance/v2_0/cashtransfer/${failedCash.referenceId}`);
    await accountCalls('remittance');
  }

  async function consent(): Promise<void> {
    for (const product of ['collection', 'disbursement', 'remittance'] as const) {
      const auth = await client.call('POST', `/${product}/v1_0/bc-authorize`, {
        form: {
          login_hint: 'ID:256774123456/MSISDN',
          scope: 'profile openid',
          access_type: 'offline',
        },
      });
      const basic = Buffer.from(`${client.user.apiUser}:${client.user.apiKey}`).toString('base64');
      const token = await client.call('POST', `/${product}/oauth2/token/`, {
        bearer: null,
        headers: { Authorization: `Basic ${basic}` },
        form: {
          grant_type: 'urn:openid:params:grant-type:ciba',
          auth_req_id: (auth.json as { auth_req_id: string }).auth_req_id,
        },
      });
      await client.get(`/${product}/oauth2/v1_0/userinfo`, {
        bearer: (token.json as { access_token: string }).access_token,
      });
    }
  }

  async function plumbing(): Promise<void> {
    exchanges.push({
      ...(await raw411()),
      method: 'POST',
      path: '/collection/token/',
      contentType: 'text/html',
    });
    await client.get('/collection/v1_0/nothing-here');
    await admin(emulator.url, 'POST', '/faults', {
      kind: 'rate-limit',
      requestsPerMinute: 0,
      count: 1,
      product: 'remittance',
    });
    await client.get('/remittance/v1_0/account/balance');
    await admin(emulator.url, 'DELETE', '/faults');
  }

  function raw411(): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        `${emulator.url}/collection/token/`,
        { method: 'POST', headers: { 'Transfer-Encoding': 'chunked' } },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  it('answers every operation only with shapes the definitions allow, save the named deviations', async () => {
    await provisioning();
    await tokens();
    await collection();
    await disbursement();
    await remittance();
    await consent();
    await plumbing();
    await emulator.callbacksIdle();

    const used = new Set<DeviationName>();
    const failures: string[] = [];
    for (const e of exchanges) {
      const result = validator.validate(e.method, e.path, e.status, e.text);
      result.deviations.forEach((d) => used.add(d));
      if (result.errors.length > 0) {
        failures.push(
          `${e.method} ${e.path} → ${e.status} ${e.text.slice(0, 200)}: ${result.errors.join('; ')}`,
        );
      }
    }
    // A callback body is the status body of its resource: validate it as such.
    const statusPathOf: Record<string, (ref: string) => string> = {
      '/rtp': (r) => `/collection/v1_0/requesttopay/${r}`,
      '/withdraw': (r) => `/collection/v1_0/requesttowithdraw/${r}`,
      '/invoice': (r) => `/collection/v2_0/invoice/${r}`,
      '/preapproval': (r) => `/collection/v2_0/preapproval/${r}`,
      '/payment': (r) => `/collection/v2_0/payment/${r}`,
      '/transfer': (r) => `/disbursement/v1_0/transfer/${r}`,
      '/deposit': (r) => `/disbursement/v1_0/deposit/${r}`,
      '/refund': (r) => `/disbursement/v1_0/refund/${r}`,
      '/remit': (r) => `/remittance/v1_0/transfer/${r}`,
      '/cash': (r) => `/remittance/v2_0/cashtransfer/${r}`,
    };
    expect(receiver.received.length).toBeGreaterThanOrEqual(Object.keys(statusPathOf).length);
    for (const cb of receiver.received) {
      const toStatusPath = statusPathOf[cb.url];
      expect(toStatusPath).toBeDefined();
      const result = validator.validate('GET', toStatusPath!(uuid()), 200, cb.body);
      result.deviations.forEach((d) => used.add(d));
      if (result.errors.length > 0)
        failures.push(`callback ${cb.url}: ${result.errors.join('; ')}`);
    }

    expect(failures).toEqual([]);
    expect([...used].sort()).toEqual(
      [
        'reason-as-string',
        'created-status',
        'flat-apiuser-result',
        'token-type-access-token',
        'auth-401',
        'length-required-411',
        'service-unavailable-503',
        'rate-limit-429',
        'accountholder-not-found-404',
        'unknown-path-404',
        'extra-reason-codes',
      ].sort(),
    );
    expect(Object.keys(DOCUMENTED_DEVIATIONS).sort()).toEqual([...used].sort());
  });

  it('has a validator that rejects what the definitions forbid', () => {
    const status = `/collection/v1_0/requesttopay/${uuid()}`;
    expect(validator.validate('GET', status, 200, '{"amount":100}').errors).not.toEqual([]);
    expect(validator.validate('GET', status, 200, '{"status":"DONE"}').errors).not.toEqual([]);
    expect(validator.validate('GET', status, 418, '{}').errors).not.toEqual([]);
    expect(
      validator.validate('GET', '/v1_0/apiuser/x', 200, '{"targetEnvironment":1}').errors,
    ).not.toEqual([]);
    expect(
      validator.validate('POST', '/collection/token/', 200, '{"expires_in":"3600"}').errors,
    ).not.toEqual([]);
    expect(
      validator.validate('GET', status, 200, '{"amount":"1","status":"SUCCESSFUL"}').errors,
    ).toEqual([]);
  });

  it('covers every operation of the four definition files', () => {
    const seen = new Set<string>();
    for (const e of exchanges) {
      const op = validator.validate(e.method, e.path, e.status, e.text).operation;
      if (op) seen.add(op);
    }
    const ignored = ['/clone-671b0/', '999{accountHolderMSISDN}999'];
    const missing = validator
      .operationNames()
      .filter((name) => !ignored.some((i) => name.includes(i)) && !seen.has(name));
    expect(missing).toEqual([]);
  });
});
