import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import pino from 'pino';
import type { AppConfig } from '../../config/app-config';
import { REDACTED_PATHS } from './redaction';
import { requestIdOf } from '../http/request-id';

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
          ? { ignore: (req: IncomingMessage) => (req.url ?? '').startsWith('/health') || req.url === '/metrics' }
          : false,
        genReqId: (req: IncomingMessage) => requestIdOf(req),
        customProps: () => ({}),
        quietReqLogger: true,
        serializers: {
          req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
          res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
        },
        customSuccessMessage: (req: IncomingMessage, res: ServerResponse) => `${req.method} ${req.url} ${res.statusCode}`,
        customErrorMessage: (req: IncomingMessage, res: ServerResponse) => `${req.method} ${req.url} ${res.statusCode}`,
      },
      stream,
    ],
  };
}

function prettyStream(): pino.DestinationStream {
  const transport: unknown = pino.transport({ target: 'pino-pretty', options: { singleLine: true, colorize: false } });
  return transport as pino.DestinationStream;
}
