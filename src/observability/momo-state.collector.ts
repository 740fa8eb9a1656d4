import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { PRODUCTS } from '../common/product';
import { BreakerService, type BreakerState } from '../momo/breaker/breaker.service';
import { OutboundRateLimiter } from '../momo/rate-limit/outbound-rate-limiter.service';
import type { CallbackOutcome } from '../payments/webhook.service';
import { WebhookService } from '../payments/webhook.service';
import { MetricsService } from './metrics.service';

/** `momo_breaker_state`: 0 closed, 1 half-open, 2 open. */
export function breakerStateValue(state: BreakerState): number {
  switch (state) {
    case 'closed':
      return 0;
    case 'half-open':
      return 1;
    case 'open':
      return 2;
  }
}

/** `confirmed` in the webhook service is `verified` on the metric: the callback was checked with MTN. */
const CALLBACK_OUTCOMES: ReadonlyArray<readonly [CallbackOutcome, string]> = [
  ['confirmed', 'verified'],
  ['forged', 'forged'],
  ['duplicate', 'duplicate'],
  ['deferred', 'deferred'],
  ['dropped', 'dropped'],
];

/**
 * Metrics read at scrape time from what the MTN plumbing and the callbacks already count
 * (`BreakerService.getStates()`, `OutboundRateLimiter.getCounters()`, `WebhookService`), so
 * nothing is counted twice and the hot path pays nothing. Counters that those services keep as
 * process totals are exposed as Prometheus counters set to the total at each scrape.
 *
 * The outbound budget counts its waits and refusals per process, not per product, so their
 * `product` label is `all` until `getCounters()` splits them.
 */
@Injectable()
export class MomoStateCollector implements OnModuleInit, OnModuleDestroy {
  private stopListening?: () => void;
  private readonly breakerOpens: Counter<'product' | 'account'>;

  constructor(
    metrics: MetricsService,
    private readonly breakers: BreakerService,
    private readonly limiter: OutboundRateLimiter,
    private readonly webhooks: WebhookService,
  ) {
    const registers = [metrics.registry];
    new Gauge({
      name: 'momo_breaker_state',
      help: 'Circuit breaker per MTN product and account: 0 closed, 1 half-open, 2 open',
      labelNames: ['product', 'account'] as const,
      registers,
      collect: function (this: Gauge<'product' | 'account'>) {
        for (const view of breakers.getStates()) {
          this.set(
            { product: view.product, account: view.accountId },
            breakerStateValue(view.state),
          );
        }
      },
    });
    this.breakerOpens = new Counter({
      name: 'momo_breaker_opens_total',
      help: 'Times a circuit breaker opened (from closed or after a failed trial call)',
      labelNames: ['product', 'account'] as const,
      registers,
      // Every breaker shows from the start, at 0, so that increase() sees its first opening.
      collect: function (this: Counter<'product' | 'account'>) {
        for (const view of breakers.getStates())
          this.inc({ product: view.product, account: view.accountId }, 0);
      },
    });
    new Counter({
      name: 'momo_rate_limit_waits_total',
      help: 'Live MTN calls that waited for the outbound budget (once per wait)',
      labelNames: ['product', 'priority'] as const,
      registers,
      collect: function (this: Counter<'product' | 'priority'>) {
        const { waits } = limiter.getCounters();
        this.reset();
        this.inc({ product: 'all', priority: 'live' }, waits);
      },
    });
    new Counter({
      name: 'momo_rate_limit_refusals_total',
      help: 'MTN calls refused for want of outbound budget (RATE_LIMITED)',
      labelNames: ['product', 'priority'] as const,
      registers,
      collect: function (this: Counter<'product' | 'priority'>) {
        const counters = limiter.getCounters();
        this.reset();
        this.inc({ product: 'all', priority: 'live' }, counters.liveRefusals);
        this.inc({ product: 'all', priority: 'background' }, counters.backgroundRefusals);
      },
    });
    new Counter({
      name: 'momo_rate_limit_store_errors_total',
      help: 'Budget checks PostgreSQL could not answer (the call went ahead on the in-memory budget)',
      registers,
      collect: function (this: Counter) {
        this.reset();
        this.inc(limiter.getCounters().storeErrors);
      },
    });
    new Counter({
      name: 'momo_callbacks_total',
      help: 'MTN callbacks received: verified (status then asked of MTN), forged (unknown transaction or wrong token), duplicate (transaction already final), deferred (confirmation queue full: left to the poller, polled now), dropped (not even that: polled on its own schedule)',
      labelNames: ['product', 'outcome'] as const,
      registers,
      collect: function (this: Counter<'product' | 'outcome'>) {
        const byProduct = new Map(webhooks.statsByProduct().map((s) => [s.product, s]));
        this.reset();
        for (const product of PRODUCTS) {
          const stats = byProduct.get(product);
          for (const [outcome, label] of CALLBACK_OUTCOMES)
            this.inc({ product, outcome: label }, stats?.[outcome] ?? 0);
        }
      },
    });
    new Gauge({
      name: 'momo_callback_queue',
      help: 'MTN callbacks awaiting confirmation: running (status call and update in flight), waiting (for a free slot), for_poller (queue full: about to be made due for a poll)',
      labelNames: ['state'] as const,
      registers,
      collect: function (this: Gauge<'state'>) {
        const state = webhooks.queueState();
        this.set({ state: 'running' }, state.running);
        this.set({ state: 'waiting' }, state.waiting);
        this.set({ state: 'for_poller' }, state.forPoller);
      },
    });
  }

  onModuleInit(): void {
    this.stopListening = this.breakers.onStateChange((t) => {
      if (t.to === 'open') this.breakerOpens.inc({ product: t.product, account: t.accountId });
    });
  }

  onModuleDestroy(): void {
    this.stopListening?.();
  }
}
