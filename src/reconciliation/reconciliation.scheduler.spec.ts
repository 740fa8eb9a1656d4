import type { SchedulerRegistry } from '@nestjs/schedule';
import type { CronJob } from 'cron';
import { ConfigError, loadConfig, type AppConfig } from '../config/app-config';
import { ReconciliationScheduler } from './reconciliation.scheduler';
import type { ReconciliationService } from './reconciliation.service';

function config(overrides: Partial<AppConfig['reconciliation']> = {}): AppConfig {
  return {
    reconciliation: {
      scheduleEnabled: true,
      stalePendingCron: '*/15 * * * *',
      dailyCron: '30 0 * * *',
      pendingThresholdSeconds: 300,
      notFoundGraceSeconds: 600,
      failMissingPending: true,
      heartbeatTimeoutSeconds: 120,
      maxResumes: 3,
      concurrency: 4,
      ...overrides,
    },
  } as AppConfig;
}

function registry() {
  const crons = new Map<string, CronJob>();
  const intervals = new Map<string, NodeJS.Timeout>();
  return {
    crons,
    intervals,
    fake: {
      addCronJob: (name: string, job: CronJob) => crons.set(name, job),
      addInterval: (name: string, timer: NodeJS.Timeout) => intervals.set(name, timer),
    } as unknown as SchedulerRegistry,
  };
}

describe('ReconciliationScheduler', () => {
  const service = {} as ReconciliationService;

  it('schedules the two runs on their crons, in UTC, and the look for dead replicas', () => {
    const r = registry();
    new ReconciliationScheduler(config(), r.fake, service).onApplicationBootstrap();
    try {
      expect([...r.crons.keys()]).toEqual(['reconciliation.stale-pending', 'reconciliation.daily']);
      const daily = r.crons.get('reconciliation.daily')!;
      const next = daily.nextDate().toJSDate();
      expect([next.getUTCHours(), next.getUTCMinutes()]).toEqual([0, 30]);
      expect(
        r.crons.get('reconciliation.stale-pending')!.nextDate().toJSDate().getUTCMinutes() % 15,
      ).toBe(0);
      expect([...r.intervals.keys()]).toEqual(['reconciliation.recover']);
    } finally {
      for (const job of r.crons.values()) void job.stop();
      for (const timer of r.intervals.values()) clearInterval(timer);
    }
  });

  it('schedules nothing on a replica where it is turned off', () => {
    const r = registry();
    new ReconciliationScheduler(
      config({ scheduleEnabled: false }),
      r.fake,
      service,
    ).onApplicationBootstrap();
    expect(r.crons.size + r.intervals.size).toBe(0);
  });
});

describe('reconciliation settings', () => {
  it('default to every 15 minutes and 00:30 UTC', () => {
    expect(loadConfig({}).reconciliation).toEqual({
      scheduleEnabled: true,
      stalePendingCron: '*/15 * * * *',
      dailyCron: '30 0 * * *',
      pendingThresholdSeconds: 300,
      notFoundGraceSeconds: 600,
      failMissingPending: true,
      heartbeatTimeoutSeconds: 120,
      maxResumes: 3,
      concurrency: 4,
    });
  });

  it('refuse a cron expression the scheduler could not run, naming the variable', () => {
    expect(() => loadConfig({ RECONCILIATION_DAILY_CRON: '61 0 * * *' })).toThrow(ConfigError);
    expect(() => loadConfig({ RECONCILIATION_DAILY_CRON: '61 0 * * *' })).toThrow(
      /RECONCILIATION_DAILY_CRON/,
    );
    expect(() => loadConfig({ RECONCILIATION_STALE_PENDING_CRON: 'every 15 minutes' })).toThrow(
      /RECONCILIATION_STALE_PENDING_CRON/,
    );
  });
});
