import 'reflect-metadata';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '../../src/common/errors/domain-error';
import { loadConfig } from '../../src/config/app-config';
import { ConfigModule } from '../../src/config/config.module';
import { pendingSchemaChanges } from '../../src/database/migrate';
import { typeOrmOptions } from '../../src/database/typeorm-options';
import { CountryRulesService } from '../../src/momo/country-rules/country-rules.service';
import {
  DailyLimitService,
  type ReserveParams,
} from '../../src/momo/country-rules/daily-limit.service';
import { DailyUsageEntity } from '../../src/momo/country-rules/daily-usage.entity';
import { MOMO_CLOCK } from '../../src/momo/time/clock';
import { createTestDatabase, type TestDatabase } from '../support/database';

/** Five replicas, each with its own pool, as five gateway processes would have. */
const REPLICAS = 5;
const rules = new CountryRulesService(loadConfig({}));

let db: TestDatabase;
let replicas: DataSource[];
let services: DailyLimitService[];
let service: DailyLimitService;
let nextMsisdn = 256770000000;

function dataSource(url: string, poolSize: number): DataSource {
  // Only this table's entity: the SQL is raw, and other features' entities are not this suite's concern.
  return new DataSource({
    ...typeOrmOptions(url, poolSize),
    entities: [DailyUsageEntity],
    migrations: [],
  });
}

/** A fresh Ugandan payer per test, so tests share the database but never a usage row. */
function uganda(amountMinor: bigint, extra: Partial<ReserveParams> = {}): ReserveParams {
  nextMsisdn += 1;
  return {
    msisdn: String(nextMsisdn),
    country: 'UG',
    product: 'collection',
    currency: 'UGX',
    amountMinor,
    ...extra,
  };
}

async function usedOf(params: ReserveParams, day?: string): Promise<string> {
  return (await service.usage(params, day)).used;
}

beforeAll(async () => {
  db = await createTestDatabase();
  replicas = await Promise.all(
    Array.from({ length: REPLICAS }, () => dataSource(db.url, 10).initialize()),
  );
  services = replicas.map((ds) => new DailyLimitService(ds, rules));
  service = services[0]!;
});

afterAll(async () => {
  await Promise.all((replicas ?? []).map((ds) => ds.destroy()));
  await db?.drop();
});

describe('daily_usage schema', () => {
  it('matches the entities exactly after the migrations', async () => {
    await expect(pendingSchemaChanges(db.url)).resolves.toEqual([]);
  });
});

