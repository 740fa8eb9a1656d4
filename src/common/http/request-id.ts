import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const ID_KEY = Symbol.for('momo-gateway.request-id');

/**
 * The request id: the caller's `X-Request-Id` when it is a safe token, else a new UUID. Computed
 * once per request and remembered on the raw request, so Fastify, the logger and the error filter
 * all agree on it.
 */
export function requestIdOf(req: IncomingMessage): string {
  const holder = req as IncomingMessage & { [ID_KEY]?: string };
  const known = holder[ID_KEY];
  if (known) return known;
  const header = req.headers['x-request-id'];
  const given = Array.isArray(header) ? header[0] : header;
  const id = given && SAFE_ID.test(given) ? given : randomUUID();
  holder[ID_KEY] = id;
  return id;
}
