import { NestFactory } from '@nestjs/core';
import type { Command } from 'commander';
import { setTimeout as sleep } from 'node:timers/promises';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { AppModule } from '../app.module';
import { DomainError } from '../common/errors/domain-error';
import { ConfigError, loadConfig, loadDotEnvFile, type AppConfig } from '../config/app-config';
import { ReconciliationReportsService } from '../reconciliation/reconciliation-reports.service';
import { ReconciliationService } from '../reconciliation/reconciliation.service';
import { RUN_KINDS, type RunKind } from '../reconciliation/reconciliation.types';
import { renderProgressBar } from '../reconciliation/report/progress-bar';
import { renderTextSummary } from '../reconciliation/report/text-summary.renderer';

export interface ReconcileOptions {
  kind: string;
  from?: string;
  to?: string;
  /** The gateway's own log lines (JSON) besides the progress. */
  verbose?: boolean;
}

export interface ReconcileIo {
  env: NodeJS.ProcessEnv;
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown };
  /** Aborted (Ctrl-C): stop following; the run stays RUNNING and a gateway replica resumes it. */
  signal?: AbortSignal;
  /** How often the run's progress is read. */
  pollMs?: number;
}

/** Exit codes: 0 the run COMPLETED, 1 it did not (or could not start), 2 it was left to others. */
export const EXIT = { completed: 0, failed: 1, leftRunning: 2 } as const;

function isMtnConfigured(config: AppConfig): boolean {
  return config.momo.baseUrl !== undefined || config.momo.accountsFile !== undefined;
}

/**
 * The CLI replica: same AppModule and configuration as the service, but it neither polls,
 * schedules nor delivers notifications (it runs the one reconciliation it was asked for), and logs only errors unless
 * --verbose, so the progress bar stays readable.
 */
function cliConfig(config: AppConfig, verbose: boolean): AppConfig {
  return {
    ...config,
    log: { ...config.log, level: verbose ? config.log.level : 'error', requests: false },
    polling: { ...config.polling, enabled: false },
    notifications: { ...config.notifications, enabled: false },
    reconciliation: { ...config.reconciliation, scheduleEnabled: false },
  };
}

function line(out: ReconcileIo['stdout'], text: string): void {
  out.write(`${text}\n`);
}

