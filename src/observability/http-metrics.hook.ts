import { Injectable } from '@nestjs/common';
import { trace } from '@opentelemetry/api';
import { ATTR_HTTP_ROUTE } from '@opentelemetry/semantic-conventions';
import type { FastifyInstance } from 'fastify';
import { errorCodeOf, requestLabels } from './http-labels';
import { MetricsService } from './metrics.service';
import { requestTags } from './request-tags';

/**
 * Fastify hooks (added once by `createApp`): every answered request is counted and timed under its
 * route pattern, and the tracing server span, when there is one, is named after that pattern
 * (`POST /v1/collections`) instead of the bare method the http instrumentation gives it.
 */
@Injectable()
export class HttpMetricsHook {
  constructor(private readonly metrics: MetricsService) {}

  attach(fastify: FastifyInstance): void {
    fastify.addHook('onRequest', (request, _reply, done) => {
      const route = request.routeOptions.url;
      const span = route !== undefined ? trace.getActiveSpan() : undefined;
      if (span?.isRecording()) {
        span.updateName(`${request.method} ${route}`);
        span.setAttribute(ATTR_HTTP_ROUTE, route!);
      }
      done();
    });
    fastify.addHook('onSend', (request, reply, payload, done) => {
      if (reply.statusCode >= 400) requestTags(request.raw).errorCode = errorCodeOf(payload);
      done(null, payload);
    });
    fastify.addHook('onResponse', (request, reply, done) => {
      const tags = requestTags(request.raw);
      const labels = requestLabels({
        method: request.method,
        route: request.routeOptions.url,
        params: request.params,
        statusCode: reply.statusCode,
        handler: tags.handler,
        errorCode: tags.errorCode,
      });
      this.metrics.httpRequest(labels, reply.elapsedTime / 1000);
      done();
    });
  }
}
