import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PRODUCTS, type Product } from '../../common/product';
import {
  TRANSACTION_OPERATIONS,
  TRANSACTION_STATUSES,
  type TransactionOperation,
  type TransactionStatus,
} from '../../transactions/transaction.types';
import {
  OUTCOMES,
  RUN_KINDS,
  RUN_STATUSES,
  RUN_TRIGGERS,
  TOTAL_SIDES,
  type Outcome,
  type RunKind,
  type RunStatus,
  type RunTrigger,
  type TotalSide,
} from '../reconciliation.types';

/** The JSON detail lists at most this many discrepancies; the CSV lists them all. */
export const MAX_JSON_DISCREPANCIES = 1000;

const RUN_ID = '3b0f6d1e-5a7c-4f3e-9d2b-8c1a0e4f7b62';
const TX_ID = '9d5c2a1b-6e4f-4a3b-8c7d-0e1f2a3b4c5d';

export class RunWindowView {
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Inclusive; absent for stale-pending',
    example: '2026-11-01T00:00:00.000Z',
  })
  from?: string;

  @ApiProperty({
    format: 'date-time',
    description: 'Exclusive; for stale-pending the cutoff (created before it)',
    example: '2026-11-02T00:00:00.000Z',
  })
  to!: string;
}

export class RunProgressView {
  @ApiProperty({ example: 1250 }) processed!: number;
  @ApiProperty({
    description: 'Counted at the start; at completion, the records checked',
    example: 1250,
  })
  total!: number;
}

/** Records per outcome over the whole run (every outcome present, zero included). */
export class OutcomeTotalsView {
  @ApiProperty({ example: 1230 }) MATCHED!: number;
  @ApiProperty({ example: 12 }) REPAIRED!: number;
  @ApiProperty({ example: 2 }) MISMATCH!: number;
  @ApiProperty({ example: 1 }) MISSING_AT_MTN!: number;
  @ApiProperty({ example: 4 }) STILL_PENDING!: number;
  @ApiProperty({ example: 1 }) ERROR!: number;
}

export class OutcomeCountView {
  @ApiProperty({ enum: PRODUCTS, example: 'collection' }) product!: Product;
  @ApiProperty({ example: 'UG' }) country!: string;
  @ApiProperty({ enum: OUTCOMES, example: 'MATCHED' }) outcome!: Outcome;
  @ApiProperty({ example: 830 }) count!: number;
}

export class CurrencyTotalView {
  @ApiProperty({
    enum: TOTAL_SIDES,
    description:
      '`gateway`: our SUCCESSFUL rows after the run, in the requested currency; `mtn`: what MTN reported SUCCESSFUL, in its currency (EUR in the sandbox)',
    example: 'gateway',
  })
  side!: TotalSide;
  @ApiProperty({ example: 'UGX' }) currency!: string;
  @ApiProperty({ description: 'SUCCESSFUL transactions', example: 812 }) count!: number;
  @ApiProperty({ description: 'Exact decimal sum, a string', example: '41250000' }) amount!: string;
}

export class RunSummaryView {
  @ApiProperty({ format: 'uuid', example: RUN_ID }) id!: string;
  @ApiProperty({ enum: RUN_KINDS, example: 'daily' }) kind!: RunKind;
  @ApiProperty({ enum: RUN_TRIGGERS, example: 'schedule' }) triggeredBy!: RunTrigger;
  @ApiProperty({ enum: RUN_STATUSES, example: 'COMPLETED' }) status!: RunStatus;
  @ApiPropertyOptional({
    description: 'Why it FAILED or was ABANDONED, or that it was resumed',
    example:
      'resumed by gw-2:41:3f9a1c2e at record 400 of 1250: replica gw-1:40:9b2c4d1e stopped heartbeating at 2026-11-02T00:41:10.000Z',
  })
  statusReason?: string;
  @ApiProperty({ type: RunWindowView }) window!: RunWindowView;
  @ApiProperty({ format: 'date-time', example: '2026-11-02T00:30:00.012Z' }) startedAt!: string;
  @ApiPropertyOptional({ format: 'date-time', example: '2026-11-02T00:37:41.530Z' })
  finishedAt?: string;
  @ApiProperty({ format: 'date-time', example: '2026-11-02T00:37:41.530Z' }) heartbeatAt!: string;
  @ApiProperty({ example: 0 }) resumedCount!: number;
  @ApiProperty({ type: RunProgressView }) progress!: RunProgressView;
  @ApiProperty({ type: OutcomeTotalsView }) outcomes!: OutcomeTotalsView;
}

export class DifferenceView {
  @ApiProperty({
    enum: ['status', 'financialTransactionId', 'amount', 'currency', 'externalId'],
    example: 'amount',
  })
  field!: string;
  @ApiPropertyOptional({ description: 'Ours', example: '1000' }) ours?: string;
  @ApiPropertyOptional({ description: "MTN's", example: '990' }) mtn?: string;
}

