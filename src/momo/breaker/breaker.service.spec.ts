import { Logger } from '@nestjs/common';
import { loadConfig } from '../../config/app-config';
import { mapMtnAnswer, mapTransportFailure } from '../client/mtn-error.mapper';
import { BreakerService, type BreakerTransition } from './breaker.service';

const START = Date.parse('2026-11-26T10:00:00Z');

function setup() {
  const clock = { now: jest.fn(() => START) };
  const service = new BreakerService(loadConfig({}), clock);
  return { clock, service };
}

const trouble = () =>
  mapMtnAnswer({ status: 503, body: '<html>Service Unavailable</html>' }, 'product');
const business = () =>
  mapMtnAnswer({ status: 500, body: { code: 'PAYER_NOT_FOUND', message: '' } }, 'product');
const fail = (error: Error) => () => Promise.reject(error);
const succeed = () => Promise.resolve('ok');

async function failTimes(
  service: BreakerService,
  n: number,
  error: () => Error = trouble,
  product: 'collection' | 'disbursement' = 'collection',
) {
  for (let i = 0; i < n; i++)
    await service.execute(product, 'default', fail(error())).catch(() => undefined);
}

describe('BreakerService', () => {
  let logs: jest.SpyInstance;
  beforeEach(() => {
    logs = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('passes results and errors through while closed', async () => {
    const { service } = setup();
    await expect(service.execute('collection', 'default', succeed)).resolves.toBe('ok');
    await expect(service.execute('collection', 'default', fail(business()))).rejects.toMatchObject({
      code: 'PAYER_NOT_FOUND',
    });
  });

  it('stays closed after four consecutive failures', async () => {
    const { service } = setup();
    await failTimes(service, 4);
    expect(service.getStates()).toEqual([
      { product: 'collection', accountId: 'default', state: 'closed' },
    ]);
  });

  it('opens after five consecutive failures', async () => {
    const { service } = setup();
    await failTimes(service, 5);
    expect(service.getStates()[0]).toMatchObject({
      state: 'open',
      retryAfterSeconds: 60,
      openedAt: new Date(START).toISOString(),
    });
  });

  it.each([
    [
      'network errors',
      () => mapTransportFailure(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })),
    ],
    [
      'timeouts',
      () => mapTransportFailure(Object.assign(new Error('x'), { code: 'ECONNABORTED' })),
    ],
    ['429', () => mapMtnAnswer({ status: 429, body: undefined }, 'product')],
    ['502', () => mapMtnAnswer({ status: 502, body: undefined }, 'product')],
    ['504', () => mapMtnAnswer({ status: 504, body: undefined }, 'product')],
    [
      '500 INTERNAL_PROCESSING_ERROR',
      () => mapMtnAnswer({ status: 500, body: { code: 'INTERNAL_PROCESSING_ERROR' } }, 'product'),
    ],
    [
      '503 SERVICE_UNAVAILABLE',
      () => mapMtnAnswer({ status: 503, body: { code: 'SERVICE_UNAVAILABLE' } }, 'product'),
    ],
  ])('is tripped by %s', async (_name, error) => {
    const { service } = setup();
    await failTimes(service, 5, error);
    expect(service.getStates()[0]?.state).toBe('open');
  });

  it.each([
    ['500 PAYER_NOT_FOUND', () => business()],
    [
      '500 NOT_ENOUGH_FUNDS',
      () => mapMtnAnswer({ status: 500, body: { code: 'NOT_ENOUGH_FUNDS' } }, 'product'),
    ],
    ['400', () => mapMtnAnswer({ status: 400, body: undefined }, 'product')],
    ['404', () => mapMtnAnswer({ status: 404, body: { code: 'RESOURCE_NOT_FOUND' } }, 'product')],
    [
      '409',
      () => mapMtnAnswer({ status: 409, body: { code: 'RESOURCE_ALREADY_EXIST' } }, 'product'),
    ],
    [
      'APIM 401',
      () => mapMtnAnswer({ status: 401, body: { statusCode: 401, message: 'denied' } }, 'product'),
    ],
    ['a non-MTN error', () => new Error('bug')],
  ])('is not tripped by %s', async (_name, error) => {
    const { service } = setup();
    await failTimes(service, 10, error);
    expect(service.getStates()[0]?.state).toBe('closed');
  });

  it('counts a business answer as proof MTN is up, resetting the failure count', async () => {
    const { service } = setup();
    await failTimes(service, 4);
    await failTimes(service, 1, business);
    await failTimes(service, 4);
    expect(service.getStates()[0]?.state).toBe('closed');
  });

  it('fails calls at once with CIRCUIT_OPEN and the seconds until half-open while open', async () => {
    const { service, clock } = setup();
    await failTimes(service, 5);
    clock.now.mockReturnValue(START + 45_500);
    const attempt = jest.fn(succeed);
    await expect(service.execute('collection', 'default', attempt)).rejects.toMatchObject({
      code: 'CIRCUIT_OPEN',
      retryAfterSeconds: 15,
    });
    expect(attempt).not.toHaveBeenCalled();
  });

  it('refuses through assertCallable while open', async () => {
    const { service } = setup();
    await failTimes(service, 5);
    expect(() => service.assertCallable('collection', 'default')).toThrow(
      expect.objectContaining({ code: 'CIRCUIT_OPEN' }),
    );
  });

  describe('refusalFor', () => {
    it('answers nothing while closed, and for a breaker never used, creating none', () => {
      const { service } = setup();
      expect(service.refusalFor('collection', 'default')).toBeUndefined();
      expect(service.getStates()).toEqual([]);
    });

    it('answers the CIRCUIT_OPEN error execute would throw while open, changing nothing', async () => {
      const { service, clock } = setup();
      await failTimes(service, 5);
      clock.now.mockReturnValue(START + 45_500);
      const refusal = service.refusalFor('collection', 'default');
      expect(refusal).toMatchObject({ code: 'CIRCUIT_OPEN', retryAfterSeconds: 15 });
      await expect(service.execute('collection', 'default', succeed)).rejects.toEqual(refusal);
      expect(service.getStates()[0]).toMatchObject({ state: 'open', retryAfterSeconds: 15 });
      expect(service.refusalFor('disbursement', 'default')).toBeUndefined();
    });

    it('lets the trial through once the open period is over, and refuses while it runs', async () => {
      const { service, clock } = setup();
      await failTimes(service, 5);
      clock.now.mockReturnValue(START + 60_000);
      expect(service.refusalFor('collection', 'default')).toBeUndefined();
      let finishTrial: (v: string) => void = () => undefined;
      const trial = service.execute(
        'collection',
        'default',
        () => new Promise<string>((r) => (finishTrial = r)),
      );
      expect(service.refusalFor('collection', 'default')).toMatchObject({
        code: 'CIRCUIT_OPEN',
        retryAfterSeconds: 1,
      });
      finishTrial('ok');
      await expect(trial).resolves.toBe('ok');
      expect(service.refusalFor('collection', 'default')).toBeUndefined();
    });
  });

  it('reports half-open once the open period has passed on the clock', async () => {
    const { service, clock } = setup();
    await failTimes(service, 5);
    clock.now.mockReturnValue(START + 60_000);
    expect(service.getStates()[0]).toMatchObject({ state: 'half-open' });
  });

  it('lets exactly one trial call through when half-open', async () => {
    const { service, clock } = setup();
    await failTimes(service, 5);
    clock.now.mockReturnValue(START + 60_000);
    let finishTrial: (v: string) => void = () => undefined;
    const trial = service.execute(
      'collection',
      'default',
      () => new Promise<string>((r) => (finishTrial = r)),
    );
    const other = jest.fn(succeed);
    await expect(service.execute('collection', 'default', other)).rejects.toMatchObject({
      code: 'CIRCUIT_OPEN',
      retryAfterSeconds: 1,
    });
    expect(other).not.toHaveBeenCalled();
    finishTrial('ok');
    await expect(trial).resolves.toBe('ok');
  });

  it('closes when the trial call succeeds', async () => {
    const { service, clock } = setup();
    await failTimes(service, 5);
    clock.now.mockReturnValue(START + 60_000);
    await service.execute('collection', 'default', succeed);
    expect(service.getStates()[0]).toEqual({
      product: 'collection',
      accountId: 'default',
      state: 'closed',
    });
  });

  it('closes when the trial call gets a business answer', async () => {
    const { service, clock } = setup();
    await failTimes(service, 5);
    clock.now.mockReturnValue(START + 60_000);
    await service.execute('collection', 'default', fail(business())).catch(() => undefined);
    expect(service.getStates()[0]?.state).toBe('closed');
  });

  it('opens again for a full period when the trial call fails', async () => {
    const { service, clock } = setup();
    await failTimes(service, 5);
    clock.now.mockReturnValue(START + 60_000);
    await failTimes(service, 1);
    clock.now.mockReturnValue(START + 60_000 + 59_000);
    expect(service.getStates()[0]).toMatchObject({
      state: 'open',
      retryAfterSeconds: 1,
      openedAt: new Date(START + 60_000).toISOString(),
    });
  });

  it('keeps Disbursement closed while Collection is open', async () => {
    const { service } = setup();
    await failTimes(service, 5, trouble, 'collection');
    await expect(service.execute('disbursement', 'default', succeed)).resolves.toBe('ok');
    expect(service.getStates().map((s) => [s.product, s.state])).toEqual([
      ['collection', 'open'],
      ['disbursement', 'closed'],
    ]);
  });

  it('keeps one account closed while another account of the same product is open', async () => {
    const { service } = setup();
    await failTimes(service, 5);
    await expect(service.execute('collection', 'ghana', succeed)).resolves.toBe('ok');
  });

  it('tells listeners and the log of each state change', async () => {
    const { service, clock } = setup();
    const events: BreakerTransition[] = [];
    service.onStateChange((e) => events.push(e));
    await failTimes(service, 5);
    clock.now.mockReturnValue(START + 60_000);
    await service.execute('collection', 'default', succeed);
    expect(events.map((e) => `${e.from}->${e.to}`)).toEqual([
      'closed->open',
      'open->half-open',
      'half-open->closed',
    ]);
    expect(logs).toHaveBeenCalledWith(
      { product: 'collection', accountId: 'default', from: 'closed', to: 'open' },
      'MTN circuit breaker closed -> open',
    );
  });

  it('stops telling a listener once it is removed', async () => {
    const { service } = setup();
    const listener = jest.fn();
    service.onStateChange(listener)();
    await failTimes(service, 5);
    expect(listener).not.toHaveBeenCalled();
  });

  it('lists registered breakers before any call', () => {
    const { service } = setup();
    service.register('remittance', 'uganda');
    expect(service.getStates()).toEqual([
      { product: 'remittance', accountId: 'uganda', state: 'closed' },
    ]);
  });
});
