import type { Product } from '../common/product';

/**
 * What an API key may do: read and write per product (and reconciliation), plus `metrics:read`
 * for scraping `/metrics` when it is not public, and read and write of its own status
 * notifications (docs/notifications.md). A key holds an explicit list; no scope implies
 * another, so a key is never given more than its list says.
 */
export const API_KEY_SCOPES = [
  'collection:read',
  'collection:write',
  'disbursement:read',
  'disbursement:write',
  'remittance:read',
  'remittance:write',
  'reconciliation:read',
  'reconciliation:write',
  'metrics:read',
  'notifications:read',
  'notifications:write',
] as const;

export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export function isApiKeyScope(value: unknown): value is ApiKeyScope {
  return typeof value === 'string' && (API_KEY_SCOPES as readonly string[]).includes(value);
}

/** The scope a product route needs: `read` for GET, `write` for anything that moves money. */
export function productScope(product: Product, access: 'read' | 'write'): ApiKeyScope {
  return `${product}:${access}`;
}

/**
 * Parses the CLI's `--scopes` list (comma-separated; `all` means every scope). Throws with the
 * offending names, so an operator's typo never silently creates a key with fewer scopes.
 */
export function parseScopes(list: string): ApiKeyScope[] {
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (names.length === 0)
    throw new Error(`No scopes given; choose from: all, ${API_KEY_SCOPES.join(', ')}`);
  if (names.includes('all')) return [...API_KEY_SCOPES];
  const unknown = names.filter((n) => !isApiKeyScope(n));
  if (unknown.length > 0)
    throw new Error(
      `Unknown scope(s): ${unknown.join(', ')}; choose from: all, ${API_KEY_SCOPES.join(', ')}`,
    );
  // In the canonical order, without duplicates, so listings compare and read the same.
  return API_KEY_SCOPES.filter((s) => names.includes(s));
}
