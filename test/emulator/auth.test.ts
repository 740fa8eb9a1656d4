import { startEmulator, type RunningEmulator } from '../../src/emulator/emulator';
import { admin, http } from './support/http';
import { MomoTestClient, rtpBody } from './support/momo-client';

const APIM_INVALID =
  '{"statusCode":401,"message":"Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription."}';
const APIM_MISSING =
  '{"statusCode":401,"message":"Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API."}';

describe('keys, tokens and target environments', () => {
  let emulator: RunningEmulator;
  let client: MomoTestClient;

  beforeAll(async () => {
    emulator = await startEmulator({
      subscriptionKeys: { collection: 'collection-key', disbursement: 'disbursement-key' },
    });
    client = MomoTestClient.create(emulator);
  });

  afterAll(async () => {
    await emulator.stop();
  });

  function basic(user: string, key: string): string {
    return `Basic ${Buffer.from(`${user}:${key}`).toString('base64')}`;
  }

  function token(product: string, headers: Record<string, string>) {
    return http(`${emulator.url}/${product}/token/`, { method: 'POST', headers });
  }

  describe('subscription keys', () => {
    it('uses the configured keys and generates the missing one', async () => {
      expect(emulator.subscriptionKeys.collection).toBe('collection-key');
      expect(emulator.subscriptionKeys.remittance).toMatch(/^[0-9a-f]{32}$/);
      const config = await admin(emulator.url, 'GET', '/config');
      expect(config.json.subscriptionKeys).toEqual(emulator.subscriptionKeys);
    });

    it('answers APIM’s 401 for a missing, a wrong or another product’s key', async () => {
      const path = '/collection/v1_0/account/balance';
      expect((await client.get(path, { subscriptionKey: null })).text).toBe(APIM_MISSING);
      const wrong = await client.get(path, { subscriptionKey: 'nope' });
      expect(wrong.status).toBe(401);
      expect(wrong.text).toBe(APIM_INVALID);
      expect((await client.get(path, { subscriptionKey: 'disbursement-key' })).text).toBe(
        APIM_INVALID,
      );
      const tok = await token('disbursement', {
        'Ocp-Apim-Subscription-Key': 'collection-key',
        Authorization: basic(client.user.apiUser, client.user.apiKey),
      });
      expect(tok.status).toBe(401);
      expect(tok.text).toBe(APIM_INVALID);
    });

    it('also reads the key from the subscription-key query parameter', async () => {
      const res = await client.get(
        '/collection/v1_0/account/balance?subscription-key=collection-key',
        {
          subscriptionKey: null,
        },
      );
      expect(res.status).toBe(200);
    });
  });

  describe('the token endpoint', () => {
    it('issues an MTN-shaped JWT with token_type access_token and expires_in 3600', async () => {
      const res = await token('collection', {
        'Ocp-Apim-Subscription-Key': 'collection-key',
        Authorization: basic(client.user.apiUser, client.user.apiKey),
      });
      expect(res.status).toBe(200);
      expect(Object.keys(res.json)).toEqual(['access_token', 'token_type', 'expires_in']);
      expect(res.json.token_type).toBe('access_token');
      expect(res.json.expires_in).toBe(3600);
      const [header, payload] = (res.json.access_token as string).split('.');
      expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toEqual({
        typ: 'JWT',
        alg: 'R256',
      });
      const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
      expect(claims).toEqual({
        clientId: client.user.apiUser,
        expires: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/),
        sessionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      });
    });

    it('answers 500 {"error":"login_failed"} for a wrong key, an unknown user or a malformed header', async () => {
      const k = { 'Ocp-Apim-Subscription-Key': 'collection-key' };
      for (const authorization of [
        basic(client.user.apiUser, 'wrong'),
        basic('00000000-0000-4000-8000-000000000000', client.user.apiKey),
        `Basic: ${Buffer.from(`${client.user.apiUser}:${client.user.apiKey}`).toString('base64')}`,
      ]) {
        const res = await token('collection', { ...k, Authorization: authorization });
        expect(res.status).toBe(500);
        expect(res.text).toBe('{"error":"login_failed"}');
      }
      expect((await token('collection', k)).text).toBe('{"error":"login_failed"}');
    });

    it('refuses a user that has no key yet', async () => {
      const user = emulator.createApiUser();
      emulator.state.users.get(user.apiUser)!.apiKeys.clear();
      const res = await token('collection', {
        'Ocp-Apim-Subscription-Key': 'collection-key',
        Authorization: basic(user.apiUser, user.apiKey),
      });
      expect(res.text).toBe('{"error":"login_failed"}');
    });
  });

  describe('bearer tokens', () => {
    const path = '/collection/v1_0/account/balance';

    it('answers 401 {"error":"invalid_token"} without, with a garbled or with another product’s token', async () => {
      expect((await client.get(path, { bearer: null })).status).toBe(401);
      const garbled = await client.get(path, { bearer: 'abc.def.ghi' });
      expect(garbled.status).toBe(401);
      expect(garbled.text).toBe('{"error":"invalid_token"}');
      const other = await client.get(path, { bearer: await client.token('disbursement') });
      expect(other.status).toBe(401);
      expect((await client.get(path)).status).toBe(200);
    });

    it('refuses every token after the admin call that expires them', async () => {
      const fresh = MomoTestClient.create(emulator);
      expect((await fresh.get(path)).status).toBe(200);
      expect((await admin(emulator.url, 'POST', '/tokens/expire')).status).toBe(204);
      expect((await fresh.get(path)).status).toBe(401);
      fresh.forgetTokens();
      expect((await fresh.get(path)).status).toBe(200);
      client.forgetTokens();
    });

    it('refuses a token past its lifetime', async () => {
      // A lifetime below a millisecond ends before any later request can arrive.
      const shortLived = await startEmulator({ tokenExpiresInSeconds: 1e-7 });
      try {
        const c = MomoTestClient.create(shortLived);
        const res = await c.get(path);
        expect(res.status).toBe(401);
        expect(res.text).toBe('{"error":"invalid_token"}');
      } finally {
        await shortLived.stop();
      }
    });
  });

  describe('X-Target-Environment', () => {
    const forbidden =
      '{"message":"Access to target environment is forbidden.","code":"NOT_ALLOWED_TARGET_ENVIRONMENT"}';

    it('is required and must be the API user’s environment', async () => {
      const path = '/collection/v1_0/account/balance';
      for (const env of [null, 'production', 'mars', 'mtnuganda']) {
        const res = await client.get(path, { targetEnvironment: env });
        expect(res.status).toBe(500);
        expect(res.text).toBe(forbidden);
      }
    });

    it('takes EUR only in the sandbox: anything else is 500 INVALID_CURRENCY', async () => {
      const res = await client.create(
        '/collection/v1_0/requesttopay',
        rtpBody('256774123456', '100', 'UGX'),
      );
      expect(res.status).toBe(500);
      expect(res.text).toBe('{"message":"Currency not supported.","code":"INVALID_CURRENCY"}');
      expect((await client.get('/collection/v1_0/account/balance/UGX')).text).toBe(
        '{"message":"Currency not supported.","code":"INVALID_CURRENCY"}',
      );
    });

    it('takes the country’s currency in a country environment', async () => {
      const cases = [
        ['mtnuganda', 'UGX', '256774123456'],
        ['mtnghana', 'GHS', '233244000000'],
        ['mtnrwanda', 'RWF', '250788123456'],
        ['mtnzambia', 'ZMW', '260964000000'],
        ['mtnbenin', 'XOF', '22997000000'],
        ['mtncameroon', 'XAF', '237670000000'],
        ['mtnguineaconakry', 'GNF', '224660000000'],
      ];
      for (const [environment, currency, msisdn] of cases) {
        const c = MomoTestClient.create(emulator, { targetEnvironment: environment });
        const ok = await c.create(
          '/collection/v1_0/requesttopay',
          rtpBody(msisdn!, '1000', currency),
        );
        expect(ok.status).toBe(202);
        expect((await c.get(`/collection/v1_0/requesttopay/${ok.referenceId}`)).json.currency).toBe(
          currency,
        );
        expect(
          (await c.create('/collection/v1_0/requesttopay', rtpBody(msisdn!, '1000', 'EUR'))).status,
        ).toBe(500);
        expect((await c.get('/collection/v1_0/account/balance')).json.currency).toBe(currency);
        expect(
          (await c.get('/collection/v1_0/account/balance', { targetEnvironment: 'sandbox' }))
            .status,
        ).toBe(500);
      }
    });
  });
});
