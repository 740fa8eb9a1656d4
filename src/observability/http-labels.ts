import { isProduct } from '../common/product';
import type { HttpRequestLabels } from './metrics.service';

/** What the request hooks know when a response has gone out. */
export interface AnsweredRequest {
  method: string;
  /** Fastify's route pattern; undefined when no route matched (404). */
  route: string | undefined;
  params: unknown;
  statusCode: number;
  /** The Nest handler that ran (recorded by `ApiKeyGuard` as it lets the request through); undefined when none did. */
  handler: string | undefined;
  /** The error body's `code`, for answers of 400 and above. */
  errorCode: string | undefined;
}

const PRODUCT_ROUTES: ReadonlyArray<readonly [string, string]> = [
  ['/v1/collections', 'collection'],
  ['/v1/disbursements', 'disbursement'],
  ['/v1/remittances', 'remittance'],
];
const WEBHOOK_ROUTE = '/v1/webhooks/mtn/';
const CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

/**
 * Bounded labels for one answered request: the route pattern (never the raw URL, whose ids would
 * make a series per transaction), the product the route belongs to, the operation (the Nest
 * handler's name; `callback` for MTN's callbacks; `none` when no handler ran: 404, a refused key,
 * a body Fastify could not parse) and the outcome.
 */
export function requestLabels(request: AnsweredRequest): HttpRequestLabels {
  const route = request.route ?? 'unmatched';
  const webhook = route.startsWith(WEBHOOK_ROUTE);
  return {
    method: request.method,
    route,
    status: String(request.statusCode),
    product: productOf(route, request.params, webhook),
    operation: webhook ? 'callback' : (request.handler ?? 'none'),
    outcome: outcomeOf(request.statusCode, request.errorCode),
  };
}

export function outcomeOf(statusCode: number, errorCode: string | undefined): string {
  if (statusCode < 400) return 'ok';
  if (errorCode !== undefined && CODE.test(errorCode)) return errorCode;
  return `${Math.floor(statusCode / 100)}xx`;
}

/** The `code` of an error body (`{ code, message, … }`), if the payload is one. */
export function errorCodeOf(payload: unknown): string | undefined {
  // Error bodies are small; anything large is not ours and not worth parsing.
  if (typeof payload !== 'string' || payload.length > 16_384 || !payload.startsWith('{'))
    return undefined;
  try {
    const code: unknown = (JSON.parse(payload) as { code?: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}

function productOf(route: string, params: unknown, webhook: boolean): string {
  if (webhook) {
    const product = (params as { product?: unknown } | undefined)?.product;
    return isProduct(product) ? product : 'none';
  }
  for (const [prefix, product] of PRODUCT_ROUTES) {
    if (route === prefix || route.startsWith(`${prefix}/`)) return product;
  }
  return 'none';
}
