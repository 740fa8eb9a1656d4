import type { IncomingMessage } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { AppModule } from '../app.module';
import type { AppConfig } from '../config/app-config';
import { requestIdOf } from '../common/http/request-id';
import { HttpMetricsHook } from '../observability/http-metrics.hook';
import { setupOpenApi } from './openapi';

/**
 * Builds the Nest application on Fastify (chosen by measurement: see README, "Why Fastify").
 * Shared by `main.ts` and the tests, so the tests run the same wiring as production.
 */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: 64 * 1024,
    trustProxy: true,
    genReqId: (req: IncomingMessage) => requestIdOf(req),
    // Kubernetes sends SIGTERM and then stops routing; give in-flight requests time to finish.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(PinoNestLogger));
  app.flushLogs();

  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onSend', (request, reply, payload, done) => {
    void reply.header('X-Request-Id', requestIdOf(request.raw));
    done(null, payload);
  });
  // Request metrics by route pattern, and the tracing server span named after it (docs/observability.md).
  app.get(HttpMetricsHook).attach(fastify);
  // Errors Fastify raises before a route runs (malformed JSON, wrong content type, body too large)
  // reach Nest's own Fastify error handler, which routes them through the global DomainErrorFilter.

  setupOpenApi(app);
  return app;
}
