import type { FastifyInstance } from 'fastify';
import { newApiKey } from '../api-users';
import { requireSubscriptionKey } from '../auth';
import { badRequest, mtnError } from '../mtn-errors';
import type { EmulatorState } from '../state';
import { currencyOf } from '../target-environments';
import {
  isObject,
  parseJsonBody,
  requireReferenceIdHeader,
  requireReferenceIdParam,
} from '../validation';

interface UserParams {
  Params: { id: string };
}

/**
 * MTN's sandbox provisioning API. One extension: the create body may carry
 * `targetEnvironment` (default `sandbox`) so that country environments can be emulated.
 */
export function registerProvisioningRoutes(app: FastifyInstance, state: EmulatorState): void {
  app.post('/v1_0/apiuser', (req, reply) => {
    requireSubscriptionKey(state, req, 'provisioning');
    const id = requireReferenceIdHeader(req);
    const body = parseJsonBody(req);
    if (!isObject(body)) throw badRequest('The request body must be a JSON object.');
    const host = body.providerCallbackHost;
    if (typeof host !== 'string' || host.trim() === '') {
      throw badRequest('providerCallbackHost is required.');
    }
    const environment = body.targetEnvironment ?? 'sandbox';
    if (typeof environment !== 'string' || currencyOf(environment) === undefined) {
      throw badRequest('targetEnvironment is not a known target environment.');
    }
    if (!state.users.create(id, host, environment)) throw mtnError('RESOURCE_ALREADY_EXIST');
    return reply.code(201).send();
  });

  app.post<UserParams>('/v1_0/apiuser/:id/apikey', (req, reply) => {
    requireSubscriptionKey(state, req, 'provisioning');
    const user = state.users.get(requireReferenceIdParam(req.params.id));
    if (!user) throw mtnError('RESOURCE_NOT_FOUND');
    const apiKey = newApiKey();
    user.apiKeys.add(apiKey);
    return reply.code(201).send({ apiKey });
  });

  app.get<UserParams>('/v1_0/apiuser/:id', (req, reply) => {
    requireSubscriptionKey(state, req, 'provisioning');
    const user = state.users.get(requireReferenceIdParam(req.params.id));
    if (!user) throw mtnError('RESOURCE_NOT_FOUND');
    return reply.send({
      providerCallbackHost: user.providerCallbackHost,
      targetEnvironment: user.targetEnvironment,
    });
  });
}
