import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError } from '../../common/errors/domain-error';
import { Money } from '../../common/money';
import type { Product } from '../../common/product';
import { MOMO_CLOCK, systemClock, type Clock } from '../time/clock';
import { CountryRulesService } from './country-rules.service';

export interface DailyUsageKey {
  /** Normalised MSISDN (`CountryRulesService.normaliseMsisdn`). */
  msisdn: string;
  product: Product;
  /** The requested currency, not the sandbox's EUR. */
  currency: string;
}

export interface ReserveParams extends DailyUsageKey {
  country: string;
  amountMinor: bigint;
  kycLevel?: string;
  /** The moment the payment is made (UTC day taken from it); now by the clock unless given. */
  at?: Date;
}

/**
 * A reservation to run inside another statement (the payment's insert, so that both take one
 * round trip): `sql` returns one row when the amount is reserved and none when the limit refuses;
 * `refused()` then throws DAILY_LIMIT_EXCEEDED with what was used. Always on the UTC day of the
 * statement's own transaction: the `created_at` of a row inserted by the same statement, the day
 * its release will name even at midnight (the app's clock and the database's can disagree there).
 */
export interface ReservationStatement {
  sql: string;
  parameters: (string | null)[];
  refused(): Promise<never>;
}

export interface ReleaseParams extends DailyUsageKey {
  amountMinor: bigint;
  /** The UTC day the amount was reserved on (`Reservation.day`, or the payment's creation time). */
  day: string | Date;
}

export interface DailyUsage {
  day: string;
  currency: string;
  used: string;
  usedMinor: bigint;
}

export interface Reservation extends DailyUsage {
  limit: string;
  remaining: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

// A NULL day ($4, as `reservation()` passes it) is the UTC day of the transaction's start: the
// `created_at` default (now()) of a row inserted in the same transaction.
const TRANSACTION_DAY = `(CURRENT_TIMESTAMP AT TIME ZONE 'UTC')::date`;

const RESERVE_SQL = `
  INSERT INTO daily_usage AS u (msisdn, product, currency, day, total_minor, updated_at)
  SELECT $1, $2, $3, COALESCE($4::date, ${TRANSACTION_DAY}), $5::bigint, now()
  WHERE $5::bigint <= $6::bigint
  ON CONFLICT (msisdn, product, currency, day) DO UPDATE
    SET total_minor = u.total_minor + EXCLUDED.total_minor, updated_at = now()
    WHERE u.total_minor + EXCLUDED.total_minor <= $6::bigint
  RETURNING total_minor, to_char(day, 'YYYY-MM-DD') AS day`;

const TRANSACTION_DAY_SQL = `SELECT to_char(${TRANSACTION_DAY}, 'YYYY-MM-DD') AS day`;

// A data-modifying CTE so that TypeORM hands back plain rows, as for a SELECT. GREATEST keeps a
// mistaken double release from turning into extra allowance for the rest of the day.
const RELEASE_SQL = `
  WITH released AS (
    UPDATE daily_usage
       SET total_minor = GREATEST(total_minor - $5::bigint, 0), updated_at = now()
     WHERE msisdn = $1 AND product = $2 AND currency = $3 AND day = $4::date
    RETURNING total_minor)
  SELECT total_minor FROM released`;

const USAGE_SQL = `
  SELECT total_minor FROM daily_usage
   WHERE msisdn = $1 AND product = $2 AND currency = $3 AND day = $4::date`;

const PURGE_SQL = `
  WITH purged AS (DELETE FROM daily_usage WHERE day < $1::date RETURNING 1)
  SELECT count(*)::int AS purged FROM purged`;

interface TotalRow {
  total_minor: string;
}

export function utcDay(value: Date | string): string {
  if (typeof value === 'string') {
    if (!DAY.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
      throw new Error(`Not a day (YYYY-MM-DD): ${value}`);
    }
    return value;
  }
  return value.toISOString().slice(0, 10);
}

/**
 * The daily limit per MSISDN, product and currency, kept in PostgreSQL by one atomic upsert per
 * reservation, so any number of concurrent requests on any number of replicas never exceed it.
 * Pass the EntityManager of the transaction that stores the payment so both commit or neither;
 * that transaction must run at READ COMMITTED (PostgreSQL's default), where a competing
 * reservation waits for the row instead of failing with a serialisation error.
 */
@Injectable()
export class DailyLimitService {
  private readonly clock: Clock;

  constructor(
    private readonly dataSource: DataSource,
    private readonly rules: CountryRulesService,
    // The MoMo module's shared clock, so tests can move "today" across midnight UTC.
    @Optional() @Inject(MOMO_CLOCK) clock?: Clock,
  ) {
    this.clock = clock ?? systemClock;
  }

  /** Adds the amount to today's usage, or throws DAILY_LIMIT_EXCEEDED and changes nothing. */
  async reserve(params: ReserveParams, manager?: EntityManager): Promise<Reservation> {
    const { amount, limit } = this.checked(params);
    const day = utcDay(params.at ?? this.today());
    const rows = await this.run(manager, RESERVE_SQL, [
      ...this.key(params, day),
      amount.minor.toString(),
      limit.minor.toString(),
    ]);
    const row = rows[0];
    if (!row) {
      const used = await this.usedMinor(params, day, manager);
      throw this.exceeded(amount, limit, used, day);
    }
    const used = Money.fromMinor(BigInt(row.total_minor), params.currency);
    return {
      ...this.snapshot(used, day),
      limit: limit.toString(),
      remaining: limit.minus(used).toString(),
    };
  }

