import type { IncomingMessage } from 'node:http';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import type { FaultAction } from './faults';
import {
  APIM_NOT_FOUND,
  EmulatorHttpError,
  errorReasonBody,
  LENGTH_REQUIRED_HTML,
} from './mtn-errors';
import { pathOf } from './products';
import type { RequestLogEntry } from './request-log';
import { registerAccountRoutes } from './routes/account.routes';
import { registerAdminRoutes } from './routes/admin.routes';
import { registerCollectionRoutes } from './routes/collection.routes';
import { registerConsentRoutes } from './routes/consent.routes';
import { registerDisbursementRoutes } from './routes/disbursement.routes';
import { registerProvisioningRoutes } from './routes/provisioning.routes';
import { registerRemittanceRoutes } from './routes/remittance.routes';
import { registerTokenRoutes } from './routes/token.routes';
import type { EmulatorState } from './state';

export function sendHttpError(reply: FastifyReply, error: EmulatorHttpError): FastifyReply {
  reply.code(error.statusCode);
  if (error.headers) reply.headers(error.headers);
  if (error.body === undefined) return reply.send();
  if (typeof error.body === 'string') {
    return reply.type(error.contentType ?? 'text/plain; charset=utf-8').send(error.body);
  }
  return reply.send(error.body);
}

/**
 * The HTTP front: a catch-all body parser (routes parse JSON and forms themselves, so malformed
 * bodies get MTN's answers rather than the framework's), the request log, the 411 rule, fault
 * injection, and one error handler for everything thrown by the routes.
 */
export function buildServer(state: EmulatorState): FastifyInstance {
  const app = Fastify({ logger: false, forceCloseConnections: true, bodyLimit: 1_048_576 });
  const logEntries = new WeakMap<IncomingMessage, RequestLogEntry>();

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  app.addHook('onRequest', (req, reply, done) => {
    const path = pathOf(req.url);
    if (path.startsWith('/_emulator')) {
      done();
      return;
    }
    const entry = state.requestLog.start(req.method, req.url, path, req.headers);
    logEntries.set(req.raw, entry);
    // Checked on the raw headers: MTN's front end refuses body-less POSTs sent without a length,
    // chunked ones included.
    if (req.method === 'POST' && req.headers['content-length'] === undefined) {
      void reply.code(411).type('text/html').send(LENGTH_REQUIRED_HTML);
      return;
    }
    const decision = state.faults.evaluate(req.method, path);
    if (!decision) {
      done();
      return;
    }
    const act = (action: FaultAction | undefined): void => {
      if (!action) {
        done();
        return;
      }
      switch (action.type) {
        case 'answer':
          void sendHttpError(reply, action.error);
          return;
        case 'timeout': {
          entry.fault = 'timeout';
          reply.hijack();
          const socket = req.raw.socket;
          state.heldSockets.add(socket);
          socket.once('close', () => state.heldSockets.delete(socket));
          return;
        }
        case 'reset':
          entry.fault = 'reset';
          reply.hijack();
          req.raw.socket.destroy();
          return;
        case 'lost-answer':
          // Processed as usual; onSend then drops the connection instead of the answer.
          entry.fault = 'lost-answer';
          done();
          return;
      }
    };
    if (decision.latencyMs > 0) setTimeout(() => act(decision.action), decision.latencyMs);
    else act(decision.action);
  });

  app.addHook('onSend', (req, reply, payload, done) => {
    const entry = logEntries.get(req.raw);
    if (entry) {
      entry.status = reply.statusCode;
      if (typeof req.body === 'string' && req.body.length > 0) entry.body = req.body;
      if (typeof payload === 'string') entry.response = payload;
      if (entry.fault === 'lost-answer') {
        // The work is done and logged; the client sees its connection reset, not the answer.
        req.raw.socket.destroy();
      }
    }
    done(null, payload);
  });

  app.setErrorHandler((error, _req, reply) => {
    if (error instanceof EmulatorHttpError) return sendHttpError(reply, error);
    const status = (error as { statusCode?: number }).statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      return reply
        .code(status)
        .send({ message: error instanceof Error ? error.message : 'Bad request' });
    }
    state.log(
      `emulator internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return reply.code(500).send(errorReasonBody('INTERNAL_PROCESSING_ERROR'));
  });

  app.setNotFoundHandler((req, reply) => {
    if (pathOf(req.url).startsWith('/_emulator')) {
      return reply.code(404).send({ error: `no admin endpoint ${req.method} ${pathOf(req.url)}` });
    }
    return reply.code(404).send(APIM_NOT_FOUND);
  });

  registerProvisioningRoutes(app, state);
  registerTokenRoutes(app, state);
  registerConsentRoutes(app, state);
  registerAccountRoutes(app, state);
  registerCollectionRoutes(app, state);
  registerDisbursementRoutes(app, state);
  registerRemittanceRoutes(app, state);
  registerAdminRoutes(app, state);
  return app;
}
