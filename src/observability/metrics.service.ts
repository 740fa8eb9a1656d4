import { Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Product } from '../common/product';

/** Labels of one REST request (see `http-labels.ts` for how they are chosen). */
export interface HttpRequestLabels {
  method: string;
  /** The route pattern (`/v1/collections/:id`), never the raw URL. */
  route: string;
  status: string;
  product: string;
  operation: string;
  /** `ok` below 400, else the error body's `code`, else the status class (`4xx`, `5xx`). */
  outcome: string;
}

/** Labels of one HTTP exchange with MTN. */
export interface MtnExchangeLabels {
  product: string;
  operation: string;
  /** MTN's HTTP status, or `timeout` / `network` / `invalid-response` when none came back. */
  status: string;
}

/** Seconds; MTN answers in tens of milliseconds to seconds, and the timeout is 10 s by default. */
const MTN_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16];
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The gateway's Prometheus registry (its own, not prom-client's global one, so two applications in
 * one process never share counters) and the typed methods the rest of the code records events
 * with. Collect-time metrics (breakers, budgets, callbacks, PENDING) are added to `registry` by
 * their collectors in `ObservabilityModule`. Every name starts with `momo_`; the process metrics
 * keep their standard names so that stock dashboards work. docs/observability.md lists them all.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  private readonly httpRequests = new Counter({
    name: 'momo_http_requests_total',
    help: 'REST requests answered, by route pattern, status, product, operation and outcome',
    labelNames: ['method', 'route', 'status', 'product', 'operation', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly httpDuration = new Histogram({
    name: 'momo_http_request_duration_seconds',
    help: 'Time to answer a REST request, by route pattern, product and operation',
    labelNames: ['method', 'route', 'product', 'operation'] as const,
    buckets: HTTP_BUCKETS,
    registers: [this.registry],
  });

  private readonly mtnDuration = new Histogram({
    name: 'momo_mtn_request_duration_seconds',
    help: 'Duration of each HTTP exchange with MTN (every attempt, token calls included)',
    labelNames: ['product', 'operation', 'status'] as const,
    buckets: MTN_BUCKETS,
    registers: [this.registry],
  });

  private readonly tokenRefreshes = new Counter({
    name: 'momo_token_refreshes_total',
    help: 'MTN access tokens obtained',
    labelNames: ['product'] as const,
    registers: [this.registry],
  });

  private readonly tokenFailures = new Counter({
    name: 'momo_token_refresh_failures_total',
    help: 'MTN token requests that failed',
    labelNames: ['product'] as const,
    registers: [this.registry],
  });

  private readonly reconciliationRecords = new Counter({
    name: 'momo_reconciliation_records_total',
    help: 'Transactions checked by reconciliation, by verdict',
    labelNames: ['product', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly notificationDeliveries = new Counter({
    name: 'momo_notification_deliveries_total',
    help: 'Notification delivery attempts to the enterprise, by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  private readonly prunedNotifications = new Counter({
    name: 'momo_notifications_pruned_total',
    help: 'Delivered or failed notifications deleted from the outbox after their retention',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The exposition text for `GET /metrics`. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  httpRequest(labels: HttpRequestLabels, seconds: number): void {
    this.httpRequests.inc(labels);
    const { method, route, product, operation } = labels;
    this.httpDuration.observe({ method, route, product, operation }, seconds);
  }

  mtnExchange(labels: MtnExchangeLabels, seconds: number): void {
    this.mtnDuration.observe(labels, seconds);
  }

  tokenRefresh(product: Product | undefined, ok: boolean): void {
    (ok ? this.tokenRefreshes : this.tokenFailures).inc({ product: product ?? 'none' });
  }

  /**
   * One transaction checked by reconciliation. `outcome` is the run's verdict on it (MATCHED,
   * REPAIRED, MISMATCH …): a small fixed set, never an id or a message.
   */
  reconciliationOutcome(product: Product, outcome: string, count = 1): void {
    this.reconciliationRecords.inc({ product, outcome }, count);
  }

  /**
   * One attempt to deliver a notification. `outcome` is a small fixed set such as `delivered`,
   * `retry` or `failed`, never a URL or a status text.
   */
  notificationDelivery(outcome: string, count = 1): void {
    this.notificationDeliveries.inc({ outcome }, count);
  }

  /** Delivered or failed notifications deleted by the outbox retention (NOTIFICATIONS_RETENTION_DAYS). */
  notificationsPruned(count: number): void {
    this.prunedNotifications.inc(count);
  }
}
