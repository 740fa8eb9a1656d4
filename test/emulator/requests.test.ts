import { connect } from 'node:net';
import { request as httpRequest } from 'node:http';
import { startEmulator, type RunningEmulator } from '../../src/emulator/emulator';
import { uuid } from './support/http';
import { MomoTestClient, rtpBody, transferBody } from './support/momo-client';

const RTP = '/collection/v1_0/requesttopay';
const NOT_FOUND = '{"message":"Requested resource was not found.","code":"RESOURCE_NOT_FOUND"}';

describe('request rules', () => {
  let emulator: RunningEmulator;
  let client: MomoTestClient;

  beforeAll(async () => {
    emulator = await startEmulator();
    client = MomoTestClient.create(emulator);
  });

  afterAll(async () => {
    await emulator.stop();
  });

  it('answers a create with 202, an empty body and Content-Length 0', async () => {
    const res = await client.create(RTP, rtpBody('256774123456'));
    expect(res.status).toBe(202);
    expect(res.text).toBe('');
    expect(res.headers.get('content-length')).toBe('0');
  });

  it('echoes a successful status with a numeric financialTransactionId and no reason', async () => {
    const res = await client.create(RTP, rtpBody('256774123456', '12.50'));
    const status = await client.get(`${RTP}/${res.referenceId}`);
    expect(status.status).toBe(200);
    expect(status.json).toEqual({
      financialTransactionId: expect.stringMatching(/^\d+$/),
      externalId: 'order-1',
      amount: '12.50',
      currency: 'EUR',
      payer: { partyIdType: 'MSISDN', partyId: '256774123456' },
      payerMessage: 'Pay for order 1',
      payeeNote: 'Thanks',
      status: 'SUCCESSFUL',
    });
  });

  it('omits financialTransactionId and reason while pending', async () => {
    const res = await client.create(RTP, rtpBody('46733123453'));
    const status = await client.get(`${RTP}/${res.referenceId}`);
    expect(status.json.status).toBe('PENDING');
    expect(status.json).not.toHaveProperty('financialTransactionId');
    expect(status.json).not.toHaveProperty('reason');
  });

  describe('X-Reference-Id', () => {
    it('must be present and a UUID v4 (400)', async () => {
      const missing = await client.call('POST', RTP, { body: rtpBody('256774123456') });
      expect(missing.status).toBe(400);
      for (const bad of ['123', 'a0eebc99-9c0b-1ef8-bb6d-6bb9bd380a11', 'not-a-uuid-at-all']) {
        expect(
          (await client.create(RTP, rtpBody('256774123456'), { referenceId: bad })).status,
        ).toBe(400);
      }
      expect((await client.get(`${RTP}/123`)).status).toBe(400);
    });

    it('is unique per API user: reuse is 409, another user may reuse it', async () => {
      const first = await client.create(RTP, rtpBody('256774123456'));
      const again = await client.create(RTP, rtpBody('256774123456'), {
        referenceId: first.referenceId,
      });
      expect(again.status).toBe(409);
      expect(again.text).toBe(
        '{"message":"Duplicated reference id. Creation of resource failed.","code":"RESOURCE_ALREADY_EXIST"}',
      );
      const acrossKinds = await client.create(
        '/disbursement/v1_0/transfer',
        transferBody('256774123456'),
        {
          referenceId: first.referenceId,
        },
      );
      expect(acrossKinds.status).toBe(409);
      const other = MomoTestClient.create(emulator);
      expect(
        (await other.create(RTP, rtpBody('256774123456'), { referenceId: first.referenceId }))
          .status,
      ).toBe(202);
    });
  });

  describe('unknown references', () => {
    it('answer 404 RESOURCE_NOT_FOUND, also for another user’s or another kind’s reference', async () => {
      expect((await client.get(`${RTP}/${uuid()}`)).text).toBe(NOT_FOUND);
      const mine = await client.create(RTP, rtpBody('256774123456'));
      const other = MomoTestClient.create(emulator);
      const theirs = await other.get(`${RTP}/${mine.referenceId}`);
      expect(theirs.status).toBe(404);
      expect(theirs.text).toBe(NOT_FOUND);
      expect(
        (await client.get(`/collection/v1_0/requesttowithdraw/${mine.referenceId}`)).status,
      ).toBe(404);
    });

    it('answer APIM’s 404 for paths that are not MTN operations', async () => {
      const res = await client.get('/collection/v3_0/requesttopay');
      expect(res.status).toBe(404);
      expect(res.text).toBe('{"statusCode":404,"message":"Resource not found"}');
    });
  });

  describe('411 Length Required', () => {
    function post(
      headers: Record<string, string>,
    ): Promise<{ status: number; type?: string; body: string }> {
      return new Promise((resolve, reject) => {
        const req = httpRequest(
          `${emulator.url}/v1_0/apiuser/${client.user.apiUser}/apikey`,
          {
            method: 'POST',
            headers: { 'Ocp-Apim-Subscription-Key': client.key('collection'), ...headers },
          },
          (res) => {
            let body = '';
            res.on('data', (c: Buffer) => (body += c.toString()));
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body }),
            );
          },
        );
        req.on('error', reject);
        req.end();
      });
    }

    it('refuses a chunked body-less POST with an HTML page', async () => {
      const res = await post({ 'Transfer-Encoding': 'chunked' });
      expect(res.status).toBe(411);
      expect(res.type).toMatch(/^text\/html/);
      expect(res.body).toContain('<h2>Length Required</h2>');
    });

    it('refuses a POST that has neither Content-Length nor Transfer-Encoding', async () => {
      const raw = await new Promise<string>((resolve, reject) => {
        const socket = connect(emulator.port, '127.0.0.1', () => {
          socket.write(
            `POST /collection/token/ HTTP/1.1\r\nHost: x\r\nOcp-Apim-Subscription-Key: ${client.key('collection')}\r\nConnection: close\r\n\r\n`,
          );
        });
        let data = '';
        socket.on('data', (c: Buffer) => (data += c.toString()));
        socket.on('end', () => resolve(data));
        socket.on('error', reject);
      });
      expect(raw).toMatch(/^HTTP\/1\.1 411 /);
      expect(raw).toContain('HTTP Error 411');
    });

    it('accepts the same call with Content-Length: 0', async () => {
      expect((await post({ 'Content-Length': '0' })).status).toBe(201);
    });
  });

  describe('400 for malformed bodies', () => {
    const base = rtpBody('256774123456');
    const cases: [string, unknown][] = [
      ['an empty object', {}],
      ['invalid JSON', '{"amount":'],
      ['a numeric amount', { ...base, amount: 100 }],
      ['a negative amount', { ...base, amount: '-5' }],
      ['a zero amount', { ...base, amount: '0' }],
      ['five decimals', { ...base, amount: '1.00001' }],
      ['a float-looking exponent', { ...base, amount: '1e3' }],
      ['no currency', { ...base, currency: undefined }],
      ['a lower-case currency', { ...base, currency: 'eur' }],
      ['no payer', { ...base, payer: undefined }],
      [
        'an unknown party type',
        { ...base, payer: { partyIdType: 'PHONE', partyId: '256774123456' } },
      ],
      ['a "+" MSISDN', { ...base, payer: { partyIdType: 'MSISDN', partyId: '+256774123456' } }],
      ['a bad e-mail', { ...base, payer: { partyIdType: 'EMAIL', partyId: 'nobody' } }],
      ['a 161-character payer message', { ...base, payerMessage: 'x'.repeat(161) }],
      ['a 161-character payee note', { ...base, payeeNote: 'x'.repeat(161) }],
      ['an ampersand', { ...base, payerMessage: 'Fish & chips' }],
      ['an apostrophe', { ...base, payeeNote: "Tom's order" }],
    ];
    it.each(cases)('with %s', async (_name, body) => {
      const res = await client.create(RTP, body);
      expect(res.status).toBe(400);
      expect(emulator.state.transactions.get(client.user.apiUser, res.referenceId)).toBeUndefined();
    });

    it('accepts 160 characters and four decimals', async () => {
      const res = await client.create(RTP, {
        ...base,
        amount: '0.0001',
        payerMessage: 'x'.repeat(160),
      });
      expect(res.status).toBe(202);
    });

    it('answers a payer without members with 500 PAYER_NOT_FOUND, as observed', async () => {
      const res = await client.create(RTP, { ...base, payer: {} });
      expect(res.status).toBe(500);
      expect(res.json.code).toBe('PAYER_NOT_FOUND');
    });
  });
});