describe('DailyLimitService on PostgreSQL', () => {
  it('accepts a reservation under the limit and records it', async () => {
    const params = uganda(4_000_000n);
    await expect(service.reserve(params)).resolves.toMatchObject({
      used: '4000000',
      limit: '10000000',
      remaining: '6000000',
    });
    await expect(usedOf(params)).resolves.toBe('4000000');
  });

  it('accepts a reservation that reaches the limit exactly', async () => {
    const params = uganda(4_000_000n);
    await service.reserve(params);
    await service.reserve(params);
    await expect(service.reserve({ ...params, amountMinor: 2_000_000n })).resolves.toMatchObject({
      remaining: '0',
    });
  });

  it('refuses a reservation that would go over the limit, with the usage in the details', async () => {
    const params = uganda(4_000_000n);
    await service.reserve(params);
    await service.reserve(params);
    await expect(service.reserve(params)).rejects.toMatchObject({
      code: 'DAILY_LIMIT_EXCEEDED',
      details: [{ limit: '10000000', used: '8000000', remaining: '2000000', currency: 'UGX' }],
    });
  });

  it('leaves the usage unchanged when it refuses', async () => {
    const params = uganda(4_000_000n);
    await service.reserve(params);
    await service.reserve(params);
    await service.reserve(params).catch(() => undefined);
    await expect(usedOf(params)).resolves.toBe('8000000');
  });

  it('refuses a first amount larger than the whole daily limit without recording a row', async () => {
    const params = uganda(10_000_001n);
    await expect(service.reserve(params)).rejects.toMatchObject({ code: 'DAILY_LIMIT_EXCEEDED' });
    await expect(
      replicas[0]!.query('SELECT 1 FROM daily_usage WHERE msisdn = $1', [params.msisdn]),
    ).resolves.toEqual([]);
  });

  it('applies the higher daily limit of a fully verified payer', async () => {
    const params = uganda(4_000_000n, { kycLevel: 'full' });
    for (let i = 0; i < 3; i += 1) await service.reserve(params);
    await expect(usedOf(params)).resolves.toBe('12000000');
  });

  it('gives a released amount back for new reservations', async () => {
    const params = uganda(4_000_000n);
    const first = await service.reserve(params);
    await service.reserve(params);
    await service.release({ ...params, day: first.day });
    await expect(service.reserve(params)).resolves.toMatchObject({ used: '8000000' });
  });

  it('never takes the usage below zero on a mistaken double release', async () => {
    const params = uganda(1_000_000n);
    const first = await service.reserve(params);
    await service.release({ ...params, day: first.day });
    await expect(service.release({ ...params, day: first.day })).resolves.toMatchObject({
      used: '0',
    });
  });

  it('keeps each product’s usage apart', async () => {
    const params = uganda(10_000_000n);
    await service.reserve(params);
    await expect(service.reserve({ ...params, product: 'disbursement' })).resolves.toMatchObject({
      used: '10000000',
    });
  });

  it('starts afresh on the next UTC day', async () => {
    const params = uganda(10_000_000n);
    await service.reserve({ ...params, at: new Date('2026-05-01T23:59:59.999Z') });
    await expect(
      service.reserve({ ...params, at: new Date('2026-05-02T00:00:00.000Z') }),
    ).resolves.toMatchObject({
      day: '2026-05-02',
    });
  });

  it('takes "today" from the injected clock', async () => {
    const clocked = new DailyLimitService(replicas[0]!, rules, {
      now: () => Date.parse('2027-01-15T08:00:00Z'),
    });
    const params = uganda(1_000_000n);
    await clocked.reserve(params);
    await expect(usedOf(params, '2027-01-15')).resolves.toBe('1000000');
  });

  it("gives the reservation as a statement of the database's day, whatever the app's clock says, and its refusal", async () => {
    const clocked = new DailyLimitService(replicas[0]!, rules, {
      now: () => Date.parse('2031-03-03T23:59:59.999Z'),
    });
    const params = uganda(1_000_000n);
    const taken = clocked.reservation(params);
    const rows = await replicas[0]!.query<{ total_minor: string; day: string }[]>(
      taken.sql,
      taken.parameters,
    );
    const [today] = await replicas[0]!.query<{ day: string }[]>(
      `SELECT to_char((CURRENT_TIMESTAMP AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day`,
    );
    expect(rows).toEqual([{ total_minor: '1000000', day: today!.day }]);
    expect(today!.day).not.toBe('2031-03-03');

    const tooMuch = clocked.reservation({ ...params, amountMinor: 1_000_000_000_000n });
    await expect(replicas[0]!.query(tooMuch.sql, tooMuch.parameters)).resolves.toEqual([]);
    const refusal = await tooMuch.refused().catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(DomainError);
    expect((refusal as DomainError).code).toBe('DAILY_LIMIT_EXCEEDED');
    expect((refusal as DomainError).details?.[0]).toMatchObject({
      day: today!.day,
      used: '1000000',
    });
    await expect(usedOf(params, today!.day)).resolves.toBe('1000000');
  });

  it('keeps decimal currencies exact in minor units', async () => {
    const params: ReserveParams = {
      ...uganda(1_999_999n),
      msisdn: `233${nextMsisdn}`.slice(0, 12),
      country: 'GH',
      currency: 'GHS',
    };
    await service.reserve(params);
    await expect(service.reserve({ ...params, amountMinor: 3_000_001n })).resolves.toMatchObject({
      used: '50000',
      remaining: '0',
    });
  });

  it('forgets a reservation made in a transaction that rolls back', async () => {
    const params = uganda(4_000_000n);
    await replicas[0]!
      .transaction(async (manager) => {
        await service.reserve(params, manager);
        throw new Error('storing the payment failed');
      })
      .catch(() => undefined);
    await expect(usedOf(params)).resolves.toBe('0');
  });

  it('keeps a reservation made in a transaction that commits', async () => {
    const params = uganda(4_000_000n);
    await replicas[0]!.transaction((manager) => service.reserve(params, manager));
    await expect(usedOf(params)).resolves.toBe('4000000');
  });

  it('lets exactly 10 of 50 concurrent reservations through on 5 replicas when the limit allows 10', async () => {
    const params = uganda(1_000_000n);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => services[i % REPLICAS]!.reserve(params)),
    );
    const refused = outcomes
      .filter((o) => o.status === 'rejected')
      .map((o) => (o.reason as DomainError).code);
    expect([outcomes.length - refused.length, new Set(refused)]).toEqual([
      10,
      new Set(['DAILY_LIMIT_EXCEEDED']),
    ]);
  });

  it('ends at exactly the limit after 50 concurrent reservations on 5 replicas', async () => {
    const params = uganda(1_000_000n);
    await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => services[i % REPLICAS]!.reserve(params)),
    );
    await expect(usedOf(params)).resolves.toBe('10000000');
  });

  it('never exceeds the limit when concurrent reservations and releases mix', async () => {
    const params = uganda(1_000_000n);
    const today = (await service.usage(params)).day;
    await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        i % 5 === 4
          ? services[i % REPLICAS]!.release({ ...params, day: today })
          : services[i % REPLICAS]!.reserve(params),
      ),
    );
    const used = BigInt((await service.usage(params)).usedMinor);
    expect(used >= 0n && used <= 10_000_000n).toBe(true);
  });

  it('purges the days before the one given', async () => {
    const params = uganda(1_000_000n);
    await service.reserve({ ...params, at: new Date('2020-01-01T12:00:00Z') });
    await service.purgeBefore('2020-01-02');
    await expect(usedOf(params, '2020-01-01')).resolves.toBe('0');
  });
});

describe('Nest wiring', () => {
  it('resolves DailyLimitService with the TypeORM DataSource and the MoMo clock', async () => {
    const config = loadConfig({});
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot(config),
        TypeOrmModule.forRoot({
          ...typeOrmOptions(db.url, 2),
          entities: [DailyUsageEntity],
          migrations: [],
        }),
      ],
      providers: [
        CountryRulesService,
        DailyLimitService,
        { provide: MOMO_CLOCK, useValue: { now: () => Date.parse('2028-02-29T00:00:00Z') } },
      ],
    }).compile();
    try {
      await expect(moduleRef.get(DailyLimitService).reserve(uganda(1_000n))).resolves.toMatchObject(
        { day: '2028-02-29' },
      );
    } finally {
      await moduleRef.close();
    }
  });
});
