import type {
  BreakerService,
  BreakerStateView,
  BreakerTransition,
} from '../momo/breaker/breaker.service';
import type {
  OutboundRateLimiter,
  RateLimitCounters,
} from '../momo/rate-limit/outbound-rate-limiter.service';
import type { WebhookService } from '../payments/webhook.service';
import { MetricsService } from './metrics.service';
import { MomoStateCollector, breakerStateValue } from './momo-state.collector';

describe('MomoStateCollector', () => {
  const states: BreakerStateView[] = [
    { product: 'collection', accountId: 'uganda', state: 'closed' },
    {
      product: 'disbursement',
      accountId: 'uganda',
      state: 'open',
      openedAt: '2026-01-01T00:00:00.000Z',
      retryAfterSeconds: 30,
    },
    {
      product: 'remittance',
      accountId: 'ghana',
      state: 'half-open',
      openedAt: '2026-01-01T00:00:00.000Z',
    },
  ];
  const counters: RateLimitCounters = {
    waits: 4,
    liveRefusals: 2,
    backgroundRefusals: 7,
    storeErrors: 1,
  };
  let listener: ((t: BreakerTransition) => void) | undefined;
  const breakers = {
    getStates: () => states,
    onStateChange: (l: (t: BreakerTransition) => void) => (
      (listener = l),
      () => (listener = undefined)
    ),
  } as unknown as BreakerService;
  const limiter = { getCounters: () => counters } as unknown as OutboundRateLimiter;
  const webhooks = {
    statsByProduct: () => [
      { product: 'collection', confirmed: 3, forged: 1, duplicate: 2, deferred: 5, dropped: 1 },
    ],
    queueState: () => ({ running: 4, waiting: 17, forPoller: 2 }),
  } as unknown as WebhookService;

  it('maps breaker states to 0, 1 and 2', () => {
    expect(
      ['closed', 'half-open', 'open'].map((s) => breakerStateValue(s as BreakerStateView['state'])),
    ).toEqual([0, 1, 2]);
  });

  it('reads breakers, budget counters and callbacks at scrape time', async () => {
    const metrics = new MetricsService();
    const collector = new MomoStateCollector(metrics, breakers, limiter, webhooks);
    collector.onModuleInit();
    listener?.({
      product: 'disbursement',
      accountId: 'uganda',
      from: 'closed',
      to: 'open',
      at: '2026-01-01T00:00:00.000Z',
    });
    listener?.({
      product: 'disbursement',
      accountId: 'uganda',
      from: 'open',
      to: 'half-open',
      at: '2026-01-01T00:01:00.000Z',
    });

    const text = await metrics.render();
    expect(text).toContain('momo_breaker_state{product="collection",account="uganda"} 0');
    expect(text).toContain('momo_breaker_state{product="disbursement",account="uganda"} 2');
    expect(text).toContain('momo_breaker_state{product="remittance",account="ghana"} 1');
    expect(text).toContain('momo_breaker_opens_total{product="disbursement",account="uganda"} 1');
    expect(text).toContain('momo_breaker_opens_total{product="collection",account="uganda"} 0');
    expect(text).toContain('momo_rate_limit_waits_total{product="all",priority="live"} 4');
    expect(text).toContain('momo_rate_limit_refusals_total{product="all",priority="live"} 2');
    expect(text).toContain('momo_rate_limit_refusals_total{product="all",priority="background"} 7');
    expect(text).toContain('momo_rate_limit_store_errors_total 1');
    expect(text).toContain('momo_callbacks_total{product="collection",outcome="verified"} 3');
    expect(text).toContain('momo_callbacks_total{product="collection",outcome="forged"} 1');
    expect(text).toContain('momo_callbacks_total{product="collection",outcome="duplicate"} 2');
    expect(text).toContain('momo_callbacks_total{product="collection",outcome="deferred"} 5');
    expect(text).toContain('momo_callbacks_total{product="collection",outcome="dropped"} 1');
    expect(text).toContain('momo_callbacks_total{product="remittance",outcome="deferred"} 0');
    expect(text).toContain('momo_callback_queue{state="running"} 4');
    expect(text).toContain('momo_callback_queue{state="waiting"} 17');
    expect(text).toContain('momo_callback_queue{state="for_poller"} 2');
    expect(text).toContain('momo_callbacks_total{product="remittance",outcome="verified"} 0');

    // Totals are re-read, not added up, at every scrape.
    expect(await metrics.render()).toContain(
      'momo_rate_limit_waits_total{product="all",priority="live"} 4',
    );
    collector.onModuleDestroy();
    expect(listener).toBeUndefined();
  });
});