export class MtnSideView {
  @ApiPropertyOptional({ description: "MTN's own status word", example: 'SUCCESSFUL' })
  status?: string;
  @ApiPropertyOptional({ example: 'APPROVAL_REJECTED' }) reason?: string;
  @ApiPropertyOptional({ example: '990' }) amount?: string;
  @ApiPropertyOptional({ example: 'EUR' }) currency?: string;
  @ApiPropertyOptional({ example: 'ORDER_12345' }) externalId?: string;
  @ApiPropertyOptional({ example: '600198217' }) financialTransactionId?: string;
}

/** A record the run did not find MATCHED. */
export class DiscrepancyView {
  @ApiProperty({
    format: 'uuid',
    description: 'Acknowledge with POST /v1/reconciliation/discrepancies/{id}/acknowledge',
    example: '5e2d1c0b-9a8f-4e7d-8c6b-5a4f3e2d1c0b',
  })
  id!: string;
  @ApiProperty({ format: 'uuid', example: TX_ID }) transactionId!: string;
  @ApiProperty({ enum: OUTCOMES.filter((o) => o !== 'MATCHED'), example: 'MISMATCH' })
  outcome!: Exclude<Outcome, 'MATCHED'>;
  @ApiProperty({ enum: PRODUCTS, example: 'collection' }) product!: Product;
  @ApiProperty({ enum: TRANSACTION_OPERATIONS, example: 'requestToPay' })
  operation!: TransactionOperation;
  @ApiProperty({ example: 'UG' }) country!: string;
  @ApiProperty({
    enum: TRANSACTION_STATUSES,
    description: 'Ours before the run',
    example: 'SUCCESSFUL',
  })
  statusBefore!: TransactionStatus;
  @ApiProperty({
    enum: TRANSACTION_STATUSES,
    description: 'Ours after the run',
    example: 'SUCCESSFUL',
  })
  statusAfter!: TransactionStatus;
  @ApiProperty({ example: '1000' }) amount!: string;
  @ApiProperty({ example: 'UGX' }) currency!: string;
  @ApiProperty({ description: 'The currency MTN was sent', example: 'EUR' }) mtnCurrency!: string;
  @ApiProperty({ example: 'ORDER_12345' }) externalId!: string;
  @ApiPropertyOptional({ example: '600198217' }) financialTransactionId?: string;
  @ApiProperty({ type: MtnSideView }) mtn!: MtnSideView;
  @ApiProperty({ type: [DifferenceView] }) differences!: DifferenceView[];
  @ApiProperty({ description: 'Age of the transaction when checked', example: 86400 })
  ageSeconds!: number;
  @ApiPropertyOptional({ description: 'ERROR: why MTN gave no answer', example: 'MTN_TIMEOUT' })
  errorCode?: string;
  @ApiPropertyOptional({ example: 'closed as FAILED NOT_FOUND_AT_MTN' }) note?: string;
  @ApiPropertyOptional({
    format: 'uuid',
    description: "The transactions core's record of the conflict, acknowledged with this one",
  })
  transactionDiscrepancyId?: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiPropertyOptional({ format: 'date-time' }) acknowledgedAt?: string;
  @ApiPropertyOptional({ example: 'MTN confirmed 990 was collected; customer refunded 10 by hand' })
  acknowledgedNote?: string;
}

export class RunDetailView extends RunSummaryView {
  @ApiProperty({
    type: [OutcomeCountView],
    description: 'Records per outcome, product and country',
  })
  counts!: OutcomeCountView[];
  @ApiProperty({ type: [CurrencyTotalView] }) totals!: CurrencyTotalView[];
  @ApiProperty({ description: 'Records not MATCHED', example: 8 }) discrepancyCount!: number;
  @ApiProperty({
    type: [DiscrepancyView],
    description: `The first ${MAX_JSON_DISCREPANCIES} records not MATCHED, most urgent outcome first; the CSV has them all`,
  })
  discrepancies!: DiscrepancyView[];
}

export class RunListView {
  @ApiProperty({ type: [RunSummaryView], description: 'Newest first' }) items!: RunSummaryView[];
}

export class AcknowledgementView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({
    enum: ['reconciliation-item', 'transaction-discrepancy'],
    description:
      "A run's discrepancy, or a transaction discrepancy recorded outside reconciliation (e.g. a callback)",
    example: 'reconciliation-item',
  })
  type!: 'reconciliation-item' | 'transaction-discrepancy';
  @ApiProperty({ format: 'uuid', example: TX_ID }) transactionId!: string;
  @ApiPropertyOptional({ format: 'uuid', example: RUN_ID }) runId?: string;
  @ApiProperty({ example: 'MISMATCH' }) kind!: string;
  @ApiProperty({ format: 'date-time' }) acknowledgedAt!: string;
  @ApiProperty({ example: 'MTN confirmed 990 was collected; customer refunded 10 by hand' })
  acknowledgedNote!: string;
}

export class StartedRunView extends RunSummaryView {
  @ApiProperty({
    description:
      'False when a run of the same window was already RUNNING (on any replica): that run is returned and nothing new started',
    example: true,
  })
  created!: boolean;
}
