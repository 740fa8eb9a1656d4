import { startEmulator, type RunningEmulator } from '../../src/emulator/emulator';
import { CallbackReceiver } from './support/callback-receiver';
import { admin, uuid } from './support/http';
import { MomoTestClient, rtpBody, transferBody } from './support/momo-client';

const RTP = '/collection/v1_0/requesttopay';

describe('callbacks', () => {
  let emulator: RunningEmulator;
  let receiver: CallbackReceiver;
  let client: MomoTestClient;

  beforeAll(async () => {
    emulator = await startEmulator();
    receiver = await new CallbackReceiver().start();
  });

  beforeEach(() => {
    emulator.reset();
    receiver.clear();
    receiver.status = 200;
    client = MomoTestClient.create(emulator);
  });

  afterAll(async () => {
    await emulator.stop();
    await receiver.stop();
  });

  it('POSTs a v1 result, unsigned, as MTN’s LWAC client, with the status body', async () => {
    const created = await client.create(RTP, rtpBody('256774123456'), {
      callbackUrl: receiver.url('/cb/rtp?ref=1'),
    });
    await receiver.waitFor(1);
    const [cb] = receiver.received;
    expect(cb!.method).toBe('POST');
    expect(cb!.url).toBe('/cb/rtp?ref=1');
    expect(cb!.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(cb!.headers['user-agent']).toBe('LWAC Http Client 1.0');
    expect(cb!.headers.authorization).toBeUndefined();
    const status = await client.get(`${RTP}/${created.referenceId}`);
    expect(cb!.body).toBe(status.text);
    expect(JSON.parse(cb!.body)).not.toHaveProperty('referenceId');
  });

  it('reports a failure with a bare-string reason', async () => {
    await client.create(RTP, rtpBody('46733123451'), { callbackUrl: receiver.url() });
    await receiver.waitFor(1);
    expect(JSON.parse(receiver.received[0]!.body)).toMatchObject({
      status: 'FAILED',
      reason: 'APPROVAL_REJECTED',
    });
  });

  it('uses POST for v1 operations and PUT for v2 operations', async () => {
    const collected = await client.create(RTP, rtpBody('256774123456'));
    const calls: [string, unknown, string][] = [
      ['/collection/v1_0/requesttowithdraw', rtpBody('256774123456'), 'POST'],
      ['/collection/v2_0/requesttowithdraw', rtpBody('256774123456'), 'PUT'],
      ['/disbursement/v1_0/transfer', transferBody('256774123456'), 'POST'],
      ['/disbursement/v1_0/deposit', transferBody('256774123456'), 'POST'],
      ['/disbursement/v2_0/deposit', transferBody('256774123456'), 'PUT'],
      [
        '/disbursement/v1_0/refund',
        { amount: '1', currency: 'EUR', referenceIdToRefund: collected.referenceId },
        'POST',
      ],
      [
        '/disbursement/v2_0/refund',
        { amount: '1', currency: 'EUR', referenceIdToRefund: collected.referenceId },
        'PUT',
      ],
      ['/remittance/v1_0/transfer', transferBody('250788123456'), 'POST'],
      ['/remittance/v2_0/cashtransfer', transferBody('250788123456'), 'PUT'],
      [
        '/collection/v2_0/payment',
        { money: { amount: '1', currency: 'EUR' }, customerReference: '256774123456' },
        'PUT',
      ],
      [
        '/collection/v2_0/preapproval',
        {
          payer: { partyIdType: 'MSISDN', partyId: '256774123456' },
          payerCurrency: 'EUR',
          validityTime: 60,
        },
        'PUT',
      ],
      [
        '/collection/v2_0/invoice',
        {
          amount: '3',
          currency: 'EUR',
          intendedPayer: { partyIdType: 'MSISDN', partyId: '256774123456' },
          payee: { partyIdType: 'MSISDN', partyId: '256774000001' },
        },
        'PUT',
      ],
    ];
    for (const [path, body, method] of calls) {
      const res = await client.create(path, body, { callbackUrl: receiver.url(path) });
      expect([path, res.status]).toEqual([path, 202]);
      await receiver.waitFor(receiver.received.length + 1);
      expect([path, receiver.received.at(-1)!.method]).toEqual([path, method]);
    }
  });

  it('sends nothing without X-Callback-Url', async () => {
    const created = await client.create(RTP, rtpBody('256774123456'));
    await emulator.callbacksIdle();
    expect(
      emulator.state.callbacks.records
        .toArray()
        .filter((r) => r.referenceId === created.referenceId),
    ).toEqual([]);
  });

  it('refuses another host with 500 INVALID_CALLBACK_URL_HOST and creates nothing', async () => {
    for (const url of [
      'http://evil.example/cb',
      'http://localhost/cb',
      '',
      'not a url',
      'ftp://127.0.0.1/cb',
    ]) {
      const res = await client.create(RTP, rtpBody('256774123456'), { callbackUrl: url });
      expect(res.status).toBe(500);
      expect(res.text).toBe(
        '{"message":"Callback URL does not match the configured value.","code":"INVALID_CALLBACK_URL_HOST"}',
      );
      expect((await client.get(`${RTP}/${res.referenceId}`)).status).toBe(404);
    }
  });

  it('compares host names only: any port, any case, http or https', async () => {
    for (const url of ['http://127.0.0.1:1/cb', 'https://127.0.0.1/cb', receiver.url()]) {
      expect((await client.create(RTP, rtpBody('256774123456'), { callbackUrl: url })).status).toBe(
        202,
      );
    }
    const named = MomoTestClient.create(emulator, {
      providerCallbackHost: 'Webhooks.Example.com:8443',
    });
    const res = await named.create(RTP, rtpBody('256774123456'), {
      callbackUrl: 'https://webhooks.example.COM/x',
    });
    expect(res.status).toBe(202);
    await emulator.callbacksIdle();
  });

  it('calls back only when the transaction becomes final', async () => {
    const created = await client.create(RTP, rtpBody('46733123453'), {
      callbackUrl: receiver.url(),
    });
    expect((await client.get(`${RTP}/${created.referenceId}`)).json.status).toBe('PENDING');
    await emulator.callbacksIdle();
    expect(receiver.received).toEqual([]);
    await admin(emulator.url, 'POST', `/transactions/${created.referenceId}/complete`);
    await receiver.waitFor(1);
    expect(JSON.parse(receiver.received[0]!.body)).toMatchObject({
      status: 'FAILED',
      reason: 'EXPIRED',
    });
  });

  it('delivers twice when duplicates are switched on', async () => {
    await admin(emulator.url, 'PATCH', '/config', {
      duplicateCallbacks: true,
      duplicateCallbackDelayMs: 5,
    });
    await client.create(RTP, rtpBody('256774123456'), { callbackUrl: receiver.url() });
    await receiver.waitFor(2);
    expect(receiver.received[0]!.body).toBe(receiver.received[1]!.body);
    await emulator.callbacksIdle();
    expect(emulator.state.callbacks.records.toArray().map((r) => r.duplicate)).toEqual([
      false,
      true,
    ]);
  });

  it('drops exactly the next N callbacks on request, and records them as dropped', async () => {
    await admin(emulator.url, 'PATCH', '/config', { callbackDropNext: 1 });
    await client.create(RTP, rtpBody('256774123456'), { callbackUrl: receiver.url('/first') });
    await client.create(RTP, rtpBody('256774123456'), { callbackUrl: receiver.url('/second') });
    await receiver.waitFor(1);
    await emulator.callbacksIdle();
    expect(receiver.received.map((r) => r.url)).toEqual(['/second']);
    const records = (await admin(emulator.url, 'GET', '/callbacks')).json as { outcome: string }[];
    expect(records.map((r) => r.outcome)).toEqual(['dropped', 'delivered']);
  });

  it('drops at a seeded rate, the same way on every run', async () => {
    const outcomes = async (): Promise<string[]> => {
      emulator.reset();
      const c = MomoTestClient.create(emulator);
      await admin(emulator.url, 'PATCH', '/config', { callbackDropRate: 0.5, seed: 7 });
      for (let i = 0; i < 8; i += 1) {
        await c.create(RTP, rtpBody('256774123456'), { callbackUrl: receiver.url() });
      }
      await emulator.callbacksIdle();
      return emulator.state.callbacks.records
        .toArray()
        .map((r) => `${r.referenceId.length}:${r.outcome}`);
    };
    const first = await outcomes();
    expect(first).toContain('36:dropped');
    expect(first).toContain('36:delivered');
    expect(await outcomes()).toEqual(first);
  });

  it('logs a failed delivery and does not retry by default', async () => {
    receiver.status = 500;
    await client.create(RTP, rtpBody('256774123456'), { callbackUrl: receiver.url() });
    await receiver.waitFor(1);
    await emulator.callbacksIdle();
    const records = emulator.state.callbacks.records.toArray();
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ outcome: 'failed', httpStatus: 500, attempt: 1 });
  });

  it('retries when asked', async () => {
    receiver.status = 503;
    await admin(emulator.url, 'PATCH', '/config', { callbackRetries: 2, callbackRetryDelayMs: 1 });
    await client.create(RTP, rtpBody('256774123456'), { callbackUrl: receiver.url() });
    await receiver.waitFor(3);
    await emulator.callbacksIdle();
    expect(emulator.state.callbacks.records.toArray().map((r) => r.attempt)).toEqual([1, 2, 3]);
  });

  it('survives a receiver that is down', async () => {
    await client.create(RTP, rtpBody('256774123456'), { callbackUrl: 'http://127.0.0.1:1/down' });
    await emulator.callbacksIdle();
    expect(emulator.state.callbacks.records.toArray()[0]).toMatchObject({
      outcome: 'failed',
      url: 'http://127.0.0.1:1/down',
    });
  });

  it('lets the v2 method be configured', async () => {
    await admin(emulator.url, 'PATCH', '/config', { callbackMethodV2: 'POST' });
    await client.create('/disbursement/v2_0/deposit', transferBody('256774123456'), {
      callbackUrl: receiver.url(),
    });
    await receiver.waitFor(1);
    expect(receiver.received[0]!.method).toBe('POST');
  });

  it('waits callbackDelayMs before calling back', async () => {
    await admin(emulator.url, 'PATCH', '/config', { callbackDelayMs: 30 });
    const started = Date.now();
    await client.create(RTP, rtpBody('256774123456'), { callbackUrl: receiver.url() });
    await receiver.waitFor(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('calls back the canceller of an invoice', async () => {
    const invoice = await client.create('/collection/v2_0/invoice', {
      amount: '3',
      currency: 'EUR',
      intendedPayer: { partyIdType: 'MSISDN', partyId: '46733123453' },
      payee: { partyIdType: 'MSISDN', partyId: '256774000001' },
    });
    const cancel = await client.call('DELETE', `/collection/v2_0/invoice/${invoice.referenceId}`, {
      referenceId: uuid(),
      callbackUrl: receiver.url('/cancelled'),
      body: { externalId: 'x' },
    });
    expect(cancel.status).toBe(200);
    await receiver.waitFor(1);
    expect(receiver.received[0]).toMatchObject({ method: 'PUT', url: '/cancelled' });
    expect(JSON.parse(receiver.received[0]!.body)).toMatchObject({
      status: 'FAILED',
      errorReason: {
        code: 'TRANSACTION_CANCELED',
        message: 'The transaction was canceled by the initiator',
      },
    });
  });
});
