import type { ReconciliationItem } from '../entities/reconciliation-item.entity';
import type { ReconciliationRunCount } from '../entities/reconciliation-run-count.entity';
import type { ReconciliationRunTotal } from '../entities/reconciliation-run-total.entity';
import type { ReconciliationRun } from '../entities/reconciliation-run.entity';
import { outcomeTotals, toDetail, toDiscrepancyView } from './run.mapper';
import { renderProgressBar } from './progress-bar';
import { renderTextSummary } from './text-summary.renderer';
import { sampleRun } from './report.fixture';

const RUN: ReconciliationRun = {
  id: 'r1',
  kind: 'stale-pending',
  triggeredBy: 'api',
  windowKey: 'stale-pending',
  windowFrom: null,
  windowTo: new Date('2026-11-02T10:10:00.000Z'),
  scheduleSlot: null,
  status: 'RUNNING',
  statusReason: null,
  total: 4,
  processed: 2,
  owner: 'host:1:abc',
  resumedCount: 0,
  cursorProduct: null,
  cursorCreatedAt: null,
  cursorId: null,
  startedAt: new Date('2026-11-02T10:15:00.000Z'),
  heartbeatAt: new Date('2026-11-02T10:15:05.000Z'),
  finishedAt: null,
};

function count(
  product: 'collection' | 'disbursement',
  country: string,
  outcome: ReconciliationRunCount['outcome'],
  n: number,
): ReconciliationRunCount {
  return { runId: 'r1', product, country, outcome, count: n };
}

describe('outcomeTotals', () => {
  it('sums every product and country per outcome, zero for the absent ones', () => {
    expect(
      outcomeTotals([
        count('collection', 'UG', 'MATCHED', 2),
        count('disbursement', 'GH', 'MATCHED', 3),
        count('collection', 'UG', 'ERROR', 1),
      ]),
    ).toEqual({
      MATCHED: 5,
      REPAIRED: 0,
      MISMATCH: 0,
      MISSING_AT_MTN: 0,
      STILL_PENDING: 0,
      ERROR: 1,
    });
  });
});

describe('toDetail', () => {
  it('omits what is absent and keeps amounts as the exact strings the database summed', () => {
    const totals: ReconciliationRunTotal[] = [
      { runId: 'r1', side: 'gateway', currency: 'UGX', count: 2, amount: '100000000000000000001' },
    ];
    const view = toDetail(RUN, [count('collection', 'UG', 'MATCHED', 2)], totals, [], 0);
    expect(view).toMatchObject({
      id: 'r1',
      status: 'RUNNING',
      window: { to: '2026-11-02T10:10:00.000Z' },
      progress: { processed: 2, total: 4 },
      totals: [{ side: 'gateway', currency: 'UGX', count: 2, amount: '100000000000000000001' }],
      discrepancyCount: 0,
    });
    expect(view).not.toHaveProperty('finishedAt');
    expect(view).not.toHaveProperty('statusReason');
    expect(view.window).not.toHaveProperty('from');
  });
});

describe('toDiscrepancyView', () => {
  it("shows MTN's side without the values MTN did not give", () => {
    const item = {
      id: 'i1',
      runId: 'r1',
      transactionId: 't1',
      outcome: 'MISSING_AT_MTN',
      product: 'collection',
      operation: 'requestToPay',
      country: 'UG',
      statusBefore: 'PENDING',
      statusAfter: 'FAILED',
      amount: '1000',
      currency: 'UGX',
      mtnCurrency: 'EUR',
      externalId: 'E',
      financialTransactionId: null,
      mtnStatus: null,
      mtnReason: null,
      mtnAmount: null,
      mtnReportedCurrency: null,
      mtnExternalId: null,
      mtnFinancialTransactionId: null,
      differences: [],
      ageSeconds: 900,
      errorCode: null,
      note: 'closed as FAILED NOT_FOUND_AT_MTN',
      transactionDiscrepancyId: null,
      createdAt: new Date('2026-11-02T10:15:01.000Z'),
      acknowledgedAt: null,
      acknowledgedNote: null,
    } as ReconciliationItem;
    expect(toDiscrepancyView(item)).toEqual({
      id: 'i1',
      transactionId: 't1',
      outcome: 'MISSING_AT_MTN',
      product: 'collection',
      operation: 'requestToPay',
      country: 'UG',
      statusBefore: 'PENDING',
      statusAfter: 'FAILED',
      amount: '1000',
      currency: 'UGX',
      mtnCurrency: 'EUR',
      externalId: 'E',
      mtn: {},
      differences: [],
      ageSeconds: 900,
      note: 'closed as FAILED NOT_FOUND_AT_MTN',
      createdAt: '2026-11-02T10:15:01.000Z',
    });
  });
});

describe('CLI renderers', () => {
  it('draws a bar in proportion, never past full', () => {
    expect(renderProgressBar(0, 10, 10)).toBe('[----------] 0/10   0%');
    expect(renderProgressBar(5, 10, 10)).toBe('[#####-----] 5/10  50%');
    expect(renderProgressBar(12, 10, 10)).toBe('[##########] 12/10 100%');
    expect(renderProgressBar(0, 0, 10)).toBe('[----------] 0/0   0%');
  });

  it('prints outcomes, totals and the discrepancies in the summary', () => {
    const text = renderTextSummary(sampleRun()).join('\n');
    expect(text).toContain('COMPLETED');
    expect(text).toMatch(/MISMATCH\s+1/);
    expect(text).toContain('mtn     EUR  3025.50 (5)');
    expect(text).toContain('discrepancies: 1');
  });
});
