import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { DomainError, type ErrorDetail } from '../errors/domain-error';

function flatten(errors: ValidationError[], parent = ''): ErrorDetail[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/**
 * class-validator on every body and query, turned into VALIDATION_FAILED with one detail per
 * offending field. Unknown fields are refused: a typo in a payment request should not pass silently.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    validationError: { target: false, value: false },
    exceptionFactory: (errors: ValidationError[]) =>
      new DomainError('VALIDATION_FAILED', 'The request is not valid', { details: flatten(errors) }),
  });
}
