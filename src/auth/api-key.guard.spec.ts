import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '../common/errors/domain-error';
import { loadConfig, type AppConfig } from '../config/app-config';
import type { Authentication, ApiKeyAuthenticator } from './api-key.authenticator';
import { ApiKeyGuard, presentedKey } from './api-key.guard';
import type { ApiKeyRateLimiter } from './api-key.rate-limiter';
import { MetricsAccess, Public, RequireScope } from './auth.decorators';
import { apiKeyOfRequest, type AuthenticatedApiKey } from './authenticated-api-key';
import { requestTags } from '../observability/request-tags';
import type { IncomingMessage } from 'node:http';

class Probe {
  @RequireScope('collection:write') write(): void {}
  @Public() open(): void {}
  @MetricsAccess() metrics(): void {}
  undeclared(): void {}
}

@Public()
class OpenProbe {
  @RequireScope('collection:read') read(): void {}
  anything(): void {}
}

const KEY = 'mgw_abcd1234_' + 'A'.repeat(43);
const REVOKED = 'mgw_revoked1_' + 'A'.repeat(43);
const billing: AuthenticatedApiKey = {
  id: 'id-1',
  name: 'billing',
  prefix: 'mgw_abcd1234',
  scopes: ['collection:write'],
  rateLimitPerMinute: 100,
};

function setup(options: { metricsPublic?: boolean } = {}) {
  const authenticate = jest.fn((key: string): Promise<Authentication> => {
    if (key === KEY) return Promise.resolve({ ok: true, key: billing });
    return Promise.resolve({ ok: false, reason: key === REVOKED ? 'revoked' : 'unknown' });
  });
  const consume = jest.fn(() => Promise.resolve({ limit: 100, remaining: 99, resetSeconds: 60 }));
  const assign = jest.fn();
  const base = loadConfig({});
  const config: AppConfig = {
    ...base,
    auth: { ...base.auth, metricsPublic: options.metricsPublic ?? true },
  };
  const guard = new ApiKeyGuard(
    new Reflector(),
    { authenticate } as unknown as ApiKeyAuthenticator,
    { consume } as unknown as ApiKeyRateLimiter,
    { assign },
    config,
  );
  const call = (type: object, method: string, headers: Record<string, string> = {}) => {
    const request = { headers, raw: {} as IncomingMessage };
    const replyHeaders: Record<string, string> = {};
    const reply = {
      header: jest.fn((name: string, value: string) => (replyHeaders[name] = value)),
    };
    const context = {
      getType: () => 'http',
      getClass: () => type,
      getHandler: () => (type as { prototype: Record<string, unknown> }).prototype[method],
      switchToHttp: () => ({ getRequest: () => request, getResponse: () => reply }),
    } as unknown as ExecutionContext;
    return { result: guard.canActivate(context), request, replyHeaders };
  };
  return { call, authenticate, consume, assign };
}

