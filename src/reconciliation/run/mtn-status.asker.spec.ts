import { Logger } from '@nestjs/common';
import { DomainError } from '../../common/errors/domain-error';
import type { MomoClient } from '../../momo/client/momo-client';
import { MomoCallError } from '../../momo/client/momo-call.error';
import type { MomoStatus } from '../../momo/momo.types';
import type { MomoTransaction } from '../../transactions/momo-transaction.entity';
import { MtnStatusAsker } from './mtn-status.asker';

const TX = {
  id: '9d5c2a1b-6e4f-4a3b-8c7d-0e1f2a3b4c5d',
  product: 'collection',
  operation: 'requestToPay',
  country: 'UG',
} as MomoTransaction;
const SUCCESSFUL: MomoStatus = { status: 'SUCCESSFUL', rawStatus: 'SUCCESSFUL' };

function asker(...answers: (MomoStatus | Error)[]): { asker: MtnStatusAsker; calls: unknown[] } {
  const calls: unknown[] = [];
  const momo = {
    getStatus: (request: unknown) => {
      calls.push(request);
      const next = answers.shift();
      return next instanceof Error ? Promise.reject(next) : Promise.resolve(next!);
    },
  } as unknown as MomoClient;
  return { asker: new MtnStatusAsker(momo), calls };
}

describe('MtnStatusAsker', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('asks with background priority', async () => {
    const { asker: a, calls } = asker(SUCCESSFUL);
    await expect(a.ask(TX, new AbortController().signal)).resolves.toEqual({
      kind: 'status',
      status: SUCCESSFUL,
    });
    expect(calls).toEqual([
      {
        product: 'collection',
        operation: 'requestToPay',
        country: 'UG',
        referenceId: TX.id,
        priority: 'background',
      },
    ]);
  });

  it('waits out a refusal for budget and asks again: a refusal is not a call to MTN', async () => {
    const { asker: a, calls } = asker(
      new DomainError('RATE_LIMITED', 'no budget', { retryAfterSeconds: 3 }),
      SUCCESSFUL,
    );
    const answer = a.ask(TX, new AbortController().signal);
    await jest.advanceTimersByTimeAsync(2999);
    expect(calls).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    await expect(answer).resolves.toEqual({ kind: 'status', status: SUCCESSFUL });
    expect(calls).toHaveLength(2);
  });

  it('stops waiting when the replica stops', async () => {
    const { asker: a } = asker(
      new DomainError('RATE_LIMITED', 'no budget', { retryAfterSeconds: 30 }),
    );
    const stop = new AbortController();
    const answer = a.ask(TX, stop.signal);
    const settled = expect(answer).rejects.toMatchObject({ name: 'AbortError' });
    stop.abort();
    await settled;
  });

  it('turns a 404 into not-found and any other failure into an error with our code', async () => {
    const notFound = new MomoCallError('MTN_RESOURCE_NOT_FOUND', 'unknown', {
      kind: 'http',
      transient: false,
      httpStatus: 404,
    });
    const open = new DomainError('CIRCUIT_OPEN', 'open');
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const { asker: a } = asker(notFound, open, new Error('bug'));
    const signal = new AbortController().signal;
    await expect(a.ask(TX, signal)).resolves.toEqual({ kind: 'not-found' });
    await expect(a.ask(TX, signal)).resolves.toEqual({ kind: 'error', code: 'CIRCUIT_OPEN' });
    await expect(a.ask(TX, signal)).resolves.toEqual({ kind: 'error', code: 'INTERNAL_ERROR' });
    expect(logged).toHaveBeenCalledTimes(1);
    logged.mockRestore();
  });
});
