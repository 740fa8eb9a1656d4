import { BadRequestException, Logger, NotFoundException } from '@nestjs/common';
import { DomainError } from './domain-error';
import { toErrorResponse } from './domain-error.filter';

describe('toErrorResponse', () => {
  const logger = { error: jest.fn(), warn: jest.fn() } as unknown as Logger;

  it('maps a domain error to its status with code, details and retryability', () => {
    const r = toErrorResponse(
      new DomainError('AMOUNT_ABOVE_MAXIMUM', 'Too much', { details: [{ field: 'amount', message: 'at most 4000000' }] }),
      'req-1',
      logger,
    );
    expect(r.status).toBe(422);
    expect(r.body).toEqual({
      code: 'AMOUNT_ABOVE_MAXIMUM',
      message: 'Too much',
      details: [{ field: 'amount', message: 'at most 4000000' }],
      retryable: false,
      requestId: 'req-1',
    });
  });

  it('carries Retry-After for an open circuit', () => {
    const r = toErrorResponse(new DomainError('CIRCUIT_OPEN', 'open', { retryAfterSeconds: 42 }), 'r', logger);
    expect(r.status).toBe(503);
    expect(r.retryAfterSeconds).toBe(42);
    expect(r.body.retryable).toBe(true);
  });

  it('gives a 503 without a wait of its own a default Retry-After', () => {
    const r = toErrorResponse(new DomainError('SERVICE_UNAVAILABLE', 'MTN is down'), 'r', logger);
    expect(r.status).toBe(503);
    expect(r.retryAfterSeconds).toBeGreaterThan(0);
    expect(toErrorResponse(new DomainError('PAYER_NOT_FOUND', 'no'), 'r', logger).retryAfterSeconds).toBeUndefined();
  });

  it('turns an unknown route into NOT_FOUND', () => {
    const r = toErrorResponse(new NotFoundException('Cannot GET /x'), 'r', logger);
    expect(r).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
  });

  it('turns a framework 400 into VALIDATION_FAILED', () => {
    expect(toErrorResponse(new BadRequestException(), 'r', logger)).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
  });

  it('turns a Fastify body-too-large error into PAYLOAD_TOO_LARGE', () => {
    const err = Object.assign(new Error('Request body is too large'), { statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE' });
    expect(toErrorResponse(err, 'r', logger)).toMatchObject({ status: 413, body: { code: 'PAYLOAD_TOO_LARGE' } });
  });

  it('answers a lost database with 503 DATABASE_UNAVAILABLE', () => {
    const err = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(toErrorResponse(err, 'r', logger)).toMatchObject({ status: 503, retryAfterSeconds: 5, body: { code: 'DATABASE_UNAVAILABLE' } });
  });

  it('hides an unexpected error behind an errorId', () => {
    const r = toErrorResponse(new Error('secret stack detail: password=hunter2'), 'r', logger);
    expect(r.status).toBe(500);
    expect(r.body.code).toBe('INTERNAL_ERROR');
    expect(r.body.errorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(r.body)).not.toContain('hunter2');
    expect(logger.error).toHaveBeenCalledWith(expect.objectContaining({ errorId: r.body.errorId }), 'unexpected error');
  });
});
