import { startEmulator, type RunningEmulator } from '../../src/emulator/emulator';
import { MomoTestClient } from './support/momo-client';

describe('the consent flow (bc-authorize, oauth2 token, userinfo)', () => {
  let emulator: RunningEmulator;
  let client: MomoTestClient;

  beforeAll(async () => {
    emulator = await startEmulator();
    client = MomoTestClient.create(emulator);
  });

  afterAll(async () => {
    await emulator.stop();
  });

  const basic = (): Record<string, string> => ({
    Authorization: `Basic ${Buffer.from(`${client.user.apiUser}:${client.user.apiKey}`).toString('base64')}`,
  });

  function authorize(msisdn: string, extra: Record<string, string> = {}) {
    return client.call('POST', '/collection/v1_0/bc-authorize', {
      form: {
        login_hint: `ID:${msisdn}/MSISDN`,
        scope: 'profile',
        access_type: 'online',
        ...extra,
      },
    });
  }

  function exchange(form: Record<string, string>) {
    return client.call('POST', '/collection/oauth2/token/', {
      bearer: null,
      headers: basic(),
      form,
    });
  }

  it('grants a consent, exchanges it for a Bearer token and returns the holder’s KYC data', async () => {
    const auth = await authorize('256774123456');
    expect(auth.status).toBe(200);
    expect(auth.json).toEqual({ auth_req_id: expect.any(String), interval: 5, expires_in: 3600 });
    const token = await exchange({
      grant_type: 'urn:openid:params:grant-type:ciba',
      auth_req_id: auth.json.auth_req_id,
    });
    expect(token.json).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'profile',
    });
    const info = await client.get('/collection/oauth2/v1_0/userinfo', {
      bearer: token.json.access_token,
    });
    expect(info.json).toMatchObject({
      sub: '0',
      name: 'Sand Box',
      phone_number: '256774123456',
      birthdate: '1976-08-13',
    });
  });

  it('refreshes offline consents', async () => {
    const auth = await authorize('256774123456', {
      access_type: 'offline',
      consent_valid_in: '7200',
    });
    const token = await exchange({
      grant_type: 'urn:openid:params:grant-type:ciba',
      auth_req_id: auth.json.auth_req_id,
    });
    expect(token.json).toMatchObject({
      refresh_token: expect.any(String),
      refresh_token_expired_in: 7200,
    });
    const refreshed = await exchange({
      grant_type: 'refresh_token',
      refresh_token: token.json.refresh_token,
    });
    expect(refreshed.status).toBe(200);
    expect(
      (await exchange({ grant_type: 'refresh_token', refresh_token: token.json.refresh_token }))
        .status,
    ).toBe(400);
  });

  it('refuses an access token at userinfo and an oauth2 token elsewhere', async () => {
    expect((await client.get('/collection/oauth2/v1_0/userinfo')).status).toBe(401);
    const auth = await authorize('256774123456');
    const token = await exchange({
      grant_type: 'urn:openid:params:grant-type:ciba',
      auth_req_id: auth.json.auth_req_id,
    });
    expect(
      (await client.get('/collection/v1_0/account/balance', { bearer: token.json.access_token }))
        .status,
    ).toBe(401);
    expect(
      (await client.get('/disbursement/oauth2/v1_0/userinfo', { bearer: token.json.access_token }))
        .status,
    ).toBe(401);
  });

  it('validates the request', async () => {
    expect((await authorize('256774123456', { login_hint: 'bob' })).status).toBe(400);
    expect((await authorize('256774123456', { access_type: 'sometimes' })).status).toBe(400);
    expect((await authorize('256774123456', { consent_valid_in: '60' })).status).toBe(400);
    const scope = await authorize('256774123456', { scope: 'everything' });
    expect([scope.status, scope.json.code]).toEqual([500, 'UNSUPPORTED_SCOPE']);
    expect((await exchange({ grant_type: 'password' })).json).toEqual({
      error: 'unsupported_grant_type',
    });
    expect(
      (await exchange({ grant_type: 'urn:openid:params:grant-type:ciba', auth_req_id: 'nope' }))
        .json,
    ).toEqual({ error: 'invalid_grant' });
  });

  it.each([
    ['46733123451', 'access_denied'],
    ['46733123452', 'authorization_pending'],
    ['46733123453', 'expired_token'],
  ])('answers the consent test number %s with %s', async (msisdn, error) => {
    const auth = await authorize(msisdn);
    const token = await exchange({
      grant_type: 'urn:openid:params:grant-type:ciba',
      auth_req_id: auth.json.auth_req_id,
    });
    expect([token.status, token.json]).toEqual([400, { error }]);
  });

  it('does not find the account holder 46733123450', async () => {
    const auth = await authorize('46733123450');
    expect([auth.status, auth.json.code]).toEqual([500, 'NOT_FOUND']);
  });
});
