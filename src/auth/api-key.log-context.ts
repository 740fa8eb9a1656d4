import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { AuthenticatedApiKey } from './authenticated-api-key';

interface BindableLogger {
  setBindings?(bindings: Record<string, unknown>): void;
}

/** pino-http's per-request loggers, kept on the raw request and response (last: the newest). */
interface WithLoggers {
  allLogs?: BindableLogger[];
}

/**
 * Names the caller on every later log line of the request, including the "request completed"
 * line: the key's name and prefix, never the key.
 *
 * Both loggers are pino-http's own children made for this one request, so their bindings are
 * set in place (`setBindings`) rather than a further child made per request (which is what
 * nestjs-pino's `PinoLogger.assign` does): the lines are the same, the child is not paid for.
 */
@Injectable()
export class ApiKeyLogContext {
  assign(reply: FastifyReply, key: AuthenticatedApiKey): void {
    const fields = { apiKeyName: key.name, apiKeyPrefix: key.prefix };
    // The request logger: what nestjs-pino's request scope holds (the last of the raw request's
    // `allLogs`), so lines logged through Nest's Logger during this request.
    const requestLogger = last((reply.request?.raw as WithLoggers | undefined)?.allLogs);
    // The response logger, which writes the "request completed" line: the last of `res.allLogs`
    // (under Fastify, middie points `res.log` at Fastify's own logger instead).
    const responseLogger = last((reply.raw as unknown as WithLoggers | undefined)?.allLogs);
    requestLogger?.setBindings?.(fields);
    // The same logger when pino-http's `quietReqLogger` is off: bound once.
    if (responseLogger !== requestLogger) responseLogger?.setBindings?.(fields);
  }
}

function last(loggers: BindableLogger[] | undefined): BindableLogger | undefined {
  return loggers?.[loggers.length - 1];
}
