import type { FastifyRequest } from 'fastify';
import type { ApiUser } from './api-users';
import {
  APIM_INVALID_KEY,
  APIM_MISSING_KEY,
  EmulatorHttpError,
  invalidToken,
  loginFailed,
  mtnError,
} from './mtn-errors';
import type { Product } from './products';
import type { EmulatorState } from './state';
import { currencyOf } from './target-environments';
import type { TokenAudience, TokenClaims } from './tokens';
import { readHeader } from './validation';

export interface ProductContext {
  user: ApiUser;
  product: Product;
  claims: TokenClaims;
  targetEnvironment: string;
  /** The one currency the target environment takes. */
  currency: string;
}

function subscriptionKeyOf(req: FastifyRequest): string | undefined {
  const header = readHeader(req, 'ocp-apim-subscription-key');
  if (header !== undefined) return header;
  const query = req.query as Record<string, unknown> | undefined;
  const fromQuery = query?.['subscription-key'];
  return typeof fromQuery === 'string' ? fromQuery : undefined;
}

/**
 * APIM's check, done before anything else: each product has its own key; provisioning accepts
 * the key of any product.
 */
export function requireSubscriptionKey(
  state: EmulatorState,
  req: FastifyRequest,
  scope: Product | 'provisioning',
): void {
  const key = subscriptionKeyOf(req);
  if (key === undefined || key === '') throw new EmulatorHttpError(401, APIM_MISSING_KEY);
  const keys = state.subscriptionKeys;
  const valid =
    scope === 'provisioning'
      ? key === keys.collection || key === keys.disbursement || key === keys.remittance
      : key === keys[scope];
  if (!valid) throw new EmulatorHttpError(401, APIM_INVALID_KEY);
}

/** `Authorization: Basic base64(apiUser:apiKey)` of the token endpoints. */
export function requireBasicCredentials(state: EmulatorState, req: FastifyRequest): ApiUser {
  const header = readHeader(req, 'authorization');
  const match = header === undefined ? null : /^Basic ([A-Za-z0-9+/=]+)$/.exec(header);
  if (!match) throw loginFailed();
  const decoded = Buffer.from(match[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) throw loginFailed();
  const user = state.users.get(decoded.slice(0, colon));
  if (!user?.apiKeys.has(decoded.slice(colon + 1))) throw loginFailed();
  return user;
}

export function requireBearer(
  state: EmulatorState,
  req: FastifyRequest,
  product: Product,
  audiences: readonly TokenAudience[] = ['access'],
): { user: ApiUser; claims: TokenClaims } {
  const header = readHeader(req, 'authorization');
  const token = header?.startsWith('Bearer ') ? header.slice(7) : undefined;
  if (!token) throw invalidToken();
  for (const audience of audiences) {
    const claims = state.tokens.verify(token, product, audience);
    if (!claims) continue;
    const user = state.users.get(claims.clientId);
    if (!user) break;
    return { user, claims };
  }
  throw invalidToken();
}

/**
 * `X-Target-Environment` must name a known environment and the API user's own one; the
 * environment then fixes the currency.
 */
export function requireTargetEnvironment(
  req: FastifyRequest,
  user: ApiUser,
): { targetEnvironment: string; currency: string } {
  const value = readHeader(req, 'x-target-environment');
  const currency = value === undefined ? undefined : currencyOf(value);
  if (value === undefined || currency === undefined || value !== user.targetEnvironment) {
    throw mtnError('NOT_ALLOWED_TARGET_ENVIRONMENT');
  }
  return { targetEnvironment: value, currency };
}

/** The three checks of every product call, in MTN's order: key, token, environment. */
export function authorizeProductCall(
  state: EmulatorState,
  req: FastifyRequest,
  product: Product,
  audiences?: readonly TokenAudience[],
): ProductContext {
  requireSubscriptionKey(state, req, product);
  const { user, claims } = requireBearer(state, req, product, audiences);
  return { user, product, claims, ...requireTargetEnvironment(req, user) };
}
