import { Writable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import pino from 'pino';
import { ApiKeyLogContext } from './api-key.log-context';
import type { AuthenticatedApiKey } from './authenticated-api-key';

const key: AuthenticatedApiKey = {
  id: 'id-1',
  name: 'billing',
  prefix: 'mgw_abcd1234',
  scopes: ['collection:write'],
  rateLimitPerMinute: 100,
};

/** A root logger and the two children pino-http makes per request (quietReqLogger). */
function setup() {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  const root = pino({ base: undefined, timestamp: false }, sink);
  const requestLogger = root.child({ reqId: 'r-1' });
  const responseLogger = requestLogger.child({ req: { id: 'r-1' } });
  const reply = {
    request: { raw: { allLogs: [requestLogger] } },
    raw: { allLogs: [responseLogger] },
  } as unknown as FastifyReply;
  return { lines, root, requestLogger, responseLogger, reply };
}

describe('ApiKeyLogContext', () => {
  it("binds the key's name and prefix on the request's loggers, once each, after their own fields", () => {
    const { lines, requestLogger, responseLogger, reply } = setup();
    new ApiKeyLogContext().assign(reply, key);
    requestLogger.info('during');
    responseLogger.info('completed');
    expect(lines).toEqual([
      {
        level: 30,
        reqId: 'r-1',
        apiKeyName: 'billing',
        apiKeyPrefix: 'mgw_abcd1234',
        msg: 'during',
      },
      {
        level: 30,
        reqId: 'r-1',
        req: { id: 'r-1' },
        apiKeyName: 'billing',
        apiKeyPrefix: 'mgw_abcd1234',
        msg: 'completed',
      },
    ]);
  });

  it('leaves the root logger, and so every other request, alone', () => {
    const { lines, root, reply } = setup();
    new ApiKeyLogContext().assign(reply, key);
    root.info('elsewhere');
    root.child({ reqId: 'r-2' }).info('another request');
    expect(lines).toEqual([
      { level: 30, msg: 'elsewhere' },
      { level: 30, reqId: 'r-2', msg: 'another request' },
    ]);
  });

  it('binds once when the request and response loggers are the same one', () => {
    const { lines, responseLogger } = setup();
    const reply = {
      request: { raw: { allLogs: [responseLogger] } },
      raw: { allLogs: [responseLogger] },
    } as unknown as FastifyReply;
    new ApiKeyLogContext().assign(reply, key);
    responseLogger.info('completed');
    expect(Object.keys(lines[0]!)).toEqual([
      'level',
      'reqId',
      'req',
      'apiKeyName',
      'apiKeyPrefix',
      'msg',
    ]);
  });

  it('does nothing without pino-http loggers on the request', () => {
    expect(() =>
      new ApiKeyLogContext().assign({ raw: {} } as unknown as FastifyReply, key),
    ).not.toThrow();
  });
});
