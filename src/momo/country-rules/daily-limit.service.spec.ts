import 'reflect-metadata';
import type { DataSource, EntityManager } from 'typeorm';
import { loadConfig } from '../../config/app-config';
import { CountryRulesService } from './country-rules.service';
import { DailyLimitService, utcDay, type ReserveParams } from './daily-limit.service';

/** Answers each query with the next canned rows and records what was asked. */
class FakeManager {
  readonly calls: { sql: string; parameters: string[] }[] = [];
  constructor(private readonly answers: unknown[][]) {}

  query(sql: string, parameters: string[]): Promise<unknown[]> {
    this.calls.push({ sql, parameters });
    return Promise.resolve(this.answers.shift() ?? []);
  }
}

const rules = new CountryRulesService(loadConfig({}));
const clock = { now: (): number => Date.parse('2026-03-01T23:59:59.999Z') };

function build(answers: unknown[][] = []): { service: DailyLimitService; manager: FakeManager } {
  const manager = new FakeManager(answers);
  const dataSource = { manager } as unknown as DataSource;
  return { service: new DailyLimitService(dataSource, rules, clock), manager };
}

const params: ReserveParams = {
  msisdn: '256774123456',
  country: 'UG',
  product: 'collection',
  currency: 'UGX',
  amountMinor: 1_000_000n,
};

describe('utcDay', () => {
  it('takes the UTC calendar day of a moment', () => {
    expect(utcDay(new Date('2026-03-01T23:30:00-02:00'))).toBe('2026-03-02');
  });

  it('keeps a day given as text', () => {
    expect(utcDay('2026-03-01')).toBe('2026-03-01');
  });

  it.each(['2026-3-1', '2026-02-30x', 'yesterday'])('refuses %j as a day', (day) => {
    expect(() => utcDay(day)).toThrow('Not a day');
  });
});

describe('DailyLimitService.reserve', () => {
  it('sends the key, the UTC day from the clock, the amount and the basic daily limit', async () => {
    const { service, manager } = build([[{ total_minor: '1000000', day: '2026-03-01' }]]);
    await service.reserve(params);
    expect(manager.calls[0]?.parameters).toEqual([
      '256774123456',
      'collection',
      'UGX',
      '2026-03-01',
      '1000000',
      '10000000',
    ]);
  });

  it('uses the daily limit of the payer’s KYC tier', async () => {
    const { service, manager } = build([[{ total_minor: '1000000', day: '2026-03-01' }]]);
    await service.reserve({ ...params, kycLevel: 'full' });
    expect(manager.calls[0]?.parameters[5]).toBe('50000000');
  });

  it('uses the day of the moment given instead of the clock', async () => {
    const { service, manager } = build([[{ total_minor: '1000000', day: '2026-02-28' }]]);
    await service.reserve({ ...params, at: new Date('2026-02-28T12:00:00Z') });
    expect(manager.calls[0]?.parameters[3]).toBe('2026-02-28');
  });

  it('runs on the manager it is given, so the caller’s transaction covers it', async () => {
    const { service, manager } = build();
    const own = new FakeManager([[{ total_minor: '1000000', day: '2026-03-01' }]]);
    await service.reserve(params, own as unknown as EntityManager);
    expect([own.calls.length, manager.calls.length]).toEqual([1, 0]);
  });

  it('reports what was used, the limit and what remains', async () => {
    const { service } = build([[{ total_minor: '3000000', day: '2026-03-01' }]]);
    await expect(service.reserve(params)).resolves.toEqual({
      day: '2026-03-01',
      currency: 'UGX',
      used: '3000000',
      usedMinor: 3_000_000n,
      limit: '10000000',
      remaining: '7000000',
    });
  });

  it('refuses with DAILY_LIMIT_EXCEEDED and the usage when no row comes back', async () => {
    const { service } = build([[], [{ total_minor: '9500000' }]]);
    await expect(service.reserve(params)).rejects.toMatchObject({
      code: 'DAILY_LIMIT_EXCEEDED',
      details: [
        {
          field: 'amount',
          limit: '10000000',
          used: '9500000',
          remaining: '500000',
          currency: 'UGX',
          day: '2026-03-01',
        },
      ],
    });
  });

  it('reports nothing used when a single amount is above the whole daily limit', async () => {
    const { service } = build([[], []]);
    await expect(service.reserve({ ...params, amountMinor: 10_000_001n })).rejects.toMatchObject({
      details: [{ used: '0', remaining: '10000000' }],
    });
  });

  it('never reports a negative remainder when the limit was lowered below the usage', async () => {
    const { service } = build([[], [{ total_minor: '12000000' }]]);
    await expect(service.reserve(params)).rejects.toMatchObject({ details: [{ remaining: '0' }] });
  });

  it('refuses a currency other than the country’s before touching the database', async () => {
    const { service, manager } = build();
    await expect(service.reserve({ ...params, currency: 'EUR' })).rejects.toMatchObject({
      code: 'CURRENCY_MISMATCH',
    });
    expect(manager.calls).toHaveLength(0);
  });

  it('refuses a zero amount', async () => {
    const { service } = build();
    await expect(service.reserve({ ...params, amountMinor: 0n })).rejects.toMatchObject({
      code: 'INVALID_AMOUNT',
    });
  });

  it('refuses an unsupported country', async () => {
    const { service } = build();
    await expect(service.reserve({ ...params, country: 'KE' })).rejects.toMatchObject({
      code: 'UNSUPPORTED_COUNTRY',
    });
  });
});

describe('DailyLimitService.release', () => {
  it('gives back on the day given, not on today', async () => {
    const { service, manager } = build([[{ total_minor: '0' }]]);
    await service.release({ ...params, day: '2026-02-27' });
    expect(manager.calls[0]?.parameters).toEqual([
      '256774123456',
      'collection',
      'UGX',
      '2026-02-27',
      '1000000',
    ]);
  });

  it('returns the usage left after the release', async () => {
    const { service } = build([[{ total_minor: '250' }]]);
    await expect(
      service.release({ ...params, currency: 'GHS', amountMinor: 100n, day: '2026-03-01' }),
    ).resolves.toMatchObject({
      used: '2.50',
    });
  });

  it('returns undefined when nothing was reserved for that key and day', async () => {
    const { service } = build([[]]);
    await expect(service.release({ ...params, day: '2026-03-01' })).resolves.toBeUndefined();
  });

  it('refuses a negative amount', async () => {
    const { service } = build();
    await expect(
      service.release({ ...params, amountMinor: -1n, day: '2026-03-01' }),
    ).rejects.toMatchObject({
      code: 'INVALID_AMOUNT',
    });
  });
});

describe('DailyLimitService.usage', () => {
  it('reads today’s usage by the clock', async () => {
    const { service, manager } = build([[{ total_minor: '42' }]]);
    const usage = await service.usage(params);
    expect([usage.used, manager.calls[0]?.parameters[3]]).toEqual(['42', '2026-03-01']);
  });
});
