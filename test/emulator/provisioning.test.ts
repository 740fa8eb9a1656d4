import { startEmulator, type RunningEmulator } from '../../src/emulator/emulator';
import { provisionSandboxUser, ProvisioningError } from '../../src/emulator/provision';
import { admin, http, uuid } from './support/http';

describe('sandbox provisioning', () => {
  let emulator: RunningEmulator;
  let key: Record<string, string>;

  beforeAll(async () => {
    emulator = await startEmulator();
    key = { 'Ocp-Apim-Subscription-Key': emulator.subscriptionKeys.disbursement };
  });

  afterAll(async () => {
    await emulator.stop();
  });

  function createUser(id: string, body: unknown, headers: Record<string, string> = key) {
    return http(`${emulator.url}/v1_0/apiuser`, {
      method: 'POST',
      headers: { ...headers, 'X-Reference-Id': id, 'Content-Type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  it('creates a user with 201 and an empty body, then a 32-hex key, then reads it flat', async () => {
    const id = uuid();
    const created = await createUser(id, { providerCallbackHost: 'webhook.example.com' });
    expect(created.status).toBe(201);
    expect(created.text).toBe('');
    const apiKey = await http(`${emulator.url}/v1_0/apiuser/${id}/apikey`, {
      method: 'POST',
      headers: key,
    });
    expect(apiKey.status).toBe(201);
    expect(apiKey.json).toEqual({ apiKey: expect.stringMatching(/^[0-9a-f]{32}$/) });
    const read = await http(`${emulator.url}/v1_0/apiuser/${id}`, { headers: key });
    expect(read.status).toBe(200);
    expect(read.text).toBe(
      '{"providerCallbackHost":"webhook.example.com","targetEnvironment":"sandbox"}',
    );
  });

  it('accepts any product’s key, and only those', async () => {
    for (const k of Object.values(emulator.subscriptionKeys)) {
      expect(
        (
          await createUser(
            uuid(),
            { providerCallbackHost: 'h' },
            { 'Ocp-Apim-Subscription-Key': k },
          )
        ).status,
      ).toBe(201);
    }
    const wrong = await createUser(
      uuid(),
      { providerCallbackHost: 'h' },
      { 'Ocp-Apim-Subscription-Key': 'nope' },
    );
    expect(wrong.status).toBe(401);
    expect(wrong.text).toBe(
      '{"statusCode":401,"message":"Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription."}',
    );
  });

  it('refuses a reused id with 409 RESOURCE_ALREADY_EXIST', async () => {
    const id = uuid();
    await createUser(id, { providerCallbackHost: 'h' });
    const again = await createUser(id, { providerCallbackHost: 'h' });
    expect(again.status).toBe(409);
    expect(again.text).toBe(
      '{"message":"Duplicated reference id. Creation of resource failed.","code":"RESOURCE_ALREADY_EXIST"}',
    );
  });

  it('answers 400 to a non-UUID id, an empty body or a null host', async () => {
    expect((await createUser('123', { providerCallbackHost: 'h' })).status).toBe(400);
    expect((await createUser(uuid(), {})).status).toBe(400);
    expect((await createUser(uuid(), { providerCallbackHost: null })).status).toBe(400);
    expect((await createUser(uuid(), 'not json')).status).toBe(400);
    expect(
      (await http(`${emulator.url}/v1_0/apiuser/123/apikey`, { method: 'POST', headers: key }))
        .status,
    ).toBe(400);
    expect((await http(`${emulator.url}/v1_0/apiuser/123`, { headers: key })).status).toBe(400);
  });

  it('answers 404 RESOURCE_NOT_FOUND for an unknown user', async () => {
    const missing = await http(`${emulator.url}/v1_0/apiuser/${uuid()}/apikey`, {
      method: 'POST',
      headers: key,
    });
    expect(missing.status).toBe(404);
    expect(missing.text).toBe(
      '{"message":"Requested resource was not found.","code":"RESOURCE_NOT_FOUND"}',
    );
    expect((await http(`${emulator.url}/v1_0/apiuser/${uuid()}`, { headers: key })).status).toBe(
      404,
    );
  });

  it('takes a target environment as a body extension and refuses unknown ones', async () => {
    const id = uuid();
    expect(
      (await createUser(id, { providerCallbackHost: 'h', targetEnvironment: 'mtnuganda' })).status,
    ).toBe(201);
    expect((await http(`${emulator.url}/v1_0/apiuser/${id}`, { headers: key })).json).toEqual({
      providerCallbackHost: 'h',
      targetEnvironment: 'mtnuganda',
    });
    expect(
      (await createUser(uuid(), { providerCallbackHost: 'h', targetEnvironment: 'production' }))
        .status,
    ).toBe(400);
  });

  it('creates users directly through the admin API', async () => {
    const id = uuid();
    const created = await admin(emulator.url, 'POST', '/apiusers', {
      apiUser: id,
      apiKey: 'secret',
      providerCallbackHost: 'cb.example',
      targetEnvironment: 'mtnghana',
    });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({
      apiUser: id,
      apiKey: 'secret',
      providerCallbackHost: 'cb.example',
      targetEnvironment: 'mtnghana',
    });
    expect((await admin(emulator.url, 'POST', '/apiusers', { apiUser: id })).status).toBe(409);
    expect(
      (await admin(emulator.url, 'POST', '/apiusers', { targetEnvironment: 'production' })).status,
    ).toBe(400);
  });

  describe('provisionSandboxUser', () => {
    it('provisions through the three documented calls, the key call with Content-Length: 0', async () => {
      emulator.state.requestLog.clear();
      const user = await provisionSandboxUser({
        baseUrl: `${emulator.url}/`,
        subscriptionKey: emulator.subscriptionKeys.collection,
        callbackHost: 'gateway.example.com',
      });
      expect(user).toEqual({
        apiUser: expect.stringMatching(
          /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
        ),
        apiKey: expect.stringMatching(/^[0-9a-f]{32}$/),
        targetEnvironment: 'sandbox',
      });
      const calls = emulator.state.requestLog.query();
      expect(calls.map((c) => `${c.method} ${c.path} ${c.status}`)).toEqual([
        `POST /v1_0/apiuser 201`,
        `POST /v1_0/apiuser/${user.apiUser}/apikey 201`,
        `GET /v1_0/apiuser/${user.apiUser} 200`,
      ]);
      expect(calls[1]?.headers['content-length']).toBe('0');
      expect(emulator.state.users.get(user.apiUser)?.providerCallbackHost).toBe(
        'gateway.example.com',
      );
    });

    it('fails with the step and MTN’s answer', async () => {
      await expect(
        provisionSandboxUser({
          baseUrl: emulator.url,
          subscriptionKey: 'wrong',
          callbackHost: 'h',
        }),
      ).rejects.toMatchObject({ name: 'ProvisioningError', step: 'create user', status: 401 });
      await expect(
        provisionSandboxUser({
          baseUrl: emulator.url,
          subscriptionKey: 'wrong',
          callbackHost: 'h',
        }),
      ).rejects.toBeInstanceOf(ProvisioningError);
    });
  });
});
