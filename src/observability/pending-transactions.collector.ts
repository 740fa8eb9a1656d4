import { Inject, Injectable, Logger } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { PRODUCTS, isProduct, type Product } from '../common/product';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { CachedValue } from './cached-value';
import { MetricsService } from './metrics.service';

export interface PendingByProduct {
  product: Product;
  count: number;
  /** Seconds since the oldest PENDING transaction was created; 0 when there is none. */
  oldestAgeSeconds: number;
}

/** A scrape must not hang on a slow database; the gauges then keep their last values. */
const QUERY_TIMEOUT_MS = 2_000;

const PENDING_SQL = `
  SELECT product, count(*)::int AS count,
         COALESCE(EXTRACT(EPOCH FROM (now() - min(created_at))), 0)::float8 AS oldest
  FROM momo_transactions
  WHERE status = 'PENDING'
  GROUP BY product`;

/**
 * `momo_pending_transactions` and `momo_pending_oldest_age_seconds`, per product, from one
 * grouped query run at scrape time and cached for `METRICS_PENDING_CACHE_SECONDS`, so that several
 * Prometheus servers scraping every few seconds cost one query per period.
 */
@Injectable()
export class PendingTransactionsCollector {
  private readonly logger = new Logger(PendingTransactionsCollector.name);
  private readonly pending: CachedValue<PendingByProduct[]>;

  constructor(
    metrics: MetricsService,
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.pending = new CachedValue(config.observability.metrics.pendingCacheMs, () => this.query());
    const registers = [metrics.registry];
    // Both gauges read the same cached, single-flight result: one query per scrape at most.
    const read = this.read.bind(this);
    const collectInto = (pick: (row: PendingByProduct) => number) =>
      async function (this: Gauge<'product'>): Promise<void> {
        const rows = await read();
        for (const row of rows ?? []) this.set({ product: row.product }, pick(row));
      };
    new Gauge({
      name: 'momo_pending_transactions',
      help: 'Transactions still PENDING, per product',
      labelNames: ['product'] as const,
      registers,
      collect: collectInto((row) => row.count),
    });
    new Gauge({
      name: 'momo_pending_oldest_age_seconds',
      help: 'Age of the oldest PENDING transaction, per product (0 when none)',
      labelNames: ['product'] as const,
      registers,
      collect: collectInto((row) => row.oldestAgeSeconds),
    });
  }

  /** Every product, with zeros for those without PENDING transactions. */
  async query(): Promise<PendingByProduct[]> {
    const rows =
      await this.dataSource.query<Array<{ product: string; count: number; oldest: number }>>(
        PENDING_SQL,
      );
    const found = new Map(
      rows.filter((r) => isProduct(r.product)).map((r) => [r.product as Product, r]),
    );
    return PRODUCTS.map((product) => {
      const row = found.get(product);
      return {
        product,
        count: Number(row?.count ?? 0),
        oldestAgeSeconds: Math.max(0, Number(row?.oldest ?? 0)),
      };
    });
  }

  private async read(): Promise<PendingByProduct[] | undefined> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        this.pending.get(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer within ${QUERY_TIMEOUT_MS} ms`)),
            QUERY_TIMEOUT_MS,
          );
        }),
      ]);
    } catch (err) {
      this.logger.warn(
        { err: err instanceof Error ? err.message : String(err) },
        'PENDING metrics not refreshed',
      );
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }
}
