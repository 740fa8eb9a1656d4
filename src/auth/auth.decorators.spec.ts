import type { ExecutionContext } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { CurrentApiKey } from './auth.decorators';
import { attachApiKey, type AuthenticatedApiKey } from './authenticated-api-key';

type Factory = (data: unknown, context: ExecutionContext) => unknown;

/** The function Nest calls to fill a `@CurrentApiKey()` parameter. */
function currentApiKeyFactory(): Factory {
  class Probe {
    handler(@CurrentApiKey() _key: AuthenticatedApiKey): void {}
  }
  const args = Reflect.getMetadata(ROUTE_ARGS_METADATA, Probe, 'handler') as Record<
    string,
    { factory: Factory }
  >;
  return Object.values(args)[0]!.factory;
}

const contextFor = (request: object) =>
  ({ switchToHttp: () => ({ getRequest: () => request }) }) as unknown as ExecutionContext;

describe('@CurrentApiKey()', () => {
  it('gives the handler the key the guard authenticated', () => {
    const key: AuthenticatedApiKey = {
      id: 'k1',
      name: 'billing',
      prefix: 'mgw_abcd1234',
      scopes: ['collection:write'],
      rateLimitPerMinute: 600,
    };
    const request = {};
    attachApiKey(request, key);
    expect(currentApiKeyFactory()(undefined, contextFor(request))).toBe(key);
  });

  it('refuses to run on a route no key authenticated (a public one)', () => {
    expect(() => currentApiKeyFactory()(undefined, contextFor({}))).toThrow(
      /not authenticated by API key/,
    );
  });
});
