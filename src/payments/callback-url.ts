import type { Product } from '../common/product';

/**
 * MTN's callbacks are unsigned and carry no reference id, so the URL itself says which
 * transaction it is about and carries a per-transaction secret: `/v1/webhooks/mtn/{product}/{id}/{token}`.
 */
export function callbackUrlFor(baseUrl: string, product: Product, id: string, token: string): string {
  return `${baseUrl}/v1/webhooks/mtn/${product}/${id}/${token}`;
}
