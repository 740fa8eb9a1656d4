import { DomainError } from '../common/errors/domain-error';
import { decodeCursor, encodeCursor } from './transaction-cursor';

const POSITION = {
  createdAt: new Date('2025-11-26T18:25:03.123Z'),
  id: '7c4bd4a2-5f1e-4a8e-9a57-3d2f1e0b6c11',
};

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    return e instanceof DomainError ? e.code : 'not a DomainError';
  }
}

describe('transaction cursor', () => {
  it('decodes what it encodes', () => {
    expect(decodeCursor(encodeCursor(POSITION))).toEqual(POSITION);
  });

  it('is URL-safe', () => {
    expect(encodeCursor(POSITION)).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('refuses text that is not base64url', () => {
    expect(codeOf(() => decodeCursor('not a cursor!'))).toBe('VALIDATION_FAILED');
  });

  it('refuses a cursor without an id', () => {
    expect(
      codeOf(() => decodeCursor(Buffer.from('2025-11-26T18:25:03.123Z').toString('base64url'))),
    ).toBe('VALIDATION_FAILED');
  });

  it('refuses a cursor whose id is not a UUID', () => {
    const text = Buffer.from('2025-11-26T18:25:03.123Z|1; DROP TABLE x').toString('base64url');
    expect(codeOf(() => decodeCursor(text))).toBe('VALIDATION_FAILED');
  });

  it('refuses an impossible date', () => {
    const text = Buffer.from(`2025-02-30T00:00:00.000Z|${POSITION.id}`).toString('base64url');
    expect(codeOf(() => decodeCursor(text))).toBe('VALIDATION_FAILED');
  });

  it('names the cursor field in the error', () => {
    try {
      decodeCursor('x');
      throw new Error('expected a failure');
    } catch (e) {
      expect((e as DomainError).details).toEqual([expect.objectContaining({ field: 'cursor' })]);
    }
  });
});
