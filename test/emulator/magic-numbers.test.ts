import { startEmulator, type RunningEmulator } from '../../src/emulator/emulator';
import { CallbackReceiver } from './support/callback-receiver';
import { admin } from './support/http';
import { MomoTestClient, rtpBody, transferBody } from './support/momo-client';

const RTP = '/collection/v1_0/requesttopay';

describe('magic and reserved numbers', () => {
  let emulator: RunningEmulator;
  let client: MomoTestClient;

  beforeAll(async () => {
    emulator = await startEmulator();
    client = MomoTestClient.create(emulator);
  });

  afterAll(async () => {
    await emulator.stop();
  });

  async function outcome(
    path: string,
    body: unknown,
    statusPath: string,
  ): Promise<Record<string, unknown>> {
    const created = await client.create(path, body);
    expect(created.status).toBe(202);
    return (await client.get(`${statusPath}/${created.referenceId}`)).json as Record<
      string,
      unknown
    >;
  }

  describe('MTN’s sandbox numbers, as the live sandbox behaves', () => {
    it.each([
      ['46733123450', 'FAILED', 'INTERNAL_PROCESSING_ERROR'],
      ['46733123451', 'FAILED', 'APPROVAL_REJECTED'],
      ['46733123452', 'FAILED', 'EXPIRED'],
      ['46733123453', 'PENDING', undefined],
      ['46733123454', 'CREATED', undefined],
      ['56733123453', 'SUCCESSFUL', undefined],
    ])('request to pay from %s is %s %s', async (msisdn, status, reason) => {
      const result = await outcome(RTP, rtpBody(msisdn), RTP);
      expect(result.status).toBe(status);
      expect(result.reason).toBe(reason);
    });

    it('turns 46733123453 into FAILED EXPIRED and 46733123454 into SUCCESSFUL after their delays', async () => {
      const fast = await startEmulator({ longPendingMs: 15, createdToSuccessfulMs: 10 });
      const receiver = await new CallbackReceiver().start();
      try {
        const c = MomoTestClient.create(fast);
        await c.create(RTP, rtpBody('46733123453'), { callbackUrl: receiver.url('/453') });
        await c.create(RTP, rtpBody('46733123454'), { callbackUrl: receiver.url('/454') });
        await receiver.waitFor(2);
        const byUrl = Object.fromEntries(receiver.received.map((r) => [r.url, JSON.parse(r.body)]));
        expect(byUrl['/453']).toMatchObject({ status: 'FAILED', reason: 'EXPIRED' });
        expect(byUrl['/454']).toMatchObject({
          status: 'SUCCESSFUL',
          financialTransactionId: expect.any(String),
        });
      } finally {
        await fast.stop();
        await receiver.stop();
      }
    });

    it('keeps 46733123453 pending forever when longPendingMs is null', async () => {
      await admin(emulator.url, 'PATCH', '/config', { longPendingMs: null });
      const created = await client.create(RTP, rtpBody('46733123453'));
      expect(
        emulator.state.transactions.get(client.user.apiUser, created.referenceId)?.timer,
      ).toBeUndefined();
      await admin(emulator.url, 'PATCH', '/config', { longPendingMs: 300000 });
    });

    const rows: [string, string, string, string[]][] = [
      [
        RTP,
        RTP,
        'payer',
        [
          'PAYER_NOT_FOUND',
          'PAYEE_NOT_ALLOWED_TO_RECEIVE',
          'NOT_ALLOWED',
          'NOT_ALLOWED_TARGET_ENVIRONMENT',
          'INVALID_CALLBACK_URL_HOST',
          'INVALID_CURRENCY',
          'INTERNAL_PROCESSING_ERROR',
          'SERVICE_UNAVAILABLE',
          'COULD_NOT_PERFORM_TRANSACTION',
        ],
      ],
      [
        '/collection/v2_0/requesttowithdraw',
        '/collection/v1_0/requesttowithdraw',
        'payer',
        [
          'PAYER_NOT_FOUND',
          'PAYEE_NOT_ALLOWED_TO_RECEIVE',
          'NOT_ALLOWED',
          'NOT_ALLOWED_TARGET_ENVIRONMENT',
          'INVALID_CALLBACK_URL_HOST',
          'INVALID_CURRENCY',
          'INTERNAL_PROCESSING_ERROR',
          'SERVICE_UNAVAILABLE',
          'COULD_NOT_PERFORM_TRANSACTION',
        ],
      ],
      [
        '/disbursement/v1_0/deposit',
        '/disbursement/v1_0/deposit',
        'payee',
        [
          'PAYEE_NOT_FOUND',
          'PAYEE_NOT_ALLOWED_TO_RECEIVE',
          'NOT_ALLOWED',
          'NOT_ALLOWED_TARGET_ENVIRONMENT',
          'INVALID_CALLBACK_URL_HOST',
          'INVALID_CURRENCY',
          'INTERNAL_PROCESSING_ERROR',
          'SERVICE_UNAVAILABLE',
          'COULD_NOT_PERFORM_TRANSACTION',
        ],
      ],
      [
        '/disbursement/v1_0/transfer',
        '/disbursement/v1_0/transfer',
        'payee',
        [
          'NOT_ENOUGH_FUNDS',
          'PAYER_LIMIT_REACHED',
          'PAYEE_NOT_FOUND',
          'NOT_ALLOWED',
          'NOT_ALLOWED_TARGET_ENVIRONMENT',
          'INVALID_CALLBACK_URL_HOST',
          'INVALID_CURRENCY',
          'INTERNAL_PROCESSING_ERROR',
          'SERVICE_UNAVAILABLE',
        ],
      ],
      [
        '/remittance/v1_0/transfer',
        '/remittance/v1_0/transfer',
        'payee',
        [
          'NOT_ENOUGH_FUNDS',
          'PAYER_LIMIT_REACHED',
          'PAYEE_NOT_FOUND',
          'NOT_ALLOWED',
          'NOT_ALLOWED_TARGET_ENVIRONMENT',
          'INVALID_CALLBACK_URL_HOST',
          'INVALID_CURRENCY',
          'INTERNAL_PROCESSING_ERROR',
          'SERVICE_UNAVAILABLE',
        ],
      ],
      [
        '/remittance/v2_0/cashtransfer',
        '/remittance/v2_0/cashtransfer',
        'payee',
        [
          'NOT_ENOUGH_FUNDS',
          'PAYER_LIMIT_REACHED',
          'PAYEE_NOT_FOUND',
          'NOT_ALLOWED',
          'NOT_ALLOWED_TARGET_ENVIRONMENT',
          'INVALID_CALLBACK_URL_HOST',
          'INVALID_CURRENCY',
          'INTERNAL_PROCESSING_ERROR',
          'SERVICE_UNAVAILABLE',
        ],
      ],
    ];
    it.each(rows)(
      '%s follows its row of MTN’s table from 46733123455 on',
      async (path, statusPath, role, reasons) => {
        for (const [i, reason] of reasons.entries()) {
          const msisdn = `467331234${55 + i}`;
          const body = role === 'payer' ? rtpBody(msisdn) : transferBody(msisdn);
          expect([msisdn, await outcome(path, body, statusPath)]).toEqual([
            msisdn,
            expect.objectContaining({ status: 'FAILED', reason }),
          ]);
        }
      },
    );

    it('follows the pre-approval row', async () => {
      const reasons = [
        'PAYER_NOT_FOUND',
        'NOT_ALLOWED',
        'NOT_ALLOWED_TARGET_ENVIRONMENT',
        'INVALID_CALLBACK_URL_HOST',
        'INVALID_CURRENCY',
        'INTERNAL_PROCESSING_ERROR',
        'SERVICE_UNAVAILABLE',
      ];
      for (const [i, code] of reasons.entries()) {
        const result = await outcome(
          '/collection/v2_0/preapproval',
          { payer: { partyIdType: 'MSISDN', partyId: `467331234${55 + i}` }, payerCurrency: 'EUR' },
          '/collection/v2_0/preapproval',
        );
        expect(result).toMatchObject({ status: 'FAILED', reason: { code } });
      }
    });

    it('lets the guide’s test numbers always succeed', async () => {
      for (const msisdn of ['256774123456', '233244000000', '250788123456', '260964000000']) {
        expect((await outcome(RTP, rtpBody(msisdn), RTP)).status).toBe('SUCCESSFUL');
        expect(
          (
            await outcome(
              '/disbursement/v1_0/transfer',
              transferBody(msisdn),
              '/disbursement/v1_0/transfer',
            )
          ).status,
        ).toBe('SUCCESSFUL');
      }
    });
  });

  describe('reserved numbers: every reason of the integration guide, for every product and country', () => {
    const reasons: [string, string][] = [
      ['01', 'PAYER_NOT_FOUND'],
      ['02', 'PAYEE_NOT_FOUND'],
      ['03', 'NOT_ALLOWED'],
      ['04', 'NOT_ENOUGH_FUNDS'],
      ['05', 'PAYER_LIMIT_REACHED'],
      ['06', 'PAYMENT_NOT_APPROVED'],
      ['07', 'RESOURCE_ALREADY_EXIST'],
      ['08', 'INTERNAL_PROCESSING_ERROR'],
      ['09', 'SERVICE_UNAVAILABLE'],
      ['10', 'EXPIRED'],
      ['11', 'TRANSACTION_CANCELED'],
    ];
    const countries = ['25677', '23324', '25078'];
    const products: [string, string, (m: string) => unknown][] = [
      [RTP, RTP, (m) => rtpBody(m)],
      ['/disbursement/v1_0/transfer', '/disbursement/v1_0/transfer', (m) => transferBody(m)],
      ['/remittance/v1_0/transfer', '/remittance/v1_0/transfer', (m) => transferBody(m)],
    ];

    it.each(products)(
      '%s: mode 1 accepts, then FAILS with the reason',
      async (path, statusPath, body) => {
        for (const prefix of countries) {
          for (const [digits, reason] of reasons) {
            const msisdn = `${prefix}00001${digits}`;
            expect([msisdn, await outcome(path, body(msisdn), statusPath)]).toEqual([
              msisdn,
              expect.objectContaining({ status: 'FAILED', reason }),
            ]);
          }
        }
      },
    );

    it.each(products)(
      '%s: mode 2 refuses at once with the code, creating nothing',
      async (path, statusPath, body) => {
        for (const prefix of countries) {
          for (const [digits, reason] of reasons) {
            const msisdn = `${prefix}00002${digits}`;
            const res = await client.create(path, body(msisdn));
            const expected =
              reason === 'SERVICE_UNAVAILABLE'
                ? 503
                : reason === 'RESOURCE_ALREADY_EXIST'
                  ? 409
                  : 500;
            expect([msisdn, res.status, res.json.code]).toEqual([msisdn, expected, reason]);
            expect((await client.get(`${statusPath}/${res.referenceId}`)).status).toBe(404);
          }
        }
      },
    );

    it('mode 3 stays PENDING, then FAILS with the reason once its wait is over', async () => {
      const created = await client.create(RTP, rtpBody('256770000304'));
      expect((await client.get(`${RTP}/${created.referenceId}`)).json.status).toBe('PENDING');
      // Ends the wait now instead of after longPendingMs.
      await admin(emulator.url, 'POST', `/transactions/${created.referenceId}/complete`);
      expect((await client.get(`${RTP}/${created.referenceId}`)).json).toMatchObject({
        status: 'FAILED',
        reason: 'NOT_ENOUGH_FUNDS',
      });
    });

    it('mode 3 fails by itself after longPendingMs', async () => {
      const fast = await startEmulator({ longPendingMs: 10 });
      const receiver = await new CallbackReceiver().start();
      try {
        const c = MomoTestClient.create(fast);
        await c.create(RTP, rtpBody('233240000310'), { callbackUrl: receiver.url() });
        await receiver.waitFor(1);
        expect(JSON.parse(receiver.received[0]!.body)).toMatchObject({
          status: 'FAILED',
          reason: 'EXPIRED',
        });
      } finally {
        await fast.stop();
        await receiver.stop();
      }
    });

    it('reason digits 00 and unlisted digits succeed', async () => {
      for (const msisdn of ['256770000100', '256770000200', '256770000199']) {
        expect((await outcome(RTP, rtpBody(msisdn), RTP)).status).toBe('SUCCESSFUL');
      }
    });
  });

  describe('account holders', () => {
    async function active(idType: string, id: string): Promise<[number, unknown]> {
      const res = await client.get(`/collection/v1_0/accountholder/${idType}/${id}/active`);
      return [res.status, res.json];
    }

    it('follows MTN’s account-holder row by MSISDN, e-mail and party code', async () => {
      const expected: [number, unknown][] = [
        [404, { message: 'Requested resource was not found.', code: 'RESOURCE_NOT_FOUND' }],
        [200, { result: false }],
        [500, { message: 'Authorization failed. Insufficient permissions', code: 'NOT_ALLOWED' }],
        [
          500,
          {
            message: 'Access to target environment is forbidden.',
            code: 'NOT_ALLOWED_TARGET_ENVIRONMENT',
          },
        ],
        [
          500,
          {
            message: 'An internal error occurred while processing.',
            code: 'INTERNAL_PROCESSING_ERROR',
          },
        ],
        [
          503,
          {
            message: 'Service temporarily unavailable, try again later',
            code: 'SERVICE_UNAVAILABLE',
          },
        ],
      ];
      const emails = [
        'notfound',
        'notactive',
        'notallowed',
        'notallowedtargetenvironment',
        'internalprocessingerror',
        'serviceunavailable',
      ];
      const codes = [
        '5cecb5a7-8bd0-4f49-87b1-8eb9ecc7b7bc',
        'b0040b3c-b426-4a90-af6e-673e65861cd7',
        '4d5f500f-c385-4901-9be5-25b6d36ad220',
        'd2265f9b-0c22-496d-908f-79a65ad66266',
        '8f548a78-ceb8-4d12-a243-5640b91e91a4',
        '585c07a4-2c80-42f7-9e73-e586b36dee68',
      ];
      for (const [i, outcomeExpected] of expected.entries()) {
        expect(await active('msisdn', `467331234${50 + i}`)).toEqual(outcomeExpected);
        expect(await active('email', `${emails[i]!}@email.com`)).toEqual(outcomeExpected);
        expect(await active('party_code', codes[i]!)).toEqual(outcomeExpected);
      }
      expect(await active('msisdn', '256774123456')).toEqual([200, { result: true }]);
      expect(await active('MSISDN', '46733123456')).toEqual([200, { result: true }]);
    });

    it('reports reserved not-found numbers inactive and fails mode-2 numbers', async () => {
      expect(await active('msisdn', '256770000101')).toEqual([200, { result: false }]);
      expect(await active('msisdn', '233240000102')).toEqual([200, { result: false }]);
      expect(await active('msisdn', '250780000104')).toEqual([200, { result: true }]);
      expect(await active('msisdn', '256770000201')).toEqual([
        500,
        { message: 'Payee does not exist', code: 'PAYER_NOT_FOUND' },
      ]);
      expect((await active('msisdn', '256770000209'))[0]).toBe(503);
    });

    it('gives basic user info the same outcomes', async () => {
      const info = await client.get(
        '/disbursement/v1_0/accountholder/msisdn/256774123456/basicuserinfo',
      );
      expect(info.json).toMatchObject({ given_name: 'Sand', family_name: 'Box', status: 'ACTIVE' });
      expect(
        (await client.get('/remittance/v1_0/accountholder/msisdn/46733123451/basicuserinfo')).json
          .status,
      ).toBe('INACTIVE');
      expect(
        (await client.get('/collection/v1_0/accountholder/msisdn/46733123450/basicuserinfo'))
          .status,
      ).toBe(404);
      expect(
        (await client.get('/collection/v1_0/accountholder/msisdn/256770000203/basicuserinfo')).json
          .code,
      ).toBe('NOT_ALLOWED');
      expect(
        (await client.get('/remittance/v1_0/accountholder/email/a@b.co/basicuserinfo')).status,
      ).toBe(404);
    });
  });

  it('publishes its tables at /_emulator/magic-numbers', async () => {
    const res = await admin(emulator.url, 'GET', '/magic-numbers');
    expect(res.json.mtn.transferAndCashTransfer['46733123455']).toBe('FAILED NOT_ENOUGH_FUNDS');
    expect(res.json.reserved.reasons['04']).toBe('NOT_ENOUGH_FUNDS');
  });
});
