import { Injectable, Optional } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import type { AuthenticatedApiKey } from './authenticated-api-key';

interface BindableLogger {
  setBindings?(bindings: Record<string, unknown>): void;
}

/**
 * Names the caller on every later log line of the request, including the "request completed"
 * line: the key's name and prefix, never the key.
 */
@Injectable()
export class ApiKeyLogContext {
  constructor(@Optional() private readonly pino?: PinoLogger) {}

  assign(reply: FastifyReply, key: AuthenticatedApiKey): void {
    const fields = { apiKeyName: key.name, apiKeyPrefix: key.prefix };
    try {
      // Lines logged through Nest's Logger during this request.
      this.pino?.assign(fields);
    } catch {
      // Outside a request's logging scope (LOG_LEVEL=silent tests, other adapters): nothing to name.
    }
    // pino-http's response logger, which writes the "request completed" line. It is the last of
    // `res.allLogs` (under Fastify, middie points `res.log` at Fastify's own logger instead).
    const loggers = (reply.raw as unknown as { allLogs?: BindableLogger[] }).allLogs;
    loggers?.[loggers.length - 1]?.setBindings?.(fields);
  }
}
