/** MTN's three products; also the path prefix MTN uses for each (`/collection/...`). */
export const PRODUCTS = ['collection', 'disbursement', 'remittance'] as const;
export type Product = (typeof PRODUCTS)[number];

export function isProduct(value: unknown): value is Product {
  return typeof value === 'string' && (PRODUCTS as readonly string[]).includes(value);
}
