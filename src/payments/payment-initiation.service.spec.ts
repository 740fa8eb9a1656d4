import { DomainError } from '../common/errors/domain-error';
import { loadConfig } from '../config/app-config';
import type { MomoAccountsService } from '../momo/accounts/momo-accounts.service';
import type { BreakerService } from '../momo/breaker/breaker.service';
import type { MomoClient } from '../momo/client/momo-client';
import type { CountryRulesService } from '../momo/country-rules/country-rules.service';
import type { OutboundRateLimiter } from '../momo/rate-limit/outbound-rate-limiter.service';
import type { DailyLimitService } from '../momo/country-rules/daily-limit.service';
import type { MomoTransaction } from '../transactions/momo-transaction.entity';
import type { TransactionsService } from '../transactions/transactions.service';
import { PaymentInitiationService, type Initiation } from './payment-initiation.service';
import type { StatusSyncService } from './status-sync.service';

const refusal = new DomainError('CIRCUIT_OPEN', 'MTN collection is failing; calls are paused', {
  retryAfterSeconds: 42,
});
const spent = new DomainError('RATE_LIMITED', 'The MTN call budget for this minute is used up; try again shortly', {
  retryAfterSeconds: 17,
});
const stored = { id: '5f0e4f55-2f4c-4c39-9d1b-6f1f4f0f3a11', status: 'PENDING' } as MomoTransaction;

function setup(open: boolean, budgetSpent = false) {
  const rules = {
    normaliseMsisdn: jest.fn(() => ({ msisdn: '256774123456', country: 'UG' })),
    checkAmount: jest.fn(() => ({ amount: '1000', currency: 'UGX', minor: 1000n, kycLevel: 'basic' })),
    mtnCurrencyFor: jest.fn(() => 'EUR'),
  };
  const accounts = { resolve: jest.fn(() => ({ account: { id: 'default' } })) };
  const transactions = {
    replayFor: jest.fn(() => Promise.resolve(undefined)),
    createPending: jest.fn(() => Promise.resolve({ transaction: stored, replayed: true, callbackToken: 't' })),
  };
  const breakers = { refusalFor: jest.fn(() => (open ? refusal : undefined)) };
  const limiter = { refusalFor: jest.fn(() => (budgetSpent ? spent : undefined)) };
  const momo = { create: jest.fn() };
  const service = new PaymentInitiationService(
    loadConfig({}),
    rules as unknown as CountryRulesService,
    { reservation: () => ({ sql: '', parameters: [], refused: () => Promise.reject(new Error('refused')) }) } as unknown as DailyLimitService,
    accounts as unknown as MomoAccountsService,
    transactions as unknown as TransactionsService,
    momo as unknown as MomoClient,
    {} as StatusSyncService,
    breakers as unknown as BreakerService,
    limiter as unknown as OutboundRateLimiter,
  );
  return { service, transactions, breakers, limiter, momo };
}

const init: Initiation = {
  product: 'collection',
  operation: 'requestToPay',
  idempotencyKey: 'key-1',
  request: { amount: '1000', currency: 'UGX', phoneNumber: '256774123456', externalId: 'ORDER-1' },
};

describe('PaymentInitiationService, breaker open', () => {
  it('refuses with the breaker’s CIRCUIT_OPEN before storing anything', async () => {
    const { service, transactions, breakers, momo } = setup(true);
    await expect(service.initiate(init)).rejects.toBe(refusal);
    expect(breakers.refusalFor).toHaveBeenCalledWith('collection', 'default');
    expect(transactions.replayFor).toHaveBeenCalledWith('collection', {
      externalId: 'ORDER-1',
      idempotencyKey: 'key-1',
      request: init.request,
    });
    expect(transactions.createPending).not.toHaveBeenCalled();
    expect(momo.create).not.toHaveBeenCalled();
  });

  it('answers a repeated request with its earlier transaction', async () => {
    const { service, transactions } = setup(true);
    transactions.replayFor.mockResolvedValue({ transaction: stored, replayed: true, callbackToken: 't' } as never);
    await expect(service.initiate(init)).resolves.toEqual({ transaction: stored, replayed: true });
    expect(transactions.createPending).not.toHaveBeenCalled();
  });

  it('goes the normal way, without the extra read, when the breaker lets calls through', async () => {
    const { service, transactions } = setup(false);
    await expect(service.initiate(init)).resolves.toEqual({ transaction: stored, replayed: true });
    expect(transactions.replayFor).not.toHaveBeenCalled();
    expect(transactions.createPending).toHaveBeenCalledTimes(1);
  });
});

describe('PaymentInitiationService, MTN budget known to be spent', () => {
  it('refuses with RATE_LIMITED before storing anything', async () => {
    const { service, transactions, limiter, momo } = setup(false, true);
    await expect(service.initiate(init)).rejects.toBe(spent);
    expect(limiter.refusalFor).toHaveBeenCalledWith({ accountId: 'default', product: 'collection' });
    expect(transactions.createPending).not.toHaveBeenCalled();
    expect(momo.create).not.toHaveBeenCalled();
  });

  it('answers a repeated request with its earlier transaction', async () => {
    const { service, transactions } = setup(false, true);
    transactions.replayFor.mockResolvedValue({ transaction: stored, replayed: true, callbackToken: 't' } as never);
    await expect(service.initiate(init)).resolves.toEqual({ transaction: stored, replayed: true });
    expect(transactions.createPending).not.toHaveBeenCalled();
  });

  it('tells the breaker’s refusal first when both would refuse', async () => {
    const { service, limiter } = setup(true, true);
    await expect(service.initiate(init)).rejects.toBe(refusal);
    expect(limiter.refusalFor).not.toHaveBeenCalled();
  });
});
