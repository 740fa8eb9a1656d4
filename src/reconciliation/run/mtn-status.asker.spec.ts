import { Logger } from '@nestjs/common';
import { DomainError } from '../../common/errors/domain-error';
import type { MomoClient } from '../../momo/client/momo-client';
import { MomoCallError } from '../../momo/client/momo-call.error';
import type { MomoStatus } from '../../momo/momo.types';
import type { MomoTransaction } from '../../transactions/momo-transaction.entity';
import { MtnStatusAsker } from './mtn-status.asker';

/** The asker's waits, recorded instead of slept; a held wait ends only when its signal aborts. */
const mockSleep = { waits: [] as number[], hold: false };
jest.mock('node:timers/promises', () => ({
  setTimeout: (ms: number, _value: unknown, options?: { signal?: AbortSignal }) => {
    mockSleep.waits.push(ms);
    const aborted = () => Object.assign(new Error('aborted'), { name: 'AbortError' });
    if (options?.signal?.aborted) return Promise.reject(aborted());
    if (!mockSleep.hold) return Promise.resolve();
    return new Promise((_resolve, reject) =>
      options?.signal?.addEventListener('abort', () => reject(aborted())),
    );
  },
}));

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
  beforeEach(() => {
    mockSleep.waits = [];
    mockSleep.hold = false;
  });

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
    await expect(a.ask(TX, new AbortController().signal)).resolves.toEqual({
      kind: 'status',
      status: SUCCESSFUL,
    });
    expect(mockSleep.waits).toEqual([3000]);
    expect(calls).toHaveLength(2);
  });

  it('waits out an open breaker and asks again: its refusal is not MTN’s answer', async () => {
    const { asker: a, calls } = asker(
      new DomainError('CIRCUIT_OPEN', 'open', { retryAfterSeconds: 2 }),
      new DomainError('CIRCUIT_OPEN', 'trial in flight', { retryAfterSeconds: 1 }),
      SUCCESSFUL,
    );
    await expect(a.ask(TX, new AbortController().signal)).resolves.toEqual({
      kind: 'status',
      status: SUCCESSFUL,
    });
    expect(mockSleep.waits).toEqual([2000, 1000]);
    expect(calls).toHaveLength(3);
  });

  it('never waits longer than a minute at a time', async () => {
    const { asker: a } = asker(
      new DomainError('CIRCUIT_OPEN', 'open', { retryAfterSeconds: 600 }),
      SUCCESSFUL,
    );
    await a.ask(TX, new AbortController().signal);
    expect(mockSleep.waits).toEqual([60_000]);
  });

  it('stops waiting when the replica stops', async () => {
    mockSleep.hold = true;
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
    const down = new MomoCallError('MTN_UNAVAILABLE', 'down', {
      kind: 'http',
      transient: true,
      httpStatus: 503,
    });
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const { asker: a } = asker(notFound, down, new Error('bug'));
    const signal = new AbortController().signal;
    await expect(a.ask(TX, signal)).resolves.toEqual({ kind: 'not-found' });
    await expect(a.ask(TX, signal)).resolves.toEqual({ kind: 'error', code: 'MTN_UNAVAILABLE' });
    await expect(a.ask(TX, signal)).resolves.toEqual({ kind: 'error', code: 'INTERNAL_ERROR' });
    expect(logged).toHaveBeenCalledTimes(1);
    logged.mockRestore();
  });
});
