import {
  applyDecorators,
  createParamDecorator,
  SetMetadata,
  type ExecutionContext,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiSecurity,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { ApiKeyScope } from './api-key.scopes';
import { apiKeyOfRequest, type AuthenticatedApiKey } from './authenticated-api-key';
import { ROUTE_ACCESS, type RouteAccess } from './route-access';

const example = (code: string, message: string) => ({
  schema: {
    example: { code, message, retryable: false, requestId: '6f1c0e8e-4c1b-4f7a-9a57-2f7f1d3f9b10' },
  },
});

/** The OpenAPI side of a protected route: either header works, and what 401 and 403 mean. */
function ApiKeyDocs(scope: ApiKeyScope) {
  return applyDecorators(
    ApiBearerAuth('api-key'),
    ApiSecurity('x-api-key'),
    ApiUnauthorizedResponse({
      description: 'UNAUTHORIZED: no API key, or an unknown or revoked one',
      ...example('UNAUTHORIZED', 'Unknown API key'),
    }),
    ApiForbiddenResponse({
      description: `FORBIDDEN: the API key lacks the scope \`${scope}\``,
      ...example('FORBIDDEN', `This API key lacks the scope ${scope}`),
    }),
  );
}

/** Open to anyone, without a key (health, MTN's callbacks). */
export function Public(): ClassDecorator & MethodDecorator {
  return SetMetadata<string, RouteAccess>(ROUTE_ACCESS, { kind: 'public' });
}

/** Needs an API key holding `scope`. */
export function RequireScope(scope: ApiKeyScope): ClassDecorator & MethodDecorator {
  return applyDecorators(
    SetMetadata<string, RouteAccess>(ROUTE_ACCESS, { kind: 'scope', scope }),
    ApiKeyDocs(scope),
  );
}

/** For `/metrics`: public unless METRICS_PUBLIC=false, then it needs `metrics:read`. */
export function MetricsAccess(): ClassDecorator & MethodDecorator {
  return applyDecorators(
    SetMetadata<string, RouteAccess>(ROUTE_ACCESS, {
      kind: 'public-when',
      setting: 'metricsPublic',
      scope: 'metrics:read',
    }),
    ApiKeyDocs('metrics:read'),
  );
}

/**
 * The API key the request was authenticated with. Only on routes that need a key: on a public
 * route there is none, and asking for it is a programming error.
 */
export const CurrentApiKey = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthenticatedApiKey => {
    const key = apiKeyOfRequest(context.switchToHttp().getRequest<object>());
    if (!key)
      throw new Error('@CurrentApiKey() used on a route that is not authenticated by API key');
    return key;
  },
);