async function refusal(p: Promise<boolean>): Promise<DomainError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(err)}`);
  return err;
}

describe('ApiKeyGuard', () => {
  it('lets a public route through without a key or a lookup', async () => {
    const { call, authenticate } = setup();
    await expect(call(Probe, 'open').result).resolves.toBe(true);
    expect(authenticate).not.toHaveBeenCalled();
  });

  it('answers 401 with WWW-Authenticate when no key is sent', async () => {
    const { call } = setup();
    const c = call(Probe, 'write');
    const err = await refusal(c.result);
    expect(err.code).toBe('UNAUTHORIZED');
    expect(err.message).toMatch(/Authorization: Bearer <key>.*X-API-Key/);
    expect(c.replyHeaders['WWW-Authenticate']).toBe('Bearer realm="momo-gateway"');
  });

  it('answers 401 invalid_token for an unknown key and for a revoked one', async () => {
    const { call } = setup();
    const unknown = call(Probe, 'write', {
      authorization: 'Bearer mgw_nothere1_' + 'B'.repeat(43),
    });
    expect(await refusal(unknown.result)).toMatchObject({
      code: 'UNAUTHORIZED',
      message: 'Unknown API key',
    });
    expect(unknown.replyHeaders['WWW-Authenticate']).toBe(
      'Bearer realm="momo-gateway", error="invalid_token"',
    );
    const revoked = call(Probe, 'write', { 'x-api-key': REVOKED });
    expect(await refusal(revoked.result)).toMatchObject({
      code: 'UNAUTHORIZED',
      message: 'This API key has been revoked',
    });
  });

  it('accepts the key as a bearer token or in X-API-Key, and hands it to the request and the log', async () => {
    const { call, assign } = setup();
    const variants: Array<Record<string, string>> = [
      { authorization: `Bearer ${KEY}` },
      { authorization: `bearer  ${KEY}` },
      { 'x-api-key': KEY },
    ];
    for (const headers of variants) {
      const c = call(Probe, 'write', headers);
      await expect(c.result).resolves.toBe(true);
      expect(apiKeyOfRequest(c.request)).toEqual(billing);
    }
    expect(assign).toHaveBeenCalledWith(expect.anything(), billing);
  });

  it('answers 403 naming the scope when the key lacks it', async () => {
    const { call, consume } = setup();
    const err = await refusal(call(OpenProbe, 'read', { authorization: `Bearer ${KEY}` }).result);
    expect(err.code).toBe('FORBIDDEN');
    expect(err.details).toEqual([
      { message: 'requires scope collection:read', scope: 'collection:read' },
    ]);
    expect(consume).not.toHaveBeenCalled();
  });

  it('refuses a route that declares nothing, even to a valid key (deny by default)', async () => {
    const { call } = setup();
    await expect(
      refusal(call(Probe, 'undeclared', { authorization: `Bearer ${KEY}` }).result),
    ).resolves.toMatchObject({ code: 'FORBIDDEN' });
    await expect(refusal(call(Probe, 'undeclared').result)).resolves.toMatchObject({
      code: 'UNAUTHORIZED',
    });
  });

  it("lets a method's scope win over its class being public, and the class's @Public() cover the rest", async () => {
    const { call } = setup();
    await expect(refusal(call(OpenProbe, 'read').result)).resolves.toMatchObject({
      code: 'UNAUTHORIZED',
    });
    await expect(call(OpenProbe, 'anything').result).resolves.toBe(true);
  });

  it('counts the request against the key and reports the budget in headers', async () => {
    const { call, consume } = setup();
    const c = call(Probe, 'write', { authorization: `Bearer ${KEY}` });
    await c.result;
    expect(consume).toHaveBeenCalledWith(billing);
    expect(c.replyHeaders).toMatchObject({
      'X-RateLimit-Limit': '100',
      'X-RateLimit-Remaining': '99',
      'X-RateLimit-Reset': '60',
    });
  });

  it('passes RATE_LIMITED on from the limiter', async () => {
    const { call, consume } = setup();
    consume.mockRejectedValueOnce(
      new DomainError('RATE_LIMITED', 'spent', { retryAfterSeconds: 12 }),
    );
    await expect(
      refusal(call(Probe, 'write', { authorization: `Bearer ${KEY}` }).result),
    ).resolves.toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 12 });
  });

  it("names the request's operation after the handler when it lets the request through", async () => {
    const { call } = setup();
    const open = call(Probe, 'open');
    await open.result;
    expect(requestTags(open.request.raw).handler).toBe('open');
    const keyed = call(Probe, 'write', { authorization: `Bearer ${KEY}` });
    await keyed.result;
    expect(requestTags(keyed.request.raw).handler).toBe('write');
  });

  it('leaves the operation unnamed when it refuses the request (no handler serves it)', async () => {
    const { call, consume } = setup();
    const refused = [
      call(Probe, 'write'),
      call(OpenProbe, 'read', { authorization: `Bearer ${KEY}` }),
      call(Probe, 'undeclared', { authorization: `Bearer ${KEY}` }),
    ];
    consume.mockRejectedValueOnce(
      new DomainError('RATE_LIMITED', 'spent', { retryAfterSeconds: 1 }),
    );
    refused.push(call(Probe, 'write', { authorization: `Bearer ${KEY}` }));
    for (const c of refused) {
      await refusal(c.result);
      expect(requestTags(c.request.raw).handler).toBeUndefined();
    }
  });

  it('leaves /metrics open by default and asks for metrics:read when METRICS_PUBLIC=false', async () => {
    await expect(setup().call(Probe, 'metrics').result).resolves.toBe(true);
    const closed = setup({ metricsPublic: false });
    await expect(refusal(closed.call(Probe, 'metrics').result)).resolves.toMatchObject({
      code: 'UNAUTHORIZED',
    });
    await expect(
      refusal(closed.call(Probe, 'metrics', { authorization: `Bearer ${KEY}` }).result),
    ).resolves.toMatchObject({
      code: 'FORBIDDEN',
      details: [{ scope: 'metrics:read' }],
    });
  });
});

describe('presentedKey', () => {
  it('reads a bearer token or X-API-Key, and nothing when neither is sent', () => {
    expect(presentedKey({ authorization: 'Bearer k1' })).toEqual({ key: 'k1' });
    expect(presentedKey({ 'x-api-key': ' k2 ' })).toEqual({ key: 'k2' });
    expect(presentedKey({})).toBeUndefined();
    expect(presentedKey({ 'x-api-key': '' })).toBeUndefined();
  });

  it('refuses another authorization scheme, such as Basic', () => {
    expect(presentedKey({ authorization: 'Basic dXNlcjpwYXNz' })).toMatchObject({
      problem: expect.stringContaining('not a bearer API key'),
    });
  });

  it('accepts both headers only when they carry the same key', () => {
    expect(presentedKey({ authorization: 'Bearer k1', 'x-api-key': 'k1' })).toEqual({ key: 'k1' });
    expect(presentedKey({ authorization: 'Bearer k1', 'x-api-key': 'k2' })).toMatchObject({
      problem: expect.stringContaining('different keys'),
    });
  });
});