  /**
   * `reserve` (on the transaction's day) as a statement for the caller to run as part of its own,
   * e.g. the insert of the payment it is for. Checks the currency and amount now, like `reserve`.
   */
  reservation(params: Omit<ReserveParams, 'at'>): ReservationStatement {
    const { amount, limit } = this.checked(params);
    return {
      sql: RESERVE_SQL,
      parameters: [...this.key(params, null), amount.minor.toString(), limit.minor.toString()],
      // Asked by a statement of its own after the refusal: the same UTC day, unless the refusal
      // fell in the day's last instant (then only the figures in the message are the next day's).
      refused: async () => {
        const on = await this.transactionDay();
        throw this.exceeded(amount, limit, await this.usedMinor(params, on), on);
      },
    };
  }

  /**
   * Gives a reserved amount back (the payment ended FAILED). Call it once per reservation: the
   * transaction's state machine is what makes it idempotent. Returns undefined when nothing was
   * recorded for that key and day.
   */
  async release(params: ReleaseParams, manager?: EntityManager): Promise<DailyUsage | undefined> {
    const amount = this.positive(params.amountMinor, params.currency);
    const day = utcDay(params.day);
    const rows = await this.run(manager, RELEASE_SQL, [
      ...this.key(params, day),
      amount.minor.toString(),
    ]);
    const row = rows[0];
    return row
      ? this.snapshot(Money.fromMinor(BigInt(row.total_minor), params.currency), day)
      : undefined;
  }

  /** What the key has used on a day (today unless given). */
  async usage(
    key: DailyUsageKey,
    day?: string | Date,
    manager?: EntityManager,
  ): Promise<DailyUsage> {
    const on = utcDay(day ?? this.today());
    return this.snapshot(Money.fromMinor(await this.usedMinor(key, on, manager), key.currency), on);
  }

  /** Deletes the rows of days before the given one; returns how many went. */
  async purgeBefore(day: string | Date, manager?: EntityManager): Promise<number> {
    const rows = await (manager ?? this.dataSource.manager).query<{ purged: number }[]>(PURGE_SQL, [
      utcDay(day),
    ]);
    return rows[0]?.purged ?? 0;
  }

  /** The currency is the country's, the amount positive; the day's limit for the KYC level. */
  private checked(params: Omit<ReserveParams, 'at'>): { amount: Money; limit: Money } {
    const rules = this.rules.rulesFor(params.country);
    if (params.currency !== rules.currency) {
      throw new DomainError(
        'CURRENCY_MISMATCH',
        `${rules.name} takes ${rules.currency}, not ${params.currency}`,
        {
          details: [{ field: 'currency', message: `must be ${rules.currency} for ${rules.name}` }],
        },
      );
    }
    return {
      amount: this.positive(params.amountMinor, params.currency),
      limit: this.rules.limitsFor(params.country, params.product, params.kycLevel).daily,
    };
  }

  private today(): Date {
    return new Date(this.clock.now());
  }

  private async transactionDay(): Promise<string> {
    const rows = await this.dataSource.query<{ day: string }[]>(TRANSACTION_DAY_SQL);
    return rows[0]!.day;
  }

  private async usedMinor(
    key: DailyUsageKey,
    day: string,
    manager?: EntityManager,
  ): Promise<bigint> {
    const rows = await this.run(manager, USAGE_SQL, this.key(key, day));
    return BigInt(rows[0]?.total_minor ?? '0');
  }

  private async run(
    manager: EntityManager | undefined,
    sql: string,
    parameters: string[],
  ): Promise<TotalRow[]> {
    return (manager ?? this.dataSource.manager).query<TotalRow[]>(sql, parameters);
  }

  private key<D extends string | null>(key: DailyUsageKey, day: D): (string | D)[] {
    return [key.msisdn, key.product, key.currency, day];
  }

  private positive(minor: bigint, currency: string): Money {
    if (minor <= 0n) {
      throw new DomainError('INVALID_AMOUNT', 'Invalid amount: must be greater than zero', {
        details: [{ field: 'amount', message: 'must be greater than zero' }],
      });
    }
    return Money.fromMinor(minor, currency);
  }

  private snapshot(used: Money, day: string): DailyUsage {
    return { day, currency: used.currency, used: used.toString(), usedMinor: used.minor };
  }

  private exceeded(amount: Money, limit: Money, usedMinor: bigint, day: string): DomainError {
    const used = Money.fromMinor(usedMinor, amount.currency);
    const left = limit.minus(used);
    const remaining = left.isNegative() ? Money.zero(amount.currency) : left;
    const currency = amount.currency;
    const message = `would exceed the daily limit of ${limit.toString()} ${currency}: ${used.toString()} used, ${remaining.toString()} remaining`;
    return new DomainError(
      'DAILY_LIMIT_EXCEEDED',
      `Amount ${amount.toString()} ${currency} ${message}`,
      {
        details: [
          {
            field: 'amount',
            message,
            limit: limit.toString(),
            used: used.toString(),
            remaining: remaining.toString(),
            currency,
            day,
          },
        ],
      },
    );
  }
}
