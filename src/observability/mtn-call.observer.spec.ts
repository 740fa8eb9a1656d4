import { MomoCallError } from '../momo/client/momo-call.error';
import type { MomoClient, MtnExchangeInfo, MtnExchangeObserver } from '../momo/client/momo-client';
import { MetricsService } from './metrics.service';
import { MtnCallObserver, mtnStatusOf } from './mtn-call.observer';

const info = (over: Partial<MtnExchangeInfo> = {}): MtnExchangeInfo => ({
  product: 'collection',
  operation: 'requestToPay',
  endpoint: 'product',
  method: 'POST',
  referenceId: '6f1c2b7e-3f0a-4c1e-9a55-0d7f4a2b9e10',
  accountId: 'default',
  attempt: 1,
  ...over,
});

describe('mtnStatusOf', () => {
  it("is MTN's HTTP status, else how the exchange failed", () => {
    expect(mtnStatusOf({ answer: { status: 202 } })).toBe('202');
    expect(
      mtnStatusOf({
        error: new MomoCallError('MTN_UNAVAILABLE', 'x', {
          kind: 'http',
          transient: true,
          httpStatus: 503,
        }),
      }),
    ).toBe('503');
    expect(
      mtnStatusOf({
        error: new MomoCallError('MTN_TIMEOUT', 'x', { kind: 'timeout', transient: true }),
      }),
    ).toBe('timeout');
    expect(
      mtnStatusOf({
        error: new MomoCallError('MTN_UNAVAILABLE', 'x', { kind: 'network', transient: true }),
      }),
    ).toBe('network');
    expect(mtnStatusOf({ error: new Error('bug') })).toBe('error');
  });
});

describe('MtnCallObserver', () => {
  function observerWith(metrics: MetricsService): MtnExchangeObserver {
    let registered: MtnExchangeObserver | undefined;
    const client = {
      observeExchanges: (o: MtnExchangeObserver) => ((registered = o), () => undefined),
    } as unknown as MomoClient;
    new MtnCallObserver(client, metrics).onModuleInit();
    return registered!;
  }

  it('registers with the client, passes answers and errors through, and times each exchange', async () => {
    const metrics = new MetricsService();
    const observe = observerWith(metrics);
    await expect(observe(info(), () => Promise.resolve({ status: 202 }))).resolves.toEqual({
      status: 202,
    });
    const failure = new MomoCallError('PAYER_NOT_FOUND', 'x', {
      kind: 'http',
      transient: false,
      httpStatus: 404,
    });
    await expect(observe(info({ attempt: 2 }), () => Promise.reject(failure))).rejects.toBe(
      failure,
    );

    const text = await metrics.render();
    expect(text).toContain(
      'momo_mtn_request_duration_seconds_count{product="collection",operation="requestToPay",status="202"} 1',
    );
    expect(text).toContain(
      'momo_mtn_request_duration_seconds_count{product="collection",operation="requestToPay",status="404"} 1',
    );
  });

  it('counts token exchanges as refreshes or failures', async () => {
    const metrics = new MetricsService();
    const observe = observerWith(metrics);
    await observe(info({ endpoint: 'token', operation: 'token' }), () =>
      Promise.resolve({ status: 200 }),
    );
    await observe(info({ endpoint: 'token', operation: 'token', product: 'remittance' }), () =>
      Promise.reject(new Error('x')),
    ).catch(() => undefined);
    const text = await metrics.render();
    expect(text).toContain('momo_token_refreshes_total{product="collection"} 1');
    expect(text).toContain('momo_token_refresh_failures_total{product="remittance"} 1');
    expect(text).not.toContain('momo_token_refreshes_total{product="remittance"}');
  });
});
