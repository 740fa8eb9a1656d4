import { DomainError } from '../common/errors/domain-error';
import { MomoCallError, withEarlierAttempts, type MomoCallErrorInit } from '../momo/client/momo-call.error';
import type { ErrorCode } from '../common/errors/error-code';
import { mayHaveReachedMtn } from './acceptance';

const http = (code: ErrorCode, httpStatus: number, transient = false) =>
  new MomoCallError(code, 'MTN answered', { kind: 'http', httpStatus, transient });
const network = (transportCode?: string) => {
  const init: MomoCallErrorInit = { kind: 'network', transient: true, ...(transportCode ? { transportCode } : {}) };
  return new MomoCallError('MTN_UNAVAILABLE', 'unreachable', init);
};
const timeout = () => new MomoCallError('MTN_TIMEOUT', 'no answer', { kind: 'timeout', transient: true, transportCode: 'ECONNABORTED' });

describe('mayHaveReachedMtn', () => {
  describe('MTN answered: it did not take the request', () => {
    it.each([
      ['a business refusal (500 PAYER_NOT_FOUND)', http('PAYER_NOT_FOUND', 500)],
      ['500 INTERNAL_PROCESSING_ERROR', http('INTERNAL_PROCESSING_ERROR', 500, true)],
      ['503 SERVICE_UNAVAILABLE', http('SERVICE_UNAVAILABLE', 503, true)],
      ['400 malformed request', http('MTN_BAD_REQUEST', 400)],
      ['401 refused credentials', http('MTN_AUTHENTICATION_FAILED', 401)],
      ['429 MTN throttling', http('RATE_LIMITED', 429, true)],
    ])('%s → no', (_name, error) => {
      expect(mayHaveReachedMtn(error)).toBe(false);
    });
  });

  describe('no usable answer: it may have', () => {
    it.each([
      ['a timeout', timeout()],
      ['a connection reset', network('ECONNRESET')],
      ['a network failure without a code', network()],
      ["a proxy's 502", http('MTN_UNAVAILABLE', 502, true)],
      ["a proxy's 504", http('MTN_TIMEOUT', 504, true)],
      ['a 409: MTN already holds this reference id', http('RESOURCE_ALREADY_EXIST', 409)],
      ['a 2xx answer we could not read', new MomoCallError('MTN_UNEXPECTED_RESPONSE', 'odd', { kind: 'invalid-response', httpStatus: 200, transient: false })],
      ['an error we know nothing about', new Error('boom')],
    ])('%s → yes', (_name, error) => {
      expect(mayHaveReachedMtn(error)).toBe(true);
    });
  });

  describe('never sent', () => {
    it.each([
      ['connection refused', network('ECONNREFUSED')],
      ['host not found', network('ENOTFOUND')],
      ['the breaker was open', new DomainError('CIRCUIT_OPEN', 'open', { retryAfterSeconds: 60 })],
      ['no outbound budget', new DomainError('RATE_LIMITED', 'spent', { retryAfterSeconds: 30 })],
      ['no MTN account for the market', new DomainError('UNSUPPORTED_COUNTRY', 'none')],
    ])('%s → no', (_name, error) => {
      expect(mayHaveReachedMtn(error)).toBe(false);
    });
  });

  it('follows an explicit possiblyAccepted flag either way', () => {
    expect(mayHaveReachedMtn(Object.assign(timeout(), { possiblyAccepted: false }))).toBe(false);
    expect(mayHaveReachedMtn(Object.assign(new DomainError('CIRCUIT_OPEN', 'open'), { possiblyAccepted: true }))).toBe(true);
  });

  describe('every attempt of the call counts', () => {
    it('an early timeout makes a final 503 ambiguous', () => {
      expect(mayHaveReachedMtn(withEarlierAttempts(http('SERVICE_UNAVAILABLE', 503, true), [timeout(), http('SERVICE_UNAVAILABLE', 503, true)]))).toBe(true);
    });

    it('an early reset makes a final CIRCUIT_OPEN ambiguous', () => {
      expect(mayHaveReachedMtn(withEarlierAttempts(new DomainError('CIRCUIT_OPEN', 'open'), [network('ECONNRESET')]))).toBe(true);
    });

    it('refusals all the way stay a definite no', () => {
      const earlier = [http('SERVICE_UNAVAILABLE', 503, true), http('INTERNAL_PROCESSING_ERROR', 500, true)];
      expect(mayHaveReachedMtn(withEarlierAttempts(new DomainError('CIRCUIT_OPEN', 'open'), earlier))).toBe(false);
      expect(mayHaveReachedMtn(withEarlierAttempts(new DomainError('RATE_LIMITED', 'spent'), [network('ECONNREFUSED')]))).toBe(false);
    });
  });
});
