import { randomUUID } from 'node:crypto';
import { BreakerService, type BreakerTransition } from '../../src/momo/breaker/breaker.service';
import type { CreateRequest } from '../../src/momo/momo.types';
import {
  addFault,
  clearFaults,
  emulatorRequests,
  startHarness,
  type Harness,
} from './momo-harness';

const payer = { partyIdType: 'MSISDN', partyId: '256774123456' };

const requestToPay = (): CreateRequest => ({
  product: 'collection',
  operation: 'requestToPay',
  country: 'UG',
  referenceId: randomUUID(),
  body: { amount: '10', currency: 'EUR', externalId: 'b-1', payer },
});

const transfer = (): CreateRequest => ({
  product: 'disbursement',
  operation: 'transfer',
  country: 'UG',
  referenceId: randomUUID(),
  body: { amount: '10', currency: 'EUR', externalId: 't-1', payee: payer },
});

/**
 * One breaker life, in order: five consecutive failures open Collection's breaker; while open it
 * fails fast and Disbursement is untouched; 60 s later on the test's clock one trial call goes
 * through, fails and reopens; 60 s after that a successful trial closes it.
 */
describe('the Collection circuit breaker against the emulator', () => {
  let h: Harness;
  let breakers: BreakerService;
  const transitions: string[] = [];
  const posts = async () =>
    (await emulatorRequests(h.emulator, { method: 'POST', path: '/collection/v1_0/requesttopay' }))
      .length;
  const collection = () => breakers.getStates().find((s) => s.product === 'collection');

  beforeAll(async () => {
    h = await startHarness();
    breakers = h.moduleRef.get(BreakerService);
    breakers.onStateChange((t: BreakerTransition) =>
      transitions.push(`${t.product}: ${t.from} -> ${t.to}`),
    );
    // A token first, so that only request-to-pay fails below.
    await h.client.getBalance({ product: 'collection', country: 'UG' });
    await addFault(h.emulator, {
      kind: 'error',
      status: 503,
      pathPrefix: '/collection/v1_0/requesttopay',
    });
  });
  afterAll(async () => {
    await h.close();
  });

  it('lists a closed breaker per configured product from the start', () => {
    expect(breakers.getStates().map((s) => `${s.product}/${s.accountId}/${s.state}`)).toEqual([
      'collection/default/closed',
      'disbursement/default/closed',
      'remittance/default/closed',
    ]);
  });

  it('opens after five consecutive failed attempts and stops the retries at once', async () => {
    await expect(h.client.create(requestToPay())).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      attempt: 3,
    });
    await expect(h.client.create(requestToPay())).rejects.toMatchObject({
      code: 'CIRCUIT_OPEN',
      retryAfterSeconds: 60,
    });
    await expect(posts()).resolves.toBe(5);
    expect(collection()).toMatchObject({ state: 'open', retryAfterSeconds: 60 });
  });

  it('fails calls at once while open, without calling MTN', async () => {
    h.clock.advance(30_000);
    await expect(h.client.create(requestToPay())).rejects.toMatchObject({
      code: 'CIRCUIT_OPEN',
      retryAfterSeconds: 30,
    });
    await expect(posts()).resolves.toBe(5);
  });

  it('leaves Disbursement working while Collection is open', async () => {
    await expect(h.client.create(transfer())).resolves.toMatchObject({ attempts: 1 });
    expect(breakers.getStates().find((s) => s.product === 'disbursement')?.state).toBe('closed');
  });

  it('is half-open once 60 s have passed on the clock', () => {
    h.clock.advance(30_000);
    expect(collection()?.state).toBe('half-open');
  });

  it('opens again when the one trial call fails', async () => {
    await expect(h.client.create(requestToPay())).rejects.toMatchObject({ code: 'CIRCUIT_OPEN' });
    await expect(posts()).resolves.toBe(6);
    expect(collection()).toMatchObject({ state: 'open', retryAfterSeconds: 60 });
  });

  it('closes when a trial call succeeds after the next open period', async () => {
    h.clock.advance(60_000);
    await clearFaults(h.emulator);
    await expect(h.client.create(requestToPay())).resolves.toMatchObject({ attempts: 1 });
    expect(collection()?.state).toBe('closed');
    expect(transitions).toEqual([
      'collection: closed -> open',
      'collection: open -> half-open',
      'collection: half-open -> open',
      'collection: open -> half-open',
      'collection: half-open -> closed',
    ]);
  });
});
