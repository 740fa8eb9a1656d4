import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ReconciliationRun } from './entities/reconciliation-run.entity';
import type { RunKind, RunTrigger } from './reconciliation.types';
import { MtnStatusAsker } from './run/mtn-status.asker';
import { RecordCommitter } from './run/record-committer';
import { RunOwnershipLost } from './run/record-writes';
import { resolveWindow, scheduleSlot, type RunRequest, type RunWindow } from './run/run-window';
import { ReconciliationRunStore, cursorOf, type RunCursor } from './run/run.store';

const BATCH = 50;

export interface StartedRun {
  run: ReconciliationRun;
  /** False when a run of the same window was already RUNNING: that one is returned. */
  created: boolean;
}

export interface RecoveryResult {
  resumed: string[];
  abandoned: string[];
}

/**
 * Does the reconciliation work (the scheduler only says when). A run covers a window of
 * transactions and asks MTN once per record, on the background share of the outbound budget,
 * committing each record's outcome together with the run's progress. Runs are rows in
 * PostgreSQL: unique indexes let only one replica start a given run, a heartbeat shows its
 * replica is alive, and a run whose replica died is resumed from its cursor by another one (or
 * closed as ABANDONED when that keeps happening).
 */
@Injectable()
export class ReconciliationService implements OnModuleDestroy {
  private readonly logger = new Logger(ReconciliationService.name);
  /** This replica, as written in `owner`. */
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly active = new Map<string, Promise<void>>();
  private readonly stopping = new AbortController();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: ReconciliationRunStore,
    private readonly asker: MtnStatusAsker,
    private readonly committer: RecordCommitter,
  ) {}

  /**
   * Starts a run now (API, CLI). If a run of the same window is already RUNNING, on any replica,
   * that run is returned instead and nothing new starts.
   */
  async start(request: RunRequest, trigger: Exclude<RunTrigger, 'schedule'>): Promise<StartedRun> {
    const window = resolveWindow(request, new Date());
    const run = await this.insert(window, trigger, null);
    if (run) return { run, created: true };
    // The insert lost to a RUNNING run of this window (on any replica): answer with that one.
    const existing = await this.store.currentForWindow(window.key);
    if (!existing) throw new Error(`a run of ${window.key} blocked the start but cannot be found`);
    return { run: existing, created: false };
  }

  /**
   * The scheduler's entry: one run per schedule slot whichever replica's cron fires first. Returns
   * undefined when the slot is taken or the previous run of the window is still going.
   */
  async startScheduled(
    kind: Exclude<RunKind, 'window'>,
    firedAt: Date,
  ): Promise<ReconciliationRun | undefined> {
    const window = resolveWindow({ kind }, firedAt);
    const run = await this.insert(window, 'schedule', scheduleSlot(window, firedAt));
    if (!run)
      this.logger.log(
        { kind, window: window.key },
        'scheduled reconciliation already taken or still running elsewhere',
      );
    return run;
  }

  /**
   * Finds runs whose replica stopped heartbeating: resumes each from its cursor, or closes it as
   * ABANDONED (with the reason) once it has been resumed `maxResumes` times.
   */
  async recoverStale(): Promise<RecoveryResult> {
    const { heartbeatTimeoutSeconds: timeout, maxResumes } = this.config.reconciliation;
    const result: RecoveryResult = { resumed: [], abandoned: [] };
    for (const stale of await this.store.findStale(timeout)) {
      const lost = `replica ${stale.owner} stopped heartbeating at ${stale.heartbeatAt.toISOString()}`;
      if (stale.resumedCount >= maxResumes) {
        const reason = `abandoned: ${lost} after ${stale.processed} of ${stale.total} records, and the run was already resumed ${stale.resumedCount} time(s)`;
        if (await this.store.abandon(stale, timeout, reason)) {
          this.logger.warn(
            { runId: stale.id, kind: stale.kind, processed: stale.processed, total: stale.total },
            reason,
          );
          result.abandoned.push(stale.id);
        }
        continue;
      }
      const reason = `resumed by ${this.owner} at record ${stale.processed} of ${stale.total}: ${lost}`;
      const claimed = await this.store.claim(stale, this.owner, timeout, reason);
      if (!claimed) continue;
      this.logger.warn(
        {
          runId: claimed.id,
          kind: claimed.kind,
          processed: claimed.processed,
          total: claimed.total,
        },
        'reconciliation run resumed',
      );
      this.launch(claimed);
      result.resumed.push(claimed.id);
    }
    return result;
  }

  /** Resolves when this replica has no run in progress (the CLI waits on it before closing). */
  async idle(): Promise<void> {
    while (this.active.size > 0) await Promise.allSettled([...this.active.values()]);
  }

  /** Stops working on runs: they stay RUNNING, and another replica resumes them after the heartbeat timeout. */
  async onModuleDestroy(): Promise<void> {
    this.stopping.abort();
    await Promise.allSettled([...this.active.values()]);
  }

  private async insert(
    window: RunWindow,
    trigger: RunTrigger,
    slot: Date | null,
  ): Promise<ReconciliationRun | undefined> {
    const run = await this.store.insert({
      id: randomUUID(),
      window,
      trigger,
      scheduleSlot: slot,
      owner: this.owner,
      pendingThresholdMs: this.config.reconciliation.pendingThresholdSeconds * 1000,
    });
    if (run) {
      this.logger.log(
        { runId: run.id, kind: run.kind, window: run.windowKey, total: run.total, trigger },
        'reconciliation run started',
      );
      this.launch(run);
    }
    return run;
  }

  private launch(run: ReconciliationRun): void {
    const work = this.execute(run).finally(() => this.active.delete(run.id));
    this.active.set(run.id, work);
  }

  private async execute(run: ReconciliationRun): Promise<void> {
    const ref = { id: run.id, owner: this.owner };
    const signal = this.stopping.signal;
    let lost = false;
    const beat = setInterval(() => {
      this.store
        .heartbeat(run.id, this.owner)
        .then((mine) => {
          lost = lost || !mine;
        })
        .catch((err: unknown) =>
          this.logger.warn({ runId: run.id, err: message(err) }, 'reconciliation heartbeat failed'),
        );
    }, heartbeatEveryMs(this.config.reconciliation.heartbeatTimeoutSeconds));
    beat.unref();
    let cursor: RunCursor | null = cursorOf(run);
    let processed = run.processed;
    try {
      for (;;) {
        if (signal.aborted || lost) return;
        const batch = await this.store.nextBatch(run, cursor, BATCH);
        if (batch.length === 0) break;
        const width = this.config.reconciliation.concurrency;
        for (let i = 0; i < batch.length; i += width) {
          const chunk = batch.slice(i, i + width);
          const answers = await Promise.all(chunk.map((tx) => this.asker.ask(tx, signal)));
          for (const [k, tx] of chunk.entries()) {
            await this.committer.commit(ref, tx, answers[k]!, new Date());
            cursor = { product: tx.product, createdAt: tx.createdAt, id: tx.id };
            processed += 1;
          }
          if (signal.aborted || lost) return;
        }
        this.logger.log(
          { runId: run.id, kind: run.kind, processed, total: run.total },
          'reconciliation progress',
        );
      }
      if (await this.store.finish(run.id, this.owner, 'COMPLETED', null)) {
        this.logger.log(
          { runId: run.id, kind: run.kind, processed },
          'reconciliation run completed',
        );
      }
    } catch (error) {
      if (error instanceof RunOwnershipLost) {
        this.logger.warn({ runId: run.id }, error.message);
      } else if (signal.aborted) {
        this.logger.log(
          { runId: run.id, processed },
          'reconciliation run interrupted by shutdown; another replica will resume it',
        );
      } else {
        // Marked FAILED only if still ours: a replica that lost the run may fail on the new owner's rows.
        const failed = await this.store
          .finish(
            run.id,
            this.owner,
            'FAILED',
            `failed after ${processed} records: ${message(error)}`,
          )
          .catch((err: unknown) => {
            this.logger.error(
              { runId: run.id, err: message(err) },
              'could not mark the run FAILED',
            );
            return true;
          });
        if (failed)
          this.logger.error(
            { runId: run.id, processed, err: message(error) },
            'reconciliation run failed',
          );
        else
          this.logger.warn(
            { runId: run.id },
            `reconciliation run ${run.id} is no longer owned by this replica`,
          );
      }
    } finally {
      clearInterval(beat);
    }
  }
}

function message(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 500);
}

/** Four beats per timeout: one late beat never makes a live replica look dead. */
export function heartbeatEveryMs(timeoutSeconds: number): number {
  return Math.max(1000, Math.floor((timeoutSeconds * 1000) / 4));
}
