/**
 * MTN's three products. The emulator keeps its own copy of this list instead of importing the
 * gateway's, so that it stays a separate program that shares nothing with what it emulates.
 */
export const PRODUCTS = ['collection', 'disbursement', 'remittance'] as const;
export type Product = (typeof PRODUCTS)[number];

/** Path owners: a product, the sandbox provisioning API, or the emulator's own admin API. */
export type PathOwner = Product | 'provisioning' | 'admin' | 'unknown';

export function isProduct(value: unknown): value is Product {
  return value === 'collection' || value === 'disbursement' || value === 'remittance';
}

export function pathOwner(path: string): PathOwner {
  const segment = path.split('/', 2)[1] ?? '';
  if (isProduct(segment)) return segment;
  if (segment === '_emulator') return 'admin';
  if (segment === 'v1_0') return 'provisioning';
  return 'unknown';
}

/** The request path without its query string. */
export function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}
