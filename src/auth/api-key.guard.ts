import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../common/errors/domain-error';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { requestTags } from '../observability/request-tags';
import { ApiKeyAuthenticator } from './api-key.authenticator';
import { ApiKeyLogContext } from './api-key.log-context';
import { ApiKeyRateLimiter } from './api-key.rate-limiter';
import { attachApiKey } from './authenticated-api-key';
import { ROUTE_ACCESS, type RouteAccess } from './route-access';

const REALM = 'Bearer realm="momo-gateway"';
const HOW = 'send it as "Authorization: Bearer <key>" or "X-API-Key: <key>"';

type Presented = { key: string } | { problem: string };

/** The key from `Authorization: Bearer <key>` or `X-API-Key: <key>` (both: they must agree). */
export function presentedKey(headers: FastifyRequest['headers']): Presented | undefined {
  const authorization = headers.authorization;
  const xApiKey = headers['x-api-key'];
  let bearer: string | undefined;
  if (authorization !== undefined) {
    const match = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization);
    if (!match?.[1]) return { problem: `The Authorization header is not a bearer API key; ${HOW}` };
    bearer = match[1];
  }
  const header = Array.isArray(xApiKey) ? xApiKey[0] : xApiKey?.trim();
  if (bearer !== undefined && header !== undefined && bearer !== header) {
    return { problem: 'Authorization and X-API-Key carry different keys; send one' };
  }
  const key = bearer ?? header;
  return key ? { key } : undefined;
}

/**
 * The global guard: every route needs an API key holding the scope its controller declares, except
 * routes marked public. A route that declares nothing is refused (deny by default), so a new
 * controller cannot go out open by mistake. Order: 401 (no, unknown or revoked key), 403 (scope),
 * 429 (the key's per-minute budget).
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: ApiKeyAuthenticator,
    private readonly limiter: ApiKeyRateLimiter,
    private readonly logContext: ApiKeyLogContext,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const handler = context.getHandler();
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const access = this.reflector.getAllAndOverride<RouteAccess | undefined>(ROUTE_ACCESS, [
      handler,
      context.getClass(),
    ]);
    if (access?.kind === 'public') return this.allow(request, handler.name);
    if (access?.kind === 'public-when' && this.config.auth[access.setting])
      return this.allow(request, handler.name);

    const reply = http.getResponse<FastifyReply>();

    const presented = presentedKey(request.headers);
    if (!presented) throw this.unauthorized(reply, `An API key is required; ${HOW}`, false);
    if ('problem' in presented) throw this.unauthorized(reply, presented.problem, true);
    const outcome = await this.authenticator.authenticate(presented.key);
    if (!outcome.ok) {
      throw this.unauthorized(
        reply,
        outcome.reason === 'revoked' ? 'This API key has been revoked' : 'Unknown API key',
        true,
      );
    }
    const key = outcome.key;
    attachApiKey(request, key);
    this.logContext.assign(reply, key);

    if (!access) {
      throw new DomainError(
        'FORBIDDEN',
        'This route declares no scope, so no API key may call it',
        {
          details: [
            { message: 'the route has no @RequireScope() or @Public(): refused by default' },
          ],
        },
      );
    }
    if (!key.scopes.includes(access.scope)) {
      throw new DomainError('FORBIDDEN', `This API key lacks the scope ${access.scope}`, {
        details: [{ message: `requires scope ${access.scope}`, scope: access.scope }],
      });
    }

    const budget = await this.limiter.consume(key);
    void reply.header('X-RateLimit-Limit', String(budget.limit));
    void reply.header('X-RateLimit-Remaining', String(budget.remaining));
    void reply.header('X-RateLimit-Reset', String(budget.resetSeconds));
    return this.allow(request, handler.name);
  }

  /**
   * Lets the request through, naming its operation after the handler that will serve it (the
   * `operation` label of the request metrics; the global guard sees every route, so no
   * interceptor is needed for it). A refused request is served by no handler and keeps `none`.
   */
  private allow(request: FastifyRequest, handlerName: string): true {
    if (request.raw) requestTags(request.raw).handler = handlerName;
    return true;
  }

  private unauthorized(reply: FastifyReply, message: string, invalidToken: boolean): DomainError {
    void reply.header('WWW-Authenticate', invalidToken ? `${REALM}, error="invalid_token"` : REALM);
    return new DomainError('UNAUTHORIZED', message);
  }
}
