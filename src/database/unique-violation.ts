import { QueryFailedError } from 'typeorm';

/** The constraint a statement broke when it failed on a unique index (23505); undefined otherwise. */
export function uniqueViolation(err: unknown): string | undefined {
  if (!(err instanceof QueryFailedError)) return undefined;
  const driver = err.driverError as { code?: unknown; constraint?: unknown };
  return driver.code === '23505' && typeof driver.constraint === 'string'
    ? driver.constraint
    : undefined;
}
