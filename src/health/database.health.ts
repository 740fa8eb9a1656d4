import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { withTimeout } from './with-timeout';

/** The database answers, and every migration the code knows is applied. */
@Injectable()
export class DatabaseHealthIndicator {
  constructor(
    private readonly dataSource: DataSource,
    private readonly health: HealthIndicatorService,
  ) {}

  async check(key = 'database') {
    const indicator = this.health.check(key);
    try {
      await withTimeout(this.dataSource.query('SELECT 1'), 2000);
      const pending = await withTimeout(this.dataSource.showMigrations(), 2000);
      if (pending) return indicator.down({ message: 'migrations pending' });
      return indicator.up();
    } catch (err) {
      return indicator.down({ message: err instanceof Error ? err.message : 'unreachable' });
    }
  }
}
