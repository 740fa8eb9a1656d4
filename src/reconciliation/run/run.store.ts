import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { MomoTransaction } from '../../transactions/momo-transaction.entity';
import { sqlRows } from '../../transactions/sql-rows';
import { ReconciliationRun } from '../entities/reconciliation-run.entity';
import type { RunStatus, RunTrigger } from '../reconciliation.types';
import type { RunWindow } from './run-window';

export interface NewRun {
  id: string;
  window: RunWindow;
  trigger: RunTrigger;
  scheduleSlot: Date | null;
  owner: string;
  /** stale-pending: transactions created this long before the start are stale. */
  pendingThresholdMs: number;
}

/** Where a run has got to: the last record it finished, in (product, created_at, id) order. */
export interface RunCursor {
  product: string;
  createdAt: Date;
  id: string;
}

export function cursorOf(run: ReconciliationRun): RunCursor | null {
  return run.cursorProduct !== null && run.cursorCreatedAt !== null && run.cursorId !== null
    ? { product: run.cursorProduct, createdAt: run.cursorCreatedAt, id: run.cursorId }
    : null;
}

/**
 * The records a run covers, as a filter on `momo_transactions t`. It stays the same set for the
 * whole run: a daily or window run covers what was created in the window; a stale-pending run
 * what was created before the cutoff and was PENDING at the start, i.e. still PENDING or
 * completed since (whoever completed it).
 */
function windowFilter(run: ReconciliationRun): { sql: string; params: Record<string, unknown> } {
  if (run.kind === 'stale-pending') {
    return {
      sql: `t.createdAt < :windowTo AND (t.status = 'PENDING' OR t.completedAt >= :startedAt)`,
      params: { windowTo: run.windowTo, startedAt: run.startedAt },
    };
  }
  return {
    sql: 't.createdAt >= :windowFrom AND t.createdAt < :windowTo',
    params: { windowFrom: run.windowFrom, windowTo: run.windowTo },
  };
}

/** Runs in the database: creation without double starts, heartbeats, claims, batches, the end. */
@Injectable()
export class ReconciliationRunStore {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Inserts a RUNNING run and counts its records, or returns undefined when a run of the same
   * window is RUNNING or the schedule slot is taken (another replica got there first). Times come
   * from the database clock, the one clock all replicas share.
   */
  async insert(run: NewRun): Promise<ReconciliationRun | undefined> {
    return this.dataSource.transaction(async (manager) => {
      const inserted = await sqlRows<{ id: string }>(
        manager,
        `INSERT INTO reconciliation_runs
           (id, kind, triggered_by, window_key, window_from, window_to, schedule_slot, status,
            total, processed, owner, resumed_count, started_at, heartbeat_at)
         VALUES ($1, $2, $3, $4, $5::timestamptz,
                 COALESCE($6::timestamptz, now() - $7::bigint * interval '1 millisecond'),
                 $8::timestamptz, 'RUNNING', 0, 0, $9, 0, now(), now())
         ON CONFLICT DO NOTHING
         RETURNING id`,
        [
          run.id,
          run.window.kind,
          run.trigger,
          run.window.key,
          run.window.from?.toISOString() ?? null,
          run.window.to?.toISOString() ?? null,
          run.pendingThresholdMs,
          run.scheduleSlot?.toISOString() ?? null,
          run.owner,
        ],
      );
      if (inserted.length === 0) return undefined;
      const created = await manager.findOneByOrFail(ReconciliationRun, { id: run.id });
      const filter = windowFilter(created);
      const total = await manager
        .createQueryBuilder(MomoTransaction, 't')
        .where(filter.sql, filter.params)
        .getCount();
      await manager.update(ReconciliationRun, { id: run.id }, { total });
      return { ...created, total };
    });
  }

  async find(id: string): Promise<ReconciliationRun | null> {
    return this.dataSource.manager.findOneBy(ReconciliationRun, { id });
  }

  /**
   * The run a start that lost the race should answer with: the window's RUNNING run, or, if that
   * one ended in between, the window's newest.
   */
  async currentForWindow(windowKey: string): Promise<ReconciliationRun | null> {
    return this.dataSource.manager
      .createQueryBuilder(ReconciliationRun, 'r')
      .where('r.windowKey = :windowKey', { windowKey })
      .orderBy(`CASE WHEN r.status = 'RUNNING' THEN 0 ELSE 1 END`, 'ASC')
      .addOrderBy('r.startedAt', 'DESC')
      .addOrderBy('r.id', 'DESC')
      .getOne();
  }

