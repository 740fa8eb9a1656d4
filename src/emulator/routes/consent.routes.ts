import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import {
  authorizeProductCall,
  requireBasicCredentials,
  requireSubscriptionKey,
  requireTargetEnvironment,
} from '../auth';
import type { Consent } from '../consents';
import { badRequest, EmulatorHttpError, invalidToken, mtnError } from '../mtn-errors';
import { PRODUCTS } from '../products';
import type { EmulatorState } from '../state';
import { parseFormBody } from '../validation';
import { readCallbackUrl } from './transaction-routes';

const SCOPES = new Set([
  'openid',
  'profile',
  'email',
  'phone',
  'address',
  'all_info',
  'offline_access',
]);
const LOGIN_HINT = /^ID:([^/]+)\/(MSISDN|EMAIL)$/i;
const CIBA_GRANT = 'urn:openid:params:grant-type:ciba';
const AUTH_REQUEST_TTL_SECONDS = 3600;

/** MTN's consent test numbers that change the flow (the rest of that table is not emulated). */
const CONSENT_NUMBERS: ReadonlyMap<string, Consent['tokenError'] | 'not-found'> = new Map([
  ['46733123450', 'not-found'],
  ['46733123451', 'access_denied'],
  ['46733123452', 'authorization_pending'],
  ['46733123453', 'expired_token'],
] as const);

function cibaError(error: string): EmulatorHttpError {
  return new EmulatorHttpError(400, { error });
}

/**
 * The CIBA-style consent flow: bc-authorize starts a consent (the sandbox account holder grants
 * it at once), /oauth2/token/ exchanges it for an OAuth2 token, userinfo returns the KYC data.
 */
export function registerConsentRoutes(app: FastifyInstance, state: EmulatorState): void {
  for (const product of PRODUCTS) {
    app.post(`/${product}/v1_0/bc-authorize`, (req, reply) => {
      // MTN's SDKs send the ordinary access token here; the definitions say an OAuth2 one.
      const ctx = authorizeProductCall(state, req, product, ['access', 'oauth2']);
      const form = parseFormBody(req);
      const loginHint = form.get('login_hint') ?? '';
      const hint = LOGIN_HINT.exec(loginHint);
      if (!hint) throw badRequest('login_hint must be ID:{id}/MSISDN or ID:{id}/EMAIL.');
      const scope = form.get('scope') ?? '';
      const scopes = scope.split(' ').filter((s) => s !== '');
      if (scopes.length === 0) throw badRequest('scope is required.');
      if (scopes.some((s) => !SCOPES.has(s))) throw mtnError('UNSUPPORTED_SCOPE');
      const accessType = form.get('access_type');
      if (accessType !== 'online' && accessType !== 'offline') {
        throw badRequest('access_type must be online or offline.');
      }
      const validIn = form.get('consent_valid_in');
      if (validIn !== null && (accessType !== 'offline' || !/^\d+$/.test(validIn))) {
        throw badRequest('consent_valid_in is a number of seconds, for offline access only.');
      }
      readCallbackUrl(req, ctx.user);
      const msisdn = hint[2]?.toUpperCase() === 'MSISDN' ? hint[1] : undefined;
      const outcome = msisdn === undefined ? undefined : CONSENT_NUMBERS.get(msisdn);
      if (outcome === 'not-found') throw mtnError('NOT_FOUND');
      const consent: Consent = {
        id: randomUUID(),
        apiUser: ctx.user.id,
        product,
        loginHint,
        msisdn,
        scope: scopes.join(' '),
        accessType,
        consentValidIn: validIn === null ? undefined : Number(validIn),
        createdAt: Date.now(),
        tokenError: outcome,
      };
      state.consents.add(consent);
      return reply.send({
        auth_req_id: consent.id,
        interval: 5,
        expires_in: AUTH_REQUEST_TTL_SECONDS,
      });
    });

    app.post(`/${product}/oauth2/token/`, (req, reply) => {
      requireSubscriptionKey(state, req, product);
      const user = requireBasicCredentials(state, req);
      requireTargetEnvironment(req, user);
      const form = parseFormBody(req);
      const grantType = form.get('grant_type');
      let consent: Consent | undefined;
      if (grantType === CIBA_GRANT) {
        consent = state.consents.get(form.get('auth_req_id') ?? '');
      } else if (grantType === 'refresh_token') {
        consent = state.consents.byRefresh(form.get('refresh_token') ?? '');
      } else {
        throw cibaError('unsupported_grant_type');
      }
      if (consent?.apiUser !== user.id || consent.product !== product) {
        throw cibaError('invalid_grant');
      }
      if (consent.tokenError) throw cibaError(consent.tokenError);
      const expiresIn = state.settings.tokenExpiresInSeconds;
      const body: Record<string, unknown> = {
        access_token: state.tokens.issue(user.id, product, 'oauth2', expiresIn, consent.id),
        token_type: 'Bearer',
        expires_in: expiresIn,
        scope: consent.scope,
      };
      if (consent.accessType === 'offline') {
        const refreshToken = randomUUID();
        state.consents.setRefreshToken(consent, refreshToken);
        body.refresh_token = refreshToken;
        body.refresh_token_expired_in = consent.consentValidIn ?? AUTH_REQUEST_TTL_SECONDS;
      }
      return reply.send(body);
    });

    app.get(`/${product}/oauth2/v1_0/userinfo`, (req, reply) => {
      const ctx = authorizeProductCall(state, req, product, ['oauth2']);
      const consent = state.consents.get(ctx.claims.sessionId);
      if (!consent) throw invalidToken();
      return reply.send({
        sub: '0',
        name: 'Sand Box',
        given_name: 'Sand',
        family_name: 'Box',
        middle_name: 'Sandbox',
        email: 'sand.box@example.com',
        email_verified: true,
        gender: 'MALE',
        locale: 'sv_SE',
        phone_number: consent.msisdn ?? '',
        phone_number_verified: consent.msisdn !== undefined,
        address: 'Sandbox Street 1',
        updated_at: Math.floor(Date.now() / 1000),
        status: 'ACTIVE',
        birthdate: '1976-08-13',
        credit_score: '100',
        active: true,
        country_of_birth: 'SE',
        region_of_birth: 'Sandbox',
        city_of_birth: 'Sandbox',
        occupation: 'Tester',
        employer_name: 'MTN',
        identification_type: 'PASS',
        identification_value: 'SB0000001',
      });
    });
  }
}
