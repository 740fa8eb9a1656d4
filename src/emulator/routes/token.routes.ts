import type { FastifyInstance } from 'fastify';
import { requireBasicCredentials, requireSubscriptionKey } from '../auth';
import { PRODUCTS } from '../products';
import type { EmulatorState } from '../state';

/**
 * `POST /{product}/token/`: Basic credentials in, MTN-shaped access token out. A body is
 * ignored: several clients send `{"grant_type":"client_credentials"}` and MTN serves them.
 */
export function registerTokenRoutes(app: FastifyInstance, state: EmulatorState): void {
  for (const product of PRODUCTS) {
    app.post(`/${product}/token/`, (req, reply) => {
      requireSubscriptionKey(state, req, product);
      const user = requireBasicCredentials(state, req);
      const expiresIn = state.settings.tokenExpiresInSeconds;
      return reply.send({
        access_token: state.tokens.issue(user.id, product, 'access', expiresIn),
        token_type: 'access_token',
        expires_in: expiresIn,
      });
    });
  }
}
