import type { ApiKeyScope } from './api-key.scopes';

/** The key a request was authenticated with, as controllers see it (`@CurrentApiKey()`). */
export interface AuthenticatedApiKey {
  id: string;
  name: string;
  /** `mgw_<prefix>`: safe to show and log. */
  prefix: string;
  scopes: readonly ApiKeyScope[];
  /** The key's own limit, or the configured default. */
  rateLimitPerMinute: number;
}

const API_KEY_OF_REQUEST = Symbol('momo-gateway.api-key');

type Holder = { [API_KEY_OF_REQUEST]?: AuthenticatedApiKey };

export function attachApiKey(request: object, key: AuthenticatedApiKey): void {
  (request as Holder)[API_KEY_OF_REQUEST] = key;
}

/** The authenticated key of a request; undefined on public routes. */
export function apiKeyOfRequest(request: object): AuthenticatedApiKey | undefined {
  return (request as Holder)[API_KEY_OF_REQUEST];
}
