import { DomainError } from '../common/errors/domain-error';
import { isUuid } from './uuid';

/** A position in the list order (created_at desc, id desc): the last item of a page. */
export interface TransactionCursor {
  createdAt: Date;
  id: string;
}

/**
 * Opaque to callers: base64url of `<ISO created_at>|<id>`. Timestamps are stored with millisecond
 * precision, the same as a JS Date, so the cursor compares exactly with the stored value.
 */
export function encodeCursor(cursor: TransactionCursor): string {
  return Buffer.from(`${cursor.createdAt.toISOString()}|${cursor.id}`, 'utf8').toString(
    'base64url',
  );
}

export function decodeCursor(text: string): TransactionCursor {
  const invalid = (): DomainError =>
    new DomainError('VALIDATION_FAILED', 'The cursor is not valid', {
      details: [{ field: 'cursor', message: 'use the nextCursor of a previous page as it is' }],
    });
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(text)) throw invalid();
  const [iso, id, ...rest] = Buffer.from(text, 'base64url').toString('utf8').split('|');
  if (iso === undefined || id === undefined || rest.length > 0 || !isUuid(id)) throw invalid();
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(iso)) throw invalid();
  const createdAt = new Date(iso);
  if (Number.isNaN(createdAt.getTime()) || createdAt.toISOString() !== iso) throw invalid();
  return { createdAt, id };
}