/** Runs (or follows) one reconciliation to its end and prints the summary. Resolves with the exit code. */
export async function runReconcile(options: ReconcileOptions, io: ReconcileIo): Promise<number> {
  if (!(RUN_KINDS as readonly string[]).includes(options.kind)) {
    io.stderr.write(`--kind must be one of ${RUN_KINDS.join(', ')}\n`);
    return EXIT.failed;
  }
  let config: AppConfig;
  try {
    config = loadConfig(io.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr.write(`${error.message}\n`);
    return EXIT.failed;
  }
  if (!config.database.url) {
    io.stderr.write(
      "reconcile needs a database: set DATABASE_URL to the gateway's PostgreSQL (postgres://user:password@host:5432/db). " +
        'The CLI never starts the embedded PostgreSQL of `npm start`.\n',
    );
    return EXIT.failed;
  }
  if (!isMtnConfigured(config)) {
    io.stderr.write(
      'reconcile needs MTN: set MTN_MOMO_BASE_URL and the MTN_MOMO_* credentials (or MTN_MOMO_ACCOUNTS_FILE).\n',
    );
    return EXIT.failed;
  }

  const verbose = options.verbose === true;
  let app;
  try {
    app = await NestFactory.createApplicationContext(
      AppModule.forRoot(cliConfig(config, verbose)),
      {
        logger: verbose ? undefined : ['error'],
        bufferLogs: verbose,
        abortOnError: false,
      },
    );
  } catch (error) {
    io.stderr.write(
      `reconcile could not start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return EXIT.failed;
  }
  if (verbose) app.useLogger(app.get(PinoNestLogger));
  try {
    return await follow(
      app.get(ReconciliationService),
      app.get(ReconciliationReportsService),
      options,
      config,
      io,
    );
  } finally {
    await app.close();
  }
}

async function follow(
  service: ReconciliationService,
  reports: ReconciliationReportsService,
  options: ReconcileOptions,
  config: AppConfig,
  io: ReconcileIo,
): Promise<number> {
  const out = io.stdout;
  const tty = out.isTTY === true;
  let started;
  try {
    started = await service.start(
      { kind: options.kind as RunKind, from: options.from, to: options.to },
      'cli',
    );
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const details = (error.details ?? [])
      .map((d) => `${d.field ? `${d.field}: ` : ''}${d.message}`)
      .join('; ');
    io.stderr.write(`${error.message}${details ? `: ${details}` : ''}\n`);
    return EXIT.failed;
  }
  const { run, created } = started;
  line(
    out,
    created
      ? `Reconciliation run ${run.id} (${run.kind}) started: ${run.total} transaction(s) to check`
      : `A ${run.kind} run of this window is already running (${run.id}, started ${run.startedAt.toISOString()} by ${run.triggeredBy}); following it`,
  );
  const staleAfterMs = config.reconciliation.heartbeatTimeoutSeconds * 1000;
  let lastShown = -1;
  let lastLineAt = 0;
  for (;;) {
    const current = await reports.summary(run.id);
    const { processed, total } = current.progress;
    const done = current.status !== 'RUNNING';
    if (tty) {
      out.write(`\r${renderProgressBar(processed, total)}\x1b[K${done ? '\n' : ''}`);
    } else if (processed !== lastShown && (done || Date.now() - lastLineAt >= 1000)) {
      line(out, `progress: ${processed}/${total}`);
      lastShown = processed;
      lastLineAt = Date.now();
    }
    if (done) break;
    if (io.signal?.aborted) {
      if (tty) out.write('\n');
      line(
        out,
        `Stopped following: run ${run.id} stays RUNNING; a gateway replica resumes it after the heartbeat timeout.`,
      );
      return EXIT.leftRunning;
    }
    if (!created && Date.now() - new Date(current.heartbeatAt).getTime() > staleAfterMs) {
      if (tty) out.write('\n');
      line(
        out,
        `The replica running ${run.id} stopped heartbeating; a running gateway resumes it (or run this again later).`,
      );
      return EXIT.leftRunning;
    }
    await sleep(io.pollMs ?? 250, undefined, io.signal ? { signal: io.signal } : undefined).catch(
      () => undefined,
    );
  }
  await service.idle();
  const detail = await reports.detail(run.id);
  for (const text of renderTextSummary(detail)) line(out, text);
  return detail.status === 'COMPLETED' ? EXIT.completed : EXIT.failed;
}

/**
 * `reconcile`: runs one reconciliation now (stale-pending, daily, or a window), shows its
 * progress (a bar on a terminal, plain lines otherwise) and prints the summary.
 */
export function registerReconcile(program: Command): void {
  program
    .command('reconcile')
    .description(
      'Compare our transactions with MTN now, repair what can be repaired and print the report summary (needs DATABASE_URL and MTN settings)',
    )
    .option('--kind <kind>', `${RUN_KINDS.join(' | ')}`, 'stale-pending')
    .option(
      '--from <from>',
      'daily: the UTC day (YYYY-MM-DD, default yesterday); window: inclusive start (ISO 8601)',
    )
    .option('--to <to>', 'window: exclusive end (ISO 8601)')
    .option('--verbose', "also print the gateway's log lines", false)
    .action(async (opts: ReconcileOptions) => {
      loadDotEnvFile();
      const interrupt = new AbortController();
      const onSigint = (): void => interrupt.abort();
      process.once('SIGINT', onSigint);
      try {
        process.exitCode = await runReconcile(opts, {
          env: process.env,
          stdout: process.stdout,
          stderr: process.stderr,
          signal: interrupt.signal,
        });
      } finally {
        process.removeListener('SIGINT', onSigint);
      }
    });
}
