import type { ErrorCode } from '../../common/errors/error-code';
import { MomoCallError, isMtnTrouble } from './momo-call.error';
import {
  errorCodeForReason,
  mapMtnAnswer,
  mapTransportFailure,
  parseBody,
  reasonCodeOf,
  unexpectedAnswer,
} from './mtn-error.mapper';

const apim401 = {
  statusCode: 401,
  message:
    'Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.',
};

describe('MTN error mapping', () => {
  describe('MoMo {code, message} bodies', () => {
    const reasons: Array<[string, ErrorCode]> = [
      ['PAYER_NOT_FOUND', 'PAYER_NOT_FOUND'],
      ['PAYEE_NOT_FOUND', 'PAYEE_NOT_FOUND'],
      ['NOT_ALLOWED', 'NOT_ALLOWED'],
      ['NOT_ENOUGH_FUNDS', 'NOT_ENOUGH_FUNDS'],
      ['PAYER_LIMIT_REACHED', 'PAYER_LIMIT_REACHED'],
      ['PAYMENT_NOT_APPROVED', 'PAYMENT_NOT_APPROVED'],
      ['APPROVAL_REJECTED', 'APPROVAL_REJECTED'],
      ['PAYEE_NOT_ALLOWED_TO_RECEIVE', 'PAYEE_NOT_ALLOWED_TO_RECEIVE'],
      ['RESOURCE_ALREADY_EXIST', 'RESOURCE_ALREADY_EXIST'],
      ['EXPIRED', 'EXPIRED'],
      ['TRANSACTION_CANCELED', 'TRANSACTION_CANCELED'],
      ['COULD_NOT_PERFORM_TRANSACTION', 'COULD_NOT_PERFORM_TRANSACTION'],
      ['INVALID_CURRENCY', 'INVALID_CURRENCY'],
      ['NOT_ALLOWED_TARGET_ENVIRONMENT', 'NOT_ALLOWED_TARGET_ENVIRONMENT'],
      ['INVALID_CALLBACK_URL_HOST', 'INVALID_CALLBACK_URL_HOST'],
      ['INTERNAL_PROCESSING_ERROR', 'INTERNAL_PROCESSING_ERROR'],
      ['SERVICE_UNAVAILABLE', 'SERVICE_UNAVAILABLE'],
      ['RESOURCE_NOT_FOUND', 'MTN_RESOURCE_NOT_FOUND'],
      ['TRANSACTION_NOT_FOUND', 'MTN_RESOURCE_NOT_FOUND'],
    ];

    it.each(reasons)("maps a 500 carrying %s to %s, keeping MTN's code", (mtnCode, code) => {
      const error = mapMtnAnswer(
        { status: 500, body: { message: 'whatever MTN says', code: mtnCode } },
        'product',
      );
      expect(error).toBeInstanceOf(MomoCallError);
      expect(error.code).toBe(code);
      expect(error.mtnCode).toBe(mtnCode);
      expect(error.httpStatus).toBe(500);
    });

    it.each(reasons)("never puts MTN's message in ours (%s)", (mtnCode) => {
      const error = mapMtnAnswer(
        { status: 500, body: { message: 'SECRET-UPSTREAM-TEXT', code: mtnCode } },
        'product',
      );
      expect(JSON.stringify({ message: error.message, details: error.details })).not.toContain(
        'SECRET-UPSTREAM-TEXT',
      );
    });

    it.each([
      'PAYER_NOT_FOUND',
      'NOT_ENOUGH_FUNDS',
      'INVALID_CURRENCY',
      'INVALID_CALLBACK_URL_HOST',
      'NOT_ALLOWED',
    ])('treats a 500 with the business reason %s as an answer, not MTN trouble', (mtnCode) => {
      expect(
        mapMtnAnswer({ status: 500, body: { code: mtnCode, message: '' } }, 'product').transient,
      ).toBe(false);
    });

    it('treats 500 INTERNAL_PROCESSING_ERROR as MTN trouble', () => {
      const error = mapMtnAnswer(
        { status: 500, body: { code: 'INTERNAL_PROCESSING_ERROR', message: '' } },
        'product',
      );
      expect(error.transient).toBe(true);
    });

    it('treats 503 SERVICE_UNAVAILABLE as MTN trouble', () => {
      const error = mapMtnAnswer(
        { status: 503, body: { code: 'SERVICE_UNAVAILABLE', message: '' } },
        'product',
      );
      expect(error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', transient: true });
    });

    it('maps 404 RESOURCE_NOT_FOUND to MTN_RESOURCE_NOT_FOUND, not trouble', () => {
      const error = mapMtnAnswer(
        {
          status: 404,
          body: { message: 'Requested resource was not found.', code: 'RESOURCE_NOT_FOUND' },
        },
        'product',
      );
      expect(error).toMatchObject({ code: 'MTN_RESOURCE_NOT_FOUND', transient: false });
    });

    it('maps 409 RESOURCE_ALREADY_EXIST to RESOURCE_ALREADY_EXIST', () => {
      const error = mapMtnAnswer(
        {
          status: 409,
          body: { message: 'Duplicated reference id.', code: 'RESOURCE_ALREADY_EXIST' },
        },
        'product',
      );
      expect(error).toMatchObject({ code: 'RESOURCE_ALREADY_EXIST', transient: false });
    });

    it('accepts the remittance spelling with a stray dot', () => {
      const error = mapMtnAnswer(
        { status: 500, body: { code: 'TRANSACTION_CANCELED.', message: '' } },
        'product',
      );
      expect(error).toMatchObject({
        code: 'TRANSACTION_CANCELED',
        mtnCode: 'TRANSACTION_CANCELED',
      });
    });

    it('maps an unknown business code to MTN_UNEXPECTED_RESPONSE, keeping the code, not trouble', () => {
      const error = mapMtnAnswer(
        { status: 500, body: { code: 'SENDER_ACCOUNT_NOT_ACTIVE', message: '' } },
        'product',
      );
      expect(error).toMatchObject({
        code: 'MTN_UNEXPECTED_RESPONSE',
        mtnCode: 'SENDER_ACCOUNT_NOT_ACTIVE',
        transient: false,
      });
    });

    it("puts MTN's code and HTTP status in the details", () => {
      const error = mapMtnAnswer(
        { status: 500, body: { code: 'PAYER_NOT_FOUND', message: 'x' } },
        'product',
      );
      expect(error.details).toEqual([
        { message: 'MTN answer', mtnHttpStatus: 500, mtnCode: 'PAYER_NOT_FOUND' },
      ]);
    });
  });

  describe("the token endpoint's {error} bodies", () => {
    it('maps 401 {error} to MTN_AUTHENTICATION_FAILED without asking for a token refresh', () => {
      const error = mapMtnAnswer({ status: 401, body: { error: 'invalid_client' } }, 'token');
      expect(error).toMatchObject({
        code: 'MTN_AUTHENTICATION_FAILED',
        mtnCode: 'invalid_client',
        tokenRejected: false,
        transient: false,
      });
    });

    it('maps 500 {"error":"login_failed"} to MTN_AUTHENTICATION_FAILED, not trouble', () => {
      const error = mapMtnAnswer({ status: 500, body: { error: 'login_failed' } }, 'token');
      expect(error).toMatchObject({
        code: 'MTN_AUTHENTICATION_FAILED',
        mtnCode: 'login_failed',
        transient: false,
      });
    });

    it('maps any other 5xx {error} to MTN_UNAVAILABLE, trouble', () => {
      const error = mapMtnAnswer({ status: 502, body: { error: 'upstream' } }, 'token');
      expect(error).toMatchObject({ code: 'MTN_UNAVAILABLE', transient: true });
    });
  });

  describe('APIM {statusCode, message} bodies', () => {
    it('maps a 401 to MTN_AUTHENTICATION_FAILED and never asks for a token refresh', () => {
      const error = mapMtnAnswer({ status: 401, body: apim401 }, 'product');
      expect(error).toMatchObject({
        code: 'MTN_AUTHENTICATION_FAILED',
        tokenRejected: false,
        transient: false,
      });
      expect(error.message).not.toContain('subscription key');
    });

    it('maps a 429 to RATE_LIMITED, trouble, with the wait from its message', () => {
      const error = mapMtnAnswer(
        {
          status: 429,
          body: { statusCode: 429, message: 'Rate limit is exceeded. Try again in 5 seconds.' },
        },
        'product',
      );
      expect(error).toMatchObject({
        code: 'RATE_LIMITED',
        transient: true,
        retryAfterMs: 5000,
        retryAfterSeconds: 5,
      });
    });

    it('maps a 403 (quota, IP) to MTN_AUTHENTICATION_FAILED', () => {
      const error = mapMtnAnswer(
        { status: 403, body: { statusCode: 403, message: 'Out of call volume quota.' } },
        'product',
      );
      expect(error).toMatchObject({ code: 'MTN_AUTHENTICATION_FAILED', transient: false });
    });
  });

  describe('other answers', () => {
    it('asks for a token refresh on a product 401 without statusCode', () => {
      const error = mapMtnAnswer({ status: 401, body: undefined }, 'product');
      expect(error).toMatchObject({ code: 'MTN_AUTHENTICATION_FAILED', tokenRejected: true });
    });

    it('does not ask for a token refresh on a provisioning 401', () => {
      expect(mapMtnAnswer({ status: 401, body: undefined }, 'provisioning').tokenRejected).toBe(
        false,
      );
    });

    it('maps a body-less 400 to MTN_BAD_REQUEST', () => {
      expect(mapMtnAnswer({ status: 400, body: undefined }, 'product')).toMatchObject({
        code: 'MTN_BAD_REQUEST',
        transient: false,
      });
    });

    it('maps a 400 carrying a known reason by its reason', () => {
      const error = mapMtnAnswer(
        { status: 400, body: { code: 'INVALID_CURRENCY', message: '' } },
        'product',
      );
      expect(error.code).toBe('INVALID_CURRENCY');
    });

    it('maps 411 with an HTML page to MTN_BAD_REQUEST', () => {
      const error = mapMtnAnswer({ status: 411, body: '<html>Length Required</html>' }, 'product');
      expect(error).toMatchObject({ code: 'MTN_BAD_REQUEST', transient: false });
    });

    it('maps a body-less 404 to MTN_RESOURCE_NOT_FOUND', () => {
      expect(mapMtnAnswer({ status: 404, body: undefined }, 'product').code).toBe(
        'MTN_RESOURCE_NOT_FOUND',
      );
    });

    it('maps a body-less 409 to RESOURCE_ALREADY_EXIST', () => {
      expect(mapMtnAnswer({ status: 409, body: undefined }, 'product').code).toBe(
        'RESOURCE_ALREADY_EXIST',
      );
    });

    it.each([
      [500, 'MTN_UNAVAILABLE'],
      [502, 'MTN_UNAVAILABLE'],
      [503, 'MTN_UNAVAILABLE'],
      [504, 'MTN_TIMEOUT'],
    ])('maps an HTML %i to %s, trouble', (status, code) => {
      const error = mapMtnAnswer(
        { status, body: '<html><body>Bad gateway</body></html>' },
        'product',
      );
      expect(error).toMatchObject({ code, transient: true });
    });

    it('maps a 429 without a body to RATE_LIMITED using Retry-After seconds', () => {
      const error = mapMtnAnswer({ status: 429, body: undefined, retryAfter: '3' }, 'product');
      expect(error).toMatchObject({ code: 'RATE_LIMITED', transient: true, retryAfterMs: 3000 });
    });

    it('reads a Retry-After HTTP date against the given time', () => {
      const now = Date.parse('2026-11-26T10:00:00Z');
      const error = mapMtnAnswer(
        { status: 503, body: undefined, retryAfter: 'Thu, 26 Nov 2026 10:00:07 GMT' },
        'product',
        now,
      );
      expect(error.retryAfterMs).toBe(7000);
    });

    it('maps an unexpected 3xx to MTN_UNEXPECTED_RESPONSE', () => {
      expect(mapMtnAnswer({ status: 302, body: undefined }, 'product').code).toBe(
        'MTN_UNEXPECTED_RESPONSE',
      );
    });

    it('marks a 2xx in a form we do not understand as MTN_UNEXPECTED_RESPONSE, not trouble', () => {
      expect(unexpectedAnswer(200, 'the token request')).toMatchObject({
        code: 'MTN_UNEXPECTED_RESPONSE',
        transient: false,
      });
    });
  });

  describe('transport failures', () => {
    it.each(['ECONNABORTED', 'ETIMEDOUT', 'ERR_CANCELED'])(
      'maps %s to MTN_TIMEOUT, trouble',
      (code) => {
        const error = mapTransportFailure(
          Object.assign(new Error('timeout of 10000ms exceeded'), { code }),
        );
        expect(error).toMatchObject({
          code: 'MTN_TIMEOUT',
          kind: 'timeout',
          transient: true,
          transportCode: code,
        });
      },
    );

    it.each(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN'])(
      'maps %s to MTN_UNAVAILABLE, trouble',
      (code) => {
        const error = mapTransportFailure(Object.assign(new Error('connect failed'), { code }));
        expect(error).toMatchObject({ code: 'MTN_UNAVAILABLE', kind: 'network', transient: true });
      },
    );

    it('keeps nothing of the transport error (whose config holds our headers)', () => {
      const raw = Object.assign(new Error('boom'), {
        code: 'ECONNRESET',
        config: { headers: { Authorization: 'Bearer SECRET' } },
      });
      const error = mapTransportFailure(raw);
      expect(error.cause).toBeUndefined();
      expect(JSON.stringify(error)).not.toContain('SECRET');
    });
  });

  describe('reason codes', () => {
    it('reads a bare string reason', () => {
      expect(reasonCodeOf('APPROVAL_REJECTED')).toBe('APPROVAL_REJECTED');
    });

    it('reads an object reason by its code', () => {
      expect(reasonCodeOf({ code: 'PAYER_NOT_FOUND', message: 'Payee does not exist' })).toBe(
        'PAYER_NOT_FOUND',
      );
    });

    it('ignores an empty or shapeless reason', () => {
      expect([reasonCodeOf(''), reasonCodeOf({}), reasonCodeOf(null), reasonCodeOf(42)]).toEqual([
        undefined,
        undefined,
        undefined,
        undefined,
      ]);
    });

    it('maps known reasons to our codes and unknown ones to nothing', () => {
      expect([errorCodeForReason('expired'), errorCodeForReason('ONGOING')]).toEqual([
        'EXPIRED',
        undefined,
      ]);
    });
  });

  describe('classification helpers', () => {
    it('counts only transient MTN errors as trouble', () => {
      const trouble = mapMtnAnswer({ status: 503, body: undefined }, 'product');
      const business = mapMtnAnswer({ status: 500, body: { code: 'PAYER_NOT_FOUND' } }, 'product');
      expect([isMtnTrouble(trouble), isMtnTrouble(business), isMtnTrouble(new Error('x'))]).toEqual(
        [true, false, false],
      );
    });

    it('parses JSON, keeps other text and drops empty bodies', () => {
      expect([parseBody('{"a":1}'), parseBody('<html/>'), parseBody('  ')]).toEqual([
        { a: 1 },
        '<html/>',
        undefined,
      ]);
    });
  });
});
