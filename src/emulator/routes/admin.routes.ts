import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { newApiKey } from '../api-users';
import { magicNumberTables } from '../magic-numbers';
import type { EmulatorState } from '../state';
import { targetEnvironments } from '../target-environments';
import { isObject, isUuidV4, parseJsonBody } from '../validation';
import { adminError, asAdminInput } from './admin-input';
import { registerAdminTransactionRoutes } from './admin-transactions.routes';

function query(req: { query: unknown }): Record<string, string | undefined> {
  const q = req.query;
  return isObject(q) ? (q as Record<string, string | undefined>) : {};
}

function optionalInt(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw adminError(`${name} must be a whole number`);
  return Number(value);
}

/** The emulator's control API, outside MTN's paths. */
export function registerAdminRoutes(app: FastifyInstance, state: EmulatorState): void {
  app.get('/_emulator/health', (_req, reply) => reply.send({ status: 'ok' }));

  app.get('/_emulator/config', (_req, reply) =>
    reply.send({
      subscriptionKeys: state.subscriptionKeys,
      settings: state.settings,
      targetEnvironments: targetEnvironments(),
    }),
  );

  app.patch('/_emulator/config', (req, reply) => {
    const body = parseJsonBody(req);
    if (!isObject(body)) throw adminError('body must be a JSON object');
    const errors = state.patch(body);
    if (body.seed !== undefined) {
      if (!Number.isInteger(body.seed)) errors.push('seed: must be an integer');
      else state.reseed(body.seed as number);
    }
    if (errors.length > 0) throw adminError(errors.join('; '));
    return reply.send({ settings: state.settings });
  });

  app.post('/_emulator/reset', (_req, reply) => {
    state.reset();
    return reply.code(204).send();
  });

  app.get('/_emulator/magic-numbers', (_req, reply) => reply.send(magicNumberTables()));

  app.get('/_emulator/apiusers', (_req, reply) =>
    reply.send(
      state.users.list().map((u) => ({
        apiUser: u.id,
        providerCallbackHost: u.providerCallbackHost,
        targetEnvironment: u.targetEnvironment,
        apiKeys: [...u.apiKeys],
        createdAt: u.createdAt,
      })),
    ),
  );

  app.post('/_emulator/apiusers', (req, reply) => {
    const body = parseJsonBody(req) ?? {};
    if (!isObject(body)) throw adminError('body must be a JSON object');
    const apiUser = body.apiUser ?? randomUUID();
    const apiKey = body.apiKey ?? newApiKey();
    const providerCallbackHost = body.providerCallbackHost ?? 'localhost';
    const targetEnvironment = body.targetEnvironment ?? 'sandbox';
    if (typeof apiUser !== 'string' || !isUuidV4(apiUser))
      throw adminError('apiUser must be a UUID v4');
    if (typeof apiKey !== 'string' || apiKey === '') throw adminError('apiKey must be a string');
    if (typeof providerCallbackHost !== 'string' || providerCallbackHost === '') {
      throw adminError('providerCallbackHost must be a host name');
    }
    if (typeof targetEnvironment !== 'string')
      throw adminError('targetEnvironment must be a string');
    const user = asAdminInput(() =>
      state.createApiUser({ apiUser, apiKey, providerCallbackHost, targetEnvironment }),
    );
    if (!user) throw adminError(`API user ${apiUser} already exists`, 409);
    return reply.code(201).send({ apiUser, apiKey, providerCallbackHost, targetEnvironment });
  });

  app.post('/_emulator/tokens/expire', (_req, reply) => {
    state.tokens.rotate();
    return reply.code(204).send();
  });

  app.get('/_emulator/faults', (_req, reply) => reply.send(state.faults.list()));
  app.post('/_emulator/faults', (req, reply) => {
    const rule = asAdminInput(() => state.faults.add(parseJsonBody(req)));
    return reply.code(201).send(rule);
  });
  app.delete('/_emulator/faults', (_req, reply) => {
    state.faults.clear();
    return reply.code(204).send();
  });
  app.delete<{ Params: { id: string } }>('/_emulator/faults/:id', (req, reply) => {
    if (!state.faults.remove(req.params.id)) throw adminError('no such fault', 404);
    return reply.code(204).send();
  });

  app.get('/_emulator/outcomes', (_req, reply) => reply.send(state.outcomes.list()));
  app.post('/_emulator/outcomes', (req, reply) => {
    const rule = asAdminInput(() => state.outcomes.add(parseJsonBody(req)));
    return reply.code(201).send(rule);
  });
  app.delete('/_emulator/outcomes', (_req, reply) => {
    state.outcomes.clear();
    return reply.code(204).send();
  });

  app.get('/_emulator/requests', (req, reply) => {
    const q = query(req);
    return reply.send(
      state.requestLog.query({
        method: q.method,
        path: q.path,
        pathPrefix: q.pathPrefix,
        status: optionalInt(q.status, 'status'),
        sinceSeq: optionalInt(q.since, 'since'),
        limit: optionalInt(q.limit, 'limit'),
      }),
    );
  });
  app.delete('/_emulator/requests', (_req, reply) => {
    state.requestLog.clear();
    return reply.code(204).send();
  });

  app.get('/_emulator/callbacks', (req, reply) => {
    const referenceId = query(req).referenceId;
    const records = state.callbacks.records.toArray();
    return reply.send(
      referenceId === undefined ? records : records.filter((r) => r.referenceId === referenceId),
    );
  });
  app.delete('/_emulator/callbacks', (_req, reply) => {
    state.callbacks.records.clear();
    return reply.code(204).send();
  });

  registerAdminTransactionRoutes(app, state);
}
