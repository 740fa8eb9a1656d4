import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import { APP_CONFIG, type AppConfig } from '../config/app-config';

/**
 * A small pool for the rate-limit counters (per-key inbound budgets, the outbound MTN budget),
 * written on nearly every request. Its sessions commit without waiting for the WAL flush
 * (`synchronous_commit=off`): a crash can forget the last few milliseconds of counts, which is
 * harmless for a budget, and no request then waits on a disk flush just to count itself.
 * Money-moving writes never use this pool.
 */
@Injectable()
export class CounterPool implements OnApplicationShutdown {
  readonly pool: Pool;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    if (!config.database.url) throw new Error('database.url must be resolved before the application starts');
    this.pool = new Pool({
      connectionString: config.database.url,
      max: Math.max(2, Math.ceil(config.database.poolSize / 2)),
      connectionTimeoutMillis: 3000,
      idleTimeoutMillis: 30_000,
      application_name: 'momo-gateway-counters',
      options: '-c synchronous_commit=off',
    });
    // An idle client's error (database restarted) must not crash the process; the next query reconnects.
    this.pool.on('error', () => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}
