import type { ApiKeyScope } from './api-key.scopes';

/**
 * Who may call a route, set by `@Public()`, `@RequireScope()` or `@MetricsAccess()` on a
 * controller class or method (the method's wins). A route with none is refused to every key.
 */
export type RouteAccess =
  | { kind: 'public' }
  | { kind: 'scope'; scope: ApiKeyScope }
  /** Public when the named setting is on, else it needs `scope`. */
  | { kind: 'public-when'; setting: 'metricsPublic'; scope: ApiKeyScope };

export const ROUTE_ACCESS = 'momo-gateway:route-access';
