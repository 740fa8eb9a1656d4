import { DomainError } from '../../common/errors/domain-error';
import { loadConfig } from '../../config/app-config';
import { MomoCallError } from '../client/momo-call.error';
import { mapMtnAnswer, mapTransportFailure } from '../client/mtn-error.mapper';
import { RetryPolicy } from './retry.policy';

function setup(random = 0.5, env: Record<string, string> = {}) {
  const sleeps: number[] = [];
  const sleeper = jest.fn((ms: number) => {
    sleeps.push(ms);
    return Promise.resolve();
  });
  const policy = new RetryPolicy(loadConfig(env), sleeper, () => random);
  return { policy, sleeps, sleeper };
}

const timeout = () => mapTransportFailure(Object.assign(new Error('x'), { code: 'ECONNABORTED' }));

describe('RetryPolicy', () => {
  it('waits 2 s then 4 s between three attempts', async () => {
    const { policy, sleeps } = setup();
    await policy.execute(() => Promise.reject(timeout())).catch(() => undefined);
    expect(sleeps).toEqual([2000, 4000]);
  });

  it('follows 2 s, 4 s, 8 s when allowed a fourth attempt', async () => {
    const { policy, sleeps } = setup(0.5, { MTN_MOMO_RETRY_MAX_ATTEMPTS: '4' });
    await policy.execute(() => Promise.reject(timeout())).catch(() => undefined);
    expect(sleeps).toEqual([2000, 4000, 8000]);
  });

  it('scales the schedule with the configured base delay', () => {
    const { policy } = setup(0.5, { MTN_MOMO_RETRY_BASE_DELAY_MS: '10' });
    expect([policy.nominalDelayMs(1), policy.nominalDelayMs(2), policy.nominalDelayMs(3)]).toEqual([
      10, 20, 40,
    ]);
  });

  it('keeps jitter within ±20 % of the nominal delay', () => {
    expect([
      setup(0).policy.decide(timeout(), 1),
      setup(0.999999).policy.decide(timeout(), 1),
    ]).toEqual([
      { retry: true, delayMs: 1600 },
      { retry: true, delayMs: 2400 },
    ]);
  });

  it('makes at most three attempts and throws the last error', async () => {
    const { policy } = setup();
    const attempt = jest.fn(() => Promise.reject(timeout()));
    await expect(policy.execute(attempt)).rejects.toMatchObject({
      code: 'MTN_TIMEOUT',
      attempt: 3,
    });
    expect(attempt).toHaveBeenCalledTimes(3);
  });

  it('returns the first success', async () => {
    const { policy } = setup();
    const attempt = jest.fn().mockRejectedValueOnce(timeout()).mockResolvedValueOnce('ok');
    await expect(policy.execute(attempt)).resolves.toBe('ok');
    expect(attempt.mock.calls).toEqual([[1], [2]]);
  });

  it.each([
    [
      'a network error',
      () => mapTransportFailure(Object.assign(new Error('x'), { code: 'ECONNRESET' })),
    ],
    ['a timeout', timeout],
    ['502', () => mapMtnAnswer({ status: 502, body: undefined }, 'product')],
    ['503', () => mapMtnAnswer({ status: 503, body: undefined }, 'product')],
    ['504', () => mapMtnAnswer({ status: 504, body: undefined }, 'product')],
    [
      'INTERNAL_PROCESSING_ERROR',
      () => mapMtnAnswer({ status: 500, body: { code: 'INTERNAL_PROCESSING_ERROR' } }, 'product'),
    ],
    [
      'SERVICE_UNAVAILABLE',
      () => mapMtnAnswer({ status: 503, body: { code: 'SERVICE_UNAVAILABLE' } }, 'product'),
    ],
    ['429 without Retry-After', () => mapMtnAnswer({ status: 429, body: undefined }, 'product')],
  ])('retries %s', (_name, error) => {
    expect(setup().policy.decide(error(), 1).retry).toBe(true);
  });

  it.each([
    [
      'PAYER_NOT_FOUND',
      () => mapMtnAnswer({ status: 500, body: { code: 'PAYER_NOT_FOUND' } }, 'product'),
    ],
    ['400', () => mapMtnAnswer({ status: 400, body: undefined }, 'product')],
    ['404', () => mapMtnAnswer({ status: 404, body: undefined }, 'product')],
    ['409', () => mapMtnAnswer({ status: 409, body: undefined }, 'product')],
    ['a refused token', () => mapMtnAnswer({ status: 401, body: undefined }, 'product')],
    [
      'APIM 401',
      () => mapMtnAnswer({ status: 401, body: { statusCode: 401, message: '' } }, 'product'),
    ],
    ['an open circuit', () => new DomainError('CIRCUIT_OPEN', 'open', { retryAfterSeconds: 30 })],
    [
      'our own rate limit',
      () => new DomainError('RATE_LIMITED', 'budget', { retryAfterSeconds: 3 }),
    ],
    ['a bug', () => new TypeError('x')],
  ])('does not retry %s', async (_name, error) => {
    const { policy, sleeper } = setup();
    const attempt = jest.fn(() => Promise.reject(error()));
    await expect(policy.execute(attempt)).rejects.toBeDefined();
    expect(attempt).toHaveBeenCalledTimes(1);
    expect(sleeper).not.toHaveBeenCalled();
  });

  it('waits exactly as long as a short Retry-After says', () => {
    const error = mapMtnAnswer({ status: 429, body: undefined, retryAfter: '3' }, 'product');
    expect(setup().policy.decide(error, 1)).toEqual({ retry: true, delayMs: 3000 });
  });

  it('does not wait out a long Retry-After', () => {
    const error = mapMtnAnswer({ status: 429, body: undefined, retryAfter: '30' }, 'product');
    expect(setup().policy.decide(error, 1)).toEqual({ retry: false });
  });

  it('numbers the attempt on the error it throws', async () => {
    const { policy } = setup();
    const conflict = mapMtnAnswer(
      { status: 409, body: { code: 'RESOURCE_ALREADY_EXIST' } },
      'product',
    );
    const attempt = jest.fn().mockRejectedValueOnce(timeout()).mockRejectedValueOnce(conflict);
    const error = (await policy.execute(attempt).catch((e: unknown) => e)) as MomoCallError;
    expect(error).toMatchObject({ code: 'RESOURCE_ALREADY_EXIST', attempt: 2 });
  });
});
