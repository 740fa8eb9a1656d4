import type { MomoStatus } from '../../momo/momo.types';
import { sameDecimal, isDecimal } from './decimal';
import {
  classify,
  discrepancyKindOf,
  type MtnAnswer,
  type StoredRecord,
} from './outcome.classifier';

const NOW = new Date('2026-11-02T12:00:00.000Z');
const SETTINGS = { notFoundGraceMs: 600_000, failMissingPending: true };

function stored(overrides: Partial<StoredRecord> = {}): StoredRecord {
  return {
    status: 'SUCCESSFUL',
    amount: '1000',
    mtnCurrency: 'EUR',
    externalId: 'ORDER_1',
    financialTransactionId: '600198217',
    createdAt: new Date(NOW.getTime() - 3_600_000),
    ...overrides,
  };
}

function mtn(overrides: Partial<MomoStatus> = {}): MtnAnswer {
  return {
    kind: 'status',
    status: {
      status: 'SUCCESSFUL',
      rawStatus: overrides.status ?? 'SUCCESSFUL',
      amount: '1000.00',
      currency: 'EUR',
      externalId: 'ORDER_1',
      financialTransactionId: '600198217',
      ...overrides,
    },
  };
}

describe('classify', () => {
  it('MATCHED when MTN agrees on status, amount (by value), currency and externalId', () => {
    expect(classify(stored(), mtn(), NOW, SETTINGS)).toMatchObject({
      outcome: 'MATCHED',
      action: 'none',
      differences: [],
    });
  });

  it('compares the currency with the one MTN was sent, not the requested one (sandbox EUR)', () => {
    expect(
      classify(stored({ mtnCurrency: 'EUR' }), mtn({ currency: 'EUR' }), NOW, SETTINGS).outcome,
    ).toBe('MATCHED');
    expect(
      classify(stored({ mtnCurrency: 'UGX' }), mtn({ currency: 'EUR' }), NOW, SETTINGS),
    ).toMatchObject({
      outcome: 'MISMATCH',
      differences: [{ field: 'currency', ours: 'UGX', mtn: 'EUR' }],
    });
  });

  it('REPAIRED: PENDING here, final at MTN, applied', () => {
    expect(
      classify(stored({ status: 'PENDING', financialTransactionId: null }), mtn(), NOW, SETTINGS),
    ).toMatchObject({
      outcome: 'REPAIRED',
      action: 'apply',
    });
    expect(
      classify(
        stored({ status: 'PENDING' }),
        mtn({ status: 'FAILED', rawStatus: 'FAILED', reason: 'EXPIRED' }),
        NOW,
        SETTINGS,
      ),
    ).toMatchObject({
      outcome: 'REPAIRED',
      action: 'apply',
    });
  });

  it('MISMATCH but applied when a PENDING one settles at MTN for another amount', () => {
    expect(
      classify(
        stored({ status: 'PENDING', financialTransactionId: null }),
        mtn({ amount: '990' }),
        NOW,
        SETTINGS,
      ),
    ).toMatchObject({
      outcome: 'MISMATCH',
      action: 'apply',
      differences: [{ field: 'amount', ours: '1000', mtn: '990' }],
    });
  });

  it('MISMATCH, reported to the state machine (which never overwrites), when final statuses differ', () => {
    expect(
      classify(stored({ status: 'FAILED', financialTransactionId: null }), mtn(), NOW, SETTINGS),
    ).toMatchObject({
      outcome: 'MISMATCH',
      action: 'apply',
      differences: [{ field: 'status', ours: 'FAILED', mtn: 'SUCCESSFUL' }],
    });
  });

  it('MISMATCH, flagged only, when MTN says PENDING for a final one', () => {
    expect(
      classify(
        stored(),
        mtn({ status: 'PENDING', rawStatus: 'CREATED', financialTransactionId: undefined }),
        NOW,
        SETTINGS,
      ),
    ).toMatchObject({
      outcome: 'MISMATCH',
      action: 'none',
      differences: [{ field: 'status', ours: 'SUCCESSFUL', mtn: 'CREATED' }],
    });
  });

  it('MISMATCH on amount, externalId or financial id with the same final status', () => {
    expect(classify(stored(), mtn({ amount: '1000.01' }), NOW, SETTINGS)).toMatchObject({
      outcome: 'MISMATCH',
      action: 'none',
    });
    expect(classify(stored(), mtn({ externalId: 'OTHER' }), NOW, SETTINGS)).toMatchObject({
      outcome: 'MISMATCH',
      differences: [{ field: 'externalId', ours: 'ORDER_1', mtn: 'OTHER' }],
    });
    expect(classify(stored(), mtn({ financialTransactionId: '1' }), NOW, SETTINGS)).toMatchObject({
      outcome: 'MISMATCH',
      action: 'apply',
    });
  });

  it('MATCHED and applied when MTN adds the financial id we lacked', () => {
    expect(classify(stored({ financialTransactionId: null }), mtn(), NOW, SETTINGS)).toMatchObject({
      outcome: 'MATCHED',
      action: 'apply',
    });
  });

  it('ignores what MTN leaves out', () => {
    expect(
      classify(
        stored(),
        mtn({
          amount: undefined,
          currency: undefined,
          externalId: undefined,
          financialTransactionId: undefined,
        }),
        NOW,
        SETTINGS,
      ).outcome,
    ).toBe('MATCHED');
  });

  it('STILL_PENDING with its age when both sides are pending', () => {
    expect(
      classify(
        stored({ status: 'PENDING', createdAt: new Date(NOW.getTime() - 400_500) }),
        mtn({ status: 'PENDING', rawStatus: 'PENDING' }),
        NOW,
        SETTINGS,
      ),
    ).toMatchObject({
      outcome: 'STILL_PENDING',
      action: 'none',
      ageSeconds: 400,
    });
  });

  it('a 404 inside the grace period is "not known yet": STILL_PENDING for a PENDING one, ERROR for a final one', () => {
    const young = new Date(NOW.getTime() - 60_000);
    expect(
      classify(
        stored({ status: 'PENDING', createdAt: young }),
        { kind: 'not-found' },
        NOW,
        SETTINGS,
      ),
    ).toMatchObject({ outcome: 'STILL_PENDING', action: 'none' });
    expect(
      classify(stored({ createdAt: young }), { kind: 'not-found' }, NOW, SETTINGS),
    ).toMatchObject({ outcome: 'ERROR', errorCode: 'MTN_RESOURCE_NOT_FOUND' });
  });

  it('MISSING_AT_MTN after the grace period: a PENDING one is closed, a final one flagged', () => {
    expect(
      classify(stored({ status: 'PENDING' }), { kind: 'not-found' }, NOW, SETTINGS),
    ).toMatchObject({ outcome: 'MISSING_AT_MTN', action: 'close-missing' });
    expect(classify(stored(), { kind: 'not-found' }, NOW, SETTINGS)).toMatchObject({
      outcome: 'MISSING_AT_MTN',
      action: 'none',
    });
  });

  it('leaves a missing PENDING one alone when closing is turned off', () => {
    expect(
      classify(stored({ status: 'PENDING' }), { kind: 'not-found' }, NOW, {
        ...SETTINGS,
        failMissingPending: false,
      }),
    ).toMatchObject({
      outcome: 'MISSING_AT_MTN',
      action: 'none',
    });
  });

  it('ERROR with our code when MTN gave no usable answer', () => {
    expect(
      classify(stored(), { kind: 'error', code: 'CIRCUIT_OPEN' }, NOW, SETTINGS),
    ).toMatchObject({ outcome: 'ERROR', action: 'none', errorCode: 'CIRCUIT_OPEN' });
  });
});

