import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { TransactionDiscrepancy } from '../transactions/transaction-discrepancy.entity';
import { ReconciliationItem } from './entities/reconciliation-item.entity';
import { ReconciliationRunCount } from './entities/reconciliation-run-count.entity';
import { ReconciliationRunTotal } from './entities/reconciliation-run-total.entity';
import { ReconciliationRun } from './entities/reconciliation-run.entity';
import type { RunKind, RunStatus } from './reconciliation.types';
import { OUTCOME_URGENCY, toDetail, toSummary } from './report/run.mapper';
import {
  MAX_JSON_DISCREPANCIES,
  type AcknowledgementView,
  type RunDetailView,
  type RunSummaryView,
} from './report/run.views';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface RunFilters {
  kind?: RunKind;
  status?: RunStatus;
  /** 1..100, default 20. */
  limit?: number;
}

function notFound(what: string, id: string): DomainError {
  return new DomainError('NOT_FOUND', `No ${what} ${id}`);
}

/** The read side of reconciliation, and the one write people make: acknowledging. */
@Injectable()
export class ReconciliationReportsService {
  constructor(private readonly dataSource: DataSource) {}

  /** Newest first. */
  async list(filters: RunFilters = {}): Promise<RunSummaryView[]> {
    const m = this.dataSource.manager;
    const runs = await m.find(ReconciliationRun, {
      where: {
        ...(filters.kind ? { kind: filters.kind } : {}),
        ...(filters.status ? { status: filters.status } : {}),
      },
      order: { startedAt: 'DESC', id: 'DESC' },
      take: filters.limit ?? 20,
    });
    if (runs.length === 0) return [];
    const counts = await m.find(ReconciliationRunCount, {
      where: { runId: In(runs.map((r) => r.id)) },
    });
    return runs.map((run) =>
      toSummary(
        run,
        counts.filter((c) => c.runId === run.id),
      ),
    );
  }

  async summary(id: string): Promise<RunSummaryView> {
    const m = this.dataSource.manager;
    const run = UUID.test(id) ? await m.findOneBy(ReconciliationRun, { id }) : null;
    if (!run) throw notFound('reconciliation run', id);
    return toSummary(run, await m.findBy(ReconciliationRunCount, { runId: id }));
  }

  /**
   * The run with its counts, totals and discrepancies (most urgent first). `allDiscrepancies`
   * lifts the JSON cap, for the CSV.
   */
  async detail(id: string, options: { allDiscrepancies?: boolean } = {}): Promise<RunDetailView> {
    const m = this.dataSource.manager;
    const run = UUID.test(id) ? await m.findOneBy(ReconciliationRun, { id }) : null;
    if (!run) throw notFound('reconciliation run', id);
    const [counts, totals, discrepancyCount] = await Promise.all([
      m.find(ReconciliationRunCount, {
        where: { runId: id },
        order: { product: 'ASC', country: 'ASC', outcome: 'ASC' },
      }),
      m.find(ReconciliationRunTotal, {
        where: { runId: id },
        order: { side: 'ASC', currency: 'ASC' },
      }),
      m.countBy(ReconciliationItem, { runId: id }),
    ]);
    const urgency = OUTCOME_URGENCY.map((o, i) => `WHEN '${o}' THEN ${i}`).join(' ');
    const query = m
      .createQueryBuilder(ReconciliationItem, 'i')
      .where('i.runId = :id', { id })
      .orderBy(`CASE i.outcome ${urgency} END`, 'ASC')
      .addOrderBy('i.product', 'ASC')
      .addOrderBy('i.country', 'ASC')
      .addOrderBy('i.createdAt', 'ASC')
      .addOrderBy('i.id', 'ASC');
    if (!options.allDiscrepancies) query.limit(MAX_JSON_DISCREPANCIES);
    return toDetail(run, counts, totals, await query.getMany(), discrepancyCount);
  }

  /**
   * Marks a discrepancy as seen by a person, with their note: a run's discrepancy (and the
   * transaction discrepancy it links), or a transaction discrepancy recorded outside
   * reconciliation (and the run discrepancies that link it). Repeating it with the same note
   * answers the first acknowledgement; another note is ALREADY_ACKNOWLEDGED.
   */
  async acknowledge(id: string, note: string): Promise<AcknowledgementView> {
    if (!UUID.test(id)) throw notFound('discrepancy', id);
    return this.dataSource.transaction(async (m) => {
      const item = await m.findOne(ReconciliationItem, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (item) {
        let at: Date;
        if (item.acknowledgedAt) {
          sameNote(item.acknowledgedNote, note, item.acknowledgedAt);
          at = item.acknowledgedAt;
        } else {
          at = new Date();
          await m.update(
            ReconciliationItem,
            { id: item.id },
            { acknowledgedAt: at, acknowledgedNote: note },
          );
        }
        if (item.transactionDiscrepancyId)
          await this.acknowledgeLinked(m, item.transactionDiscrepancyId, note, at);
        return {
          id: item.id,
          type: 'reconciliation-item',
          transactionId: item.transactionId,
          runId: item.runId,
          kind: item.outcome,
          acknowledgedAt: at.toISOString(),
          acknowledgedNote: item.acknowledgedNote ?? note,
        };
      }
      const discrepancy = await m.findOne(TransactionDiscrepancy, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!discrepancy) throw notFound('discrepancy', id);
      const at = discrepancy.acknowledgedAt ?? new Date();
      if (discrepancy.acknowledgedAt) {
        sameNote(discrepancy.acknowledgedNote, note, discrepancy.acknowledgedAt);
      } else {
        await m.update(
          TransactionDiscrepancy,
          { id },
          { acknowledgedAt: at, acknowledgedNote: note },
        );
      }
      await m
        .createQueryBuilder()
        .update(ReconciliationItem)
        .set({ acknowledgedAt: at, acknowledgedNote: note })
        .where('transaction_discrepancy_id = :id AND acknowledged_at IS NULL', { id })
        .execute();
      return {
        id,
        type: 'transaction-discrepancy',
        transactionId: discrepancy.transactionId,
        kind: discrepancy.kind,
        acknowledgedAt: at.toISOString(),
        acknowledgedNote: discrepancy.acknowledgedNote ?? note,
      };
    });
  }

  private async acknowledgeLinked(
    m: EntityManager,
    discrepancyId: string,
    note: string,
    at: Date,
  ): Promise<void> {
    await m
      .createQueryBuilder()
      .update(TransactionDiscrepancy)
      .set({ acknowledgedAt: at, acknowledgedNote: note })
      .where('id = :id AND acknowledged_at IS NULL', { id: discrepancyId })
      .execute();
  }
}

function sameNote(existing: string | null, note: string, at: Date): void {
  if (existing === note) return;
  throw new DomainError('ALREADY_ACKNOWLEDGED', `Already acknowledged at ${at.toISOString()}`, {
    details: [
      {
        message: 'acknowledged before with another note',
        acknowledgedAt: at.toISOString(),
        acknowledgedNote: existing,
      },
    ],
  });
}
