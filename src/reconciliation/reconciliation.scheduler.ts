import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ReconciliationService } from './reconciliation.service';

/**
 * Only says when: the stale-PENDING run and the daily run on their crons (UTC), and a look for
 * runs whose replica died. Registered through SchedulerRegistry rather than @Cron because the
 * expressions come from the configuration; @nestjs/schedule stops them at shutdown. Every replica
 * may schedule: a slot runs once (ReconciliationService.startScheduled).
 */
@Injectable()
export class ReconciliationScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(ReconciliationScheduler.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: SchedulerRegistry,
    private readonly reconciliation: ReconciliationService,
  ) {}

  onApplicationBootstrap(): void {
    const settings = this.config.reconciliation;
    if (!settings.scheduleEnabled) return;
    this.cron('reconciliation.stale-pending', settings.stalePendingCron, () =>
      this.reconciliation.startScheduled('stale-pending', new Date()),
    );
    this.cron('reconciliation.daily', settings.dailyCron, () =>
      this.reconciliation.startScheduled('daily', new Date()),
    );
    const every = Math.max(5, Math.floor(settings.heartbeatTimeoutSeconds / 2)) * 1000;
    const recovery = setInterval(
      () => this.guard('reconciliation.recover', () => this.reconciliation.recoverStale()),
      every,
    );
    recovery.unref();
    this.registry.addInterval('reconciliation.recover', recovery);
  }

  private cron(name: string, expression: string, tick: () => Promise<unknown>): void {
    const job = CronJob.from({
      cronTime: expression,
      timeZone: 'UTC',
      onTick: () => this.guard(name, tick),
      start: false,
    });
    this.registry.addCronJob(name, job);
    job.start();
  }

  private guard(name: string, tick: () => Promise<unknown>): void {
    tick().catch((err: unknown) =>
      this.logger.error(
        { job: name, err: err instanceof Error ? err.message : String(err) },
        'scheduled reconciliation failed to start',
      ),
    );
  }
}
