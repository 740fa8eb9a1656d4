import type { DiscrepancyView, RunDetailView } from './run.views';

/** A run as the reports service builds it, for the renderers' specs. */
export function sampleRun(
  overrides: Partial<RunDetailView> = {},
  discrepancies: DiscrepancyView[] = [sampleDiscrepancy()],
): RunDetailView {
  return {
    id: '3b0f6d1e-5a7c-4f3e-9d2b-8c1a0e4f7b62',
    kind: 'daily',
    triggeredBy: 'schedule',
    status: 'COMPLETED',
    window: { from: '2026-11-01T00:00:00.000Z', to: '2026-11-02T00:00:00.000Z' },
    startedAt: '2026-11-02T00:30:00.012Z',
    finishedAt: '2026-11-02T00:31:10.500Z',
    heartbeatAt: '2026-11-02T00:31:10.500Z',
    resumedCount: 0,
    progress: { processed: 5, total: 5 },
    outcomes: {
      MATCHED: 3,
      REPAIRED: 1,
      MISMATCH: 1,
      MISSING_AT_MTN: 0,
      STILL_PENDING: 0,
      ERROR: 0,
    },
    counts: [
      { product: 'collection', country: 'UG', outcome: 'MATCHED', count: 2 },
      { product: 'collection', country: 'UG', outcome: 'MISMATCH', count: 1 },
      { product: 'disbursement', country: 'GH', outcome: 'MATCHED', count: 1 },
      { product: 'disbursement', country: 'GH', outcome: 'REPAIRED', count: 1 },
    ],
    totals: [
      { side: 'gateway', currency: 'GHS', count: 2, amount: '25.50' },
      { side: 'gateway', currency: 'UGX', count: 3, amount: '3000' },
      { side: 'mtn', currency: 'EUR', count: 5, amount: '3025.50' },
    ],
    discrepancyCount: discrepancies.length,
    discrepancies,
    ...overrides,
  };
}

export function sampleDiscrepancy(overrides: Partial<DiscrepancyView> = {}): DiscrepancyView {
  return {
    id: '5e2d1c0b-9a8f-4e7d-8c6b-5a4f3e2d1c0b',
    transactionId: '9d5c2a1b-6e4f-4a3b-8c7d-0e1f2a3b4c5d',
    outcome: 'MISMATCH',
    product: 'collection',
    operation: 'requestToPay',
    country: 'UG',
    statusBefore: 'SUCCESSFUL',
    statusAfter: 'SUCCESSFUL',
    amount: '1000',
    currency: 'UGX',
    mtnCurrency: 'EUR',
    externalId: 'ORDER_1',
    financialTransactionId: '600198217',
    mtn: {
      status: 'SUCCESSFUL',
      amount: '990',
      currency: 'EUR',
      externalId: 'ORDER_1',
      financialTransactionId: '600198217',
    },
    differences: [{ field: 'amount', ours: '1000', mtn: '990' }],
    ageSeconds: 86_400,
    transactionDiscrepancyId: '11111111-2222-4333-8444-555555555555',
    createdAt: '2026-11-02T00:30:01.000Z',
    ...overrides,
  };
}
