import { API_KEY_SCOPES } from '../../src/auth/api-key.scopes';
import { ApiKeyStore } from '../../src/auth/api-key.store';
import { startGateway, type TestGateway } from '../support/gateway';
import { captureLogs, createKey } from './support';

/**
 * Runs real traffic through the gateway at LOG_LEVEL=info with every log line captured, then
 * looks for each secret involved: our API keys (sent as Bearer and as X-API-Key, valid, unknown,
 * revoked), MTN's subscription keys, the API user's key and its Basic credentials, and every access
 * token the emulator saw.
 */
describe('secrets in logs', () => {
  let gw: TestGateway;
  let lines: string[];
  let closed = false;
  const ourKeys: string[] = [];

  beforeAll(async () => {
    const capture = captureLogs();
    try {
      gw = await startGateway({ env: { LOG_LEVEL: 'info', LOG_REQUESTS: 'true' } });
    } finally {
      capture.stop();
    }
    lines = capture.lines;

    const reader = await createKey(gw.app, ['collection:read']);
    const revoked = await createKey(gw.app, API_KEY_SCOPES);
    await gw.app.get(ApiKeyStore).revoke({ id: revoked.id });
    const unknown = `mgw_unknown1_${'Z'.repeat(43)}`;
    ourKeys.push(gw.apiKey, reader.key, revoked.key, unknown);

    const created = await gw.request('POST', '/v1/collections', {
      amount: '1000',
      currency: 'UGX',
      phoneNumber: '256774123456',
      externalId: 'LOGS_1',
    });
    expect(created.status).toBe(202);
    await gw.waitFor(`/v1/collections/${created.body.id}`, (t) => t.status !== 'PENDING');
    await gw.emulator.callbacksIdle();
    expect(
      (
        await gw.request('GET', `/v1/collections/${created.body.id}`, undefined, {
          'x-api-key': reader.key,
        })
      ).status,
    ).toBe(200);
    expect(
      (await gw.request('POST', '/v1/collections', {}, {}, { apiKey: reader.key })).status,
    ).toBe(403);
    expect(
      (await gw.request('GET', '/v1/collections', undefined, { 'x-api-key': revoked.key })).status,
    ).toBe(401);
    expect(
      (await gw.request('GET', '/v1/collections', undefined, {}, { apiKey: unknown })).status,
    ).toBe(401);
    expect((await gw.request('GET', '/v1/collections/balance?country=UG', undefined)).status).toBe(
      200,
    );
    await gw.close();
    closed = true;
  });
  afterAll(async () => {
    if (gw && !closed) await gw.close();
  });

  function mtnSecrets(): string[] {
    const secrets = new Set<string>(Object.values(gw.emulator.subscriptionKeys));
    for (const c of Object.values(gw.config.momo.credentials)) secrets.add(c.apiKey);
    for (const entry of gw.emulator.state.requestLog.query({ limit: 1000 })) {
      const auth = entry.headers.authorization;
      if (typeof auth === 'string') secrets.add(auth.replace(/^(Basic|Bearer) /, ''));
      const sub = entry.headers['ocp-apim-subscription-key'];
      if (typeof sub === 'string') secrets.add(sub);
    }
    return [...secrets].filter((s) => s.length >= 8);
  }

  it('captured the traffic, naming the caller by key name and prefix', () => {
    const requestLines = lines.filter((l) => l.includes('"url":"/v1/collections'));
    expect(requestLines.length).toBeGreaterThanOrEqual(5);
    expect(
      lines.some((l) => l.includes('"apiKeyName"') && l.includes('"apiKeyPrefix":"mgw_')),
    ).toBe(true);
    expect(lines.some((l) => l.includes('"msg":"MTN call"'))).toBe(true);
  });

  it('never carries one of our API keys, or its secret part', () => {
    const text = lines.join('\n');
    for (const key of ourKeys) {
      expect(text).not.toContain(key);
      expect(text).not.toContain(key.slice(13));
    }
  });

  it("never carries MTN's subscription keys, API key, Basic credentials or access tokens", () => {
    const secrets = mtnSecrets();
    // The token call (Basic) and at least one Bearer call went out, so there is something to find.
    expect(
      gw.emulator.state.requestLog
        .query({ limit: 1000 })
        .some((e) => String(e.headers.authorization).startsWith('Basic ')),
    ).toBe(true);
    expect(
      gw.emulator.state.requestLog
        .query({ limit: 1000 })
        .some((e) => String(e.headers.authorization).startsWith('Bearer ')),
    ).toBe(true);
    expect(secrets.length).toBeGreaterThanOrEqual(5);
    const text = lines.join('\n');
    expect(secrets.filter((s) => text.includes(s))).toEqual([]);
    expect(text).not.toContain('Basic ');
  });
});