  /** False when the run is no longer this owner's (taken over, or finished). */
  async heartbeat(id: string, owner: string): Promise<boolean> {
    const rows = await this.returning(
      `UPDATE reconciliation_runs SET heartbeat_at = now()
        WHERE id = $1 AND owner = $2 AND status = 'RUNNING' RETURNING id`,
      [id, owner],
    );
    return rows.length > 0;
  }

  /** RUNNING runs whose replica has not been heard of for `timeoutSeconds`. */
  async findStale(timeoutSeconds: number): Promise<ReconciliationRun[]> {
    return this.dataSource.manager
      .createQueryBuilder(ReconciliationRun, 'r')
      .where(
        `r.status = 'RUNNING' AND r.heartbeatAt < now() - CAST(:timeout AS integer) * interval '1 second'`,
        {
          timeout: timeoutSeconds,
        },
      )
      .orderBy('r.startedAt', 'ASC')
      .getMany();
  }

  /**
   * Takes over a dead replica's run, if it is still stale (two replicas may try at once: one
   * wins). The run then goes on from its cursor.
   */
  async claim(
    stale: ReconciliationRun,
    owner: string,
    timeoutSeconds: number,
    reason: string,
  ): Promise<ReconciliationRun | undefined> {
    const rows = await this.returning(
      `UPDATE reconciliation_runs
          SET owner = $2, heartbeat_at = now(), resumed_count = resumed_count + 1, status_reason = $4
        WHERE id = $1 AND status = 'RUNNING' AND heartbeat_at < now() - $3::integer * interval '1 second'
        RETURNING id`,
      [stale.id, owner, timeoutSeconds, reason],
    );
    return rows.length > 0 ? ((await this.find(stale.id)) ?? undefined) : undefined;
  }

  /** Closes a dead replica's run for good, if it is still stale. */
  async abandon(
    stale: ReconciliationRun,
    timeoutSeconds: number,
    reason: string,
  ): Promise<boolean> {
    const rows = await this.returning(
      `UPDATE reconciliation_runs
          SET status = 'ABANDONED', status_reason = $3, finished_at = now()
        WHERE id = $1 AND status = 'RUNNING' AND heartbeat_at < now() - $2::integer * interval '1 second'
        RETURNING id`,
      [stale.id, timeoutSeconds, reason],
    );
    return rows.length > 0;
  }

  /** The next records after the cursor, in the order of `idx_momo_transactions_created`. */
  async nextBatch(
    run: ReconciliationRun,
    cursor: RunCursor | null,
    limit: number,
  ): Promise<MomoTransaction[]> {
    const filter = windowFilter(run);
    const query = this.dataSource.manager
      .createQueryBuilder(MomoTransaction, 't')
      .where(filter.sql, filter.params);
    if (cursor) {
      query.andWhere('(t.product, t.createdAt, t.id) > (:cp, :cc, :ci)', {
        cp: cursor.product,
        cc: cursor.createdAt,
        ci: cursor.id,
      });
    }
    return query
      .orderBy('t.product', 'ASC')
      .addOrderBy('t.createdAt', 'ASC')
      .addOrderBy('t.id', 'ASC')
      .limit(limit)
      .getMany();
  }

  /**
   * Ends the run if it is still this owner's. A COMPLETED run's total becomes the number of
   * records it checked (the start's count can be off by a transaction committed mid-count).
   */
  async finish(
    id: string,
    owner: string,
    status: Exclude<RunStatus, 'RUNNING'>,
    reason: string | null,
  ): Promise<boolean> {
    const rows = await this.returning(
      `UPDATE reconciliation_runs
          SET status = $3::varchar, status_reason = COALESCE($4::text, status_reason), finished_at = now(),
              total = CASE WHEN $3::varchar = 'COMPLETED' THEN processed ELSE total END
        WHERE id = $1 AND owner = $2 AND status = 'RUNNING'
        RETURNING id`,
      [id, owner, status, reason],
    );
    return rows.length > 0;
  }

  private async returning(sql: string, params: unknown[]): Promise<{ id: string }[]> {
    return this.dataSource.transaction((manager: EntityManager) =>
      sqlRows<{ id: string }>(manager, sql, params),
    );
  }
}
