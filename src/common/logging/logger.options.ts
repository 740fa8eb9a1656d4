import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import pino from 'pino';
import type { AppConfig } from '../../config/app-config';
import { REDACTED_PATHS } from './redaction';
import { requestIdOf } from '../http/request-id';
import { traceLogFields } from '../../observability/trace-log-fields';

/**
 * nestjs-pino options. JSON lines by default; pretty output only when LOG_PRETTY=true. Lines go
 * through an asynchronous destination, because synchronous writes per request cost about a fifth
 * of the throughput on a small machine; the buffer is flushed on shutdown.
 */
export function loggerOptions(config: AppConfig): Params {
  const stream = config.log.pretty ? prettyStream() : pino.destination({ sync: false, minLength: 4096 });
  return {
    pinoHttp: [
      {
        level: config.log.level,
        redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
        autoLogging: config.log.requests
          ? { ignore: (req: IncomingMessage) => isProbe(req) }
          : false,
        genReqId: (req: IncomingMessage) => requestIdOf(req),
        // No `customProps`: with it pino-http makes one more child logger per request. The key's
        // name and prefix are bound later, by `ApiKeyLogContext`, on the request's own loggers.
        // The active trace's traceId and spanId on every line written inside a trace.
        mixin: traceLogFields,
        quietReqLogger: true,
        serializers: {
          req: (req: { id: string; method: string; url: string; originalUrl?: string }) => ({
            id: req.id,
            method: req.method,
            url: safeUrl(req.originalUrl ?? req.url),
          }),
          res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
        },
        customSuccessMessage: (req: IncomingMessage, res: ServerResponse) => `${req.method} ${safeUrl(urlOf(req))} ${res.statusCode}`,
        customErrorMessage: (req: IncomingMessage, res: ServerResponse) => `${req.method} ${safeUrl(urlOf(req))} ${res.statusCode}`,
        // pino-http invents an Error per 5xx answer ("failed with status code 503") and would log
        // its stack, which only points into pino-http; formatting it is most of the cost of a
        // breaker-open refusal's log line. An unexpected error is logged with its own stack by the
        // error filter (errorId); a 503 refusal is an answer, and its line has the status.
        customErrorObject: (_req: IncomingMessage, _res: ServerResponse, _error: Error, val: Record<string, unknown>) => {
          const { err: _synthetic, ...line } = val;
          return line;
        },
      },
      stream,
    ],
  };
}

/**
 * Health probes and metric scrapes, which would otherwise log a line every few seconds. Read from
 * `originalUrl`: Fastify's middleware layer (middie) hands middleware a `url` stripped to `/`.
 */
function isProbe(req: IncomingMessage): boolean {
  const url = urlOf(req);
  return url.startsWith('/health') || url === '/metrics' || url.startsWith('/metrics?');
}

function prettyStream(): pino.DestinationStream {
  const transport: unknown = pino.transport({ target: 'pino-pretty', options: { singleLine: true, colorize: false } });
  return transport as pino.DestinationStream;
}

function urlOf(req: IncomingMessage): string {
  return (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '';
}

/** MTN callback URLs end in a per-transaction secret; it never reaches a log line. */
export function safeUrl(url: string): string {
  return url.replace(/^(\/v1\/webhooks\/mtn\/[^/?]+\/[^/?]+\/)[^/?]+/, '$1[redacted]');
}
