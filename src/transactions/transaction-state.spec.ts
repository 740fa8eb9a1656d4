import { decideStatus, type StatusDecision } from './transaction-state';
import { TRANSACTION_STATUSES, type TransactionStatus } from './transaction.types';

const ID = '600198217';
const OTHER_ID = '1927264368';

describe('decideStatus', () => {
  describe('from PENDING', () => {
    it('moves to SUCCESSFUL on a SUCCESSFUL report', () => {
      expect(
        decideStatus({ status: 'PENDING', financialTransactionId: null }, { status: 'SUCCESSFUL' }),
      ).toEqual({
        kind: 'transition',
        to: 'SUCCESSFUL',
      });
    });

    it('moves to FAILED on a FAILED report', () => {
      expect(
        decideStatus({ status: 'PENDING', financialTransactionId: null }, { status: 'FAILED' }),
      ).toEqual({
        kind: 'transition',
        to: 'FAILED',
      });
    });

    it('changes nothing on a PENDING report', () => {
      expect(
        decideStatus({ status: 'PENDING', financialTransactionId: null }, { status: 'PENDING' }),
      ).toEqual({
        kind: 'still-pending',
      });
    });
  });

  describe('from a final status', () => {
    it.each(['SUCCESSFUL', 'FAILED'] as const)('ignores a late PENDING report on %s', (status) => {
      expect(decideStatus({ status, financialTransactionId: null }, { status: 'PENDING' })).toEqual(
        { kind: 'stale' },
      );
    });

    it.each(['SUCCESSFUL', 'FAILED'] as const)(
      'treats the same %s again as a duplicate',
      (status) => {
        expect(decideStatus({ status, financialTransactionId: null }, { status })).toEqual({
          kind: 'duplicate',
        });
      },
    );

    it('treats the same status and financialTransactionId as a duplicate', () => {
      expect(
        decideStatus(
          { status: 'SUCCESSFUL', financialTransactionId: ID },
          { status: 'SUCCESSFUL', financialTransactionId: ID },
        ),
      ).toEqual({ kind: 'duplicate' });
    });

    it('treats a report without financialTransactionId as a duplicate of one that has it', () => {
      expect(
        decideStatus(
          { status: 'SUCCESSFUL', financialTransactionId: ID },
          { status: 'SUCCESSFUL', financialTransactionId: null },
        ),
      ).toEqual({ kind: 'duplicate' });
    });

    it('adds a financialTransactionId the row still lacks', () => {
      expect(
        decideStatus(
          { status: 'SUCCESSFUL', financialTransactionId: null },
          { status: 'SUCCESSFUL', financialTransactionId: ID },
        ),
      ).toEqual({ kind: 'enrich' });
    });

    it('reports a different financialTransactionId as a conflict', () => {
      expect(
        decideStatus(
          { status: 'SUCCESSFUL', financialTransactionId: ID },
          { status: 'SUCCESSFUL', financialTransactionId: OTHER_ID },
        ),
      ).toEqual({ kind: 'conflict', on: 'financialTransactionId' });
    });

    it('reports FAILED after SUCCESSFUL as a conflict', () => {
      expect(
        decideStatus({ status: 'SUCCESSFUL', financialTransactionId: ID }, { status: 'FAILED' }),
      ).toEqual({
        kind: 'conflict',
        on: 'status',
      });
    });

    it('reports SUCCESSFUL after FAILED as a conflict', () => {
      expect(
        decideStatus(
          { status: 'FAILED', financialTransactionId: null },
          { status: 'SUCCESSFUL', financialTransactionId: ID },
        ),
      ).toEqual({ kind: 'conflict', on: 'status' });
    });
  });

  describe('over every pair of statuses', () => {
    const pairs = TRANSACTION_STATUSES.flatMap((current) =>
      TRANSACTION_STATUSES.flatMap((reported) =>
        [null, ID].flatMap((currentId) =>
          [undefined, null, ID, OTHER_ID].map((reportedId) => ({
            current,
            reported,
            currentId,
            reportedId,
          })),
        ),
      ),
    );
    const changesStatus = (d: StatusDecision, current: TransactionStatus): boolean =>
      d.kind === 'transition' && d.to !== current;

    it.each(pairs)(
      'only PENDING ever changes status ($current ← $reported)',
      ({ current, reported, currentId, reportedId }) => {
        const decision = decideStatus(
          { status: current, financialTransactionId: currentId },
          { status: reported, financialTransactionId: reportedId },
        );
        expect(changesStatus(decision, current)).toBe(
          current === 'PENDING' && reported !== 'PENDING',
        );
      },
    );

    it.each(pairs)(
      'never transitions to PENDING ($current ← $reported)',
      ({ current, reported, currentId, reportedId }) => {
        const decision = decideStatus(
          { status: current, financialTransactionId: currentId },
          { status: reported, financialTransactionId: reportedId },
        );
        expect(decision.kind === 'transition' && (decision.to as string) === 'PENDING').toBe(false);
      },
    );
  });
});
