import {
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { requestTags } from './request-tags';

/**
 * Names the operation of a REST request after the Nest handler that serves it (`requestToPay`,
 * `refund`, `get` …), for the `operation` label of the request metrics. A handler name is bounded
 * and stays right when routes change, which a table kept here would not.
 */
@Injectable()
export class OperationTagInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const request = context.switchToHttp().getRequest<FastifyRequest | undefined>();
      if (request?.raw) requestTags(request.raw).handler = context.getHandler().name;
    }
    return next.handle();
  }
}
