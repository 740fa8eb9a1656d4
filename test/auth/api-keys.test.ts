import { Client } from 'pg';
import { API_KEY_SCOPES } from '../../src/auth/api-key.scopes';
import { ApiKeyStore } from '../../src/auth/api-key.store';
import { hashApiKey } from '../../src/auth/api-key.format';
import { startTestApp, type TestApp } from '../support/app';
import { createKey } from './support';

describe('API keys on requests', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ API_KEY_CACHE_TTL_SECONDS: '0' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('accepts the key as "Authorization: Bearer <key>"', async () => {
    const res = await t.request('GET', '/v1/collections', undefined, {
      authorization: `Bearer ${t.apiKey}`,
    });
    expect(res.status).toBe(200);
  });

  it('accepts the key as "X-API-Key: <key>"', async () => {
    const res = await t.request('GET', '/v1/collections', undefined, { 'x-api-key': t.apiKey });
    expect(res.status).toBe(200);
  });

  it('answers 401 in the error shape, with WWW-Authenticate, when no key is sent', async () => {
    const res = await t.request(
      'GET',
      '/v1/collections',
      undefined,
      { 'x-request-id': 'rid-401' },
      { apiKey: null },
    );
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="momo-gateway"');
    expect(res.body).toEqual({
      code: 'UNAUTHORIZED',
      message: expect.stringContaining('X-API-Key'),
      retryable: false,
      requestId: 'rid-401',
    });
  });

  it('answers 401 invalid_token to an unknown key, a malformed one and Basic credentials', async () => {
    for (const authorization of [
      `Bearer mgw_zzzzzzzz_${'A'.repeat(43)}`,
      'Bearer nonsense',
      'Basic dXNlcjpwYXNz',
    ]) {
      const res = await t.request('GET', '/v1/collections', undefined, { authorization });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe(
        'Bearer realm="momo-gateway", error="invalid_token"',
      );
    }
  });

  it('answers 401 when Authorization and X-API-Key carry different keys', async () => {
    const other = await createKey(t.app, API_KEY_SCOPES);
    const res = await t.request('GET', '/v1/collections', undefined, {
      authorization: `Bearer ${t.apiKey}`,
      'x-api-key': other.key,
    });
    expect(res.status).toBe(401);
  });

  it('answers 403 naming the missing scope', async () => {
    const reader = await createKey(t.app, ['collection:read']);
    const res = await t.request('POST', '/v1/collections', {}, {}, { apiKey: reader.key });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({
      code: 'FORBIDDEN',
      message: 'This API key lacks the scope collection:write',
      details: [{ scope: 'collection:write' }],
      retryable: false,
    });
  });

  it('refuses a revoked key at once when the cache time is 0', async () => {
    const k = await createKey(t.app, ['collection:read']);
    expect(
      (await t.request('GET', '/v1/collections', undefined, {}, { apiKey: k.key })).status,
    ).toBe(200);
    await t.app.get(ApiKeyStore).revoke({ name: k.name });
    const res = await t.request('GET', '/v1/collections', undefined, {}, { apiKey: k.key });
    expect(res.status).toBe(401);
    expect(res.body.message).toBe('This API key has been revoked');
  });

  it('records when a key was last used', async () => {
    const k = await createKey(t.app, ['collection:read']);
    const before = (await t.app.get(ApiKeyStore).list()).find((s) => s.name === k.name);
    expect(before?.lastUsedAt).toBeNull();
    await t.request('GET', '/v1/collections', undefined, {}, { apiKey: k.key });
    const after = (await t.app.get(ApiKeyStore).list()).find((s) => s.name === k.name);
    expect(after?.lastUsedAt).toBeInstanceOf(Date);
  });

  it('stores only the SHA-256 of the key, never the key or its secret', async () => {
    const k = await createKey(t.app, ['collection:read']);
    const secret = k.key.split('_').slice(2).join('_');
    const c = new Client({ connectionString: t.db.url });
    await c.connect();
    try {
      const rows = await c.query<Record<string, unknown>>(
        'SELECT * FROM api_keys WHERE name = $1',
        [k.name],
      );
      const stored = JSON.stringify(rows.rows);
      expect(stored).not.toContain(secret);
      expect(rows.rows[0]).toMatchObject({
        key_hash: hashApiKey(k.key),
        prefix: k.key.slice(4, 12),
      });
    } finally {
      await c.end();
    }
  });

  it('documents both headers on protected operations, none on public ones, and 403 with the scope', async () => {
    const doc = (await t.request('GET', '/docs-json', undefined, {}, { apiKey: null })).body;
    const post = doc.paths['/v1/collections'].post;
    expect(post.security).toEqual(expect.arrayContaining([{ 'api-key': [] }, { 'x-api-key': [] }]));
    expect(post.responses['403'].description).toContain('collection:write');
    expect(post.responses['401']).toBeDefined();
    expect(doc.paths['/health/live'].get.security).toBeUndefined();
    expect(doc.components.securitySchemes).toMatchObject({
      'api-key': { scheme: 'bearer' },
      'x-api-key': { in: 'header', name: 'X-API-Key' },
    });
  });
});

describe('the key cache', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ API_KEY_CACHE_TTL_SECONDS: '3600' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('keeps answering from memory within the cache time, so a revocation waits for it to run out', async () => {
    const k = await createKey(t.app, ['collection:read']);
    expect(
      (await t.request('GET', '/v1/collections', undefined, {}, { apiKey: k.key })).status,
    ).toBe(200);
    await t.app.get(ApiKeyStore).revoke({ name: k.name });
    // Remembered for an hour here; 30 s by default (docs/auth.md).
    expect(
      (await t.request('GET', '/v1/collections', undefined, {}, { apiKey: k.key })).status,
    ).toBe(200);
  });
});