describe('discrepancyKindOf', () => {
  it('names the weightiest difference', () => {
    expect(
      discrepancyKindOf([
        { field: 'externalId', ours: 'a', mtn: 'b' },
        { field: 'status', ours: 'FAILED', mtn: 'SUCCESSFUL' },
      ]),
    ).toBe('STATUS_CONFLICT');
    expect(
      discrepancyKindOf([
        { field: 'externalId', ours: 'a', mtn: 'b' },
        { field: 'currency', ours: 'EUR', mtn: 'USD' },
      ]),
    ).toBe('AMOUNT_MISMATCH');
    expect(discrepancyKindOf([{ field: 'externalId', ours: 'a', mtn: 'b' }])).toBe(
      'EXTERNAL_ID_MISMATCH',
    );
    expect(discrepancyKindOf([{ field: 'financialTransactionId', ours: '1', mtn: '2' }])).toBe(
      'FINANCIAL_ID_CONFLICT',
    );
  });
});

describe('decimals', () => {
  it('compares by value, exactly', () => {
    expect(sameDecimal('1000', '1000.00')).toBe(true);
    expect(sameDecimal('0012.50', '12.5')).toBe(true);
    expect(sameDecimal('0.1', '0.10000000000000000001')).toBe(false);
    expect(sameDecimal('99999999999999999.99', '99999999999999999.990')).toBe(true);
    expect(sameDecimal('1e3', '1000')).toBe(false);
    expect(sameDecimal('-1', '-1')).toBe(false);
  });

  it('accepts only plain non-negative decimals', () => {
    expect(isDecimal('12.50')).toBe(true);
    expect(isDecimal('12.')).toBe(false);
    expect(isDecimal(' 1')).toBe(false);
    expect(isDecimal(12)).toBe(false);
  });
});
