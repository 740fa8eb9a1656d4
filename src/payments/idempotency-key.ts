import { DomainError } from '../common/errors/domain-error';

const KEY = /^[A-Za-z0-9._:-]{1,128}$/;

/** The optional `Idempotency-Key` header: 1–128 characters of letters, digits and . _ : - */
export function idempotencyKeyOf(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || !KEY.test(value)) {
    throw new DomainError('VALIDATION_FAILED', 'The request is not valid', {
      details: [{ field: 'Idempotency-Key', message: 'Idempotency-Key must be 1-128 characters of letters, digits and . _ : -' }],
    });
  }
  return value;
}
