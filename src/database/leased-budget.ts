import { Logger } from '@nestjs/common';
import { RateLimiterRes } from 'rate-limiter-flexible';
import type { Clock } from '../momo/time/clock';

/**
 * Units one replica leases at a time: `clamp(ceil(limit / 50), 1, 50)`.
 *
 * - Up to 50 a window it is 1: every request is one upsert, exactly the old per-request count,
 *   and nothing is ever held back from another replica.
 * - Above that a replica holds at most 2% of the window's budget (and never more than 50 units)
 *   unspent, so a replica cannot starve the others for long, and the units a quiet replica leaves
 *   leased when the window ends (under-admission, never over-admission) are at most
 *   `replicas × (k − 1)`.
 * - In exchange, a busy key costs at most about 50 round trips a window, e.g. one per 12
 *   requests at MTN's 600 a minute, one per 24 at the default 1,200 per API key.
 */
export function leaseBlockSize(limit: number): number {
  return Math.min(50, Math.max(1, Math.ceil(limit / 50)));
}

/** The part of a `pg` Pool the budget uses (a counting wrapper in tests). */
export interface LeaseDatabase {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

export interface LeasedBudgetOptions {
  db: LeaseDatabase;
  /**
   * A table of shape (key varchar primary key, points integer, expire bigint epoch ms): the shape
   * rate-limiter-flexible used, so the existing tables and their rows serve as they are.
   */
  table: string;
  /** Row keys are `${keyPrefix}:${key}`. */
  keyPrefix: string;
  /** Units per window, across all replicas (0 refuses everything, after one lease a window). */
  limit: number;
  windowMs: number;
  /** Window starts and ends are read on this clock (each replica's own, as before). */
  clock: Clock;
  /** Units per lease; `leaseBlockSize(limit)` unless given. */
  blockSize?: number;
  /**
   * When the database cannot answer: true counts in this replica's memory (a budget of the same
   * size, per replica); false rejects with the error and lets the caller decide.
   */
  memoryFallback: boolean;
}

interface Lease {
  /** End of the window this lease belongs to (epoch ms, from the row). */
  expire: number;
  /** Units leased by this replica in this window and not yet spent. */
  available: number;
  /** The row's points after this replica's latest lease: what all replicas asked for so far. */
  leased: number;
  /** The row had reached the limit: nothing more can be leased until `expire`. */
  spent: boolean;
}

interface MemoryWindow {
  expire: number;
  used: number;
}

/** Past this many keys, windows that have ended are swept from memory. */
const SWEEP_ABOVE = 10_000;

/**
 * A fixed-window budget shared by all replicas through one PostgreSQL row per key, paid for one
 * round trip per block of units instead of one per unit.
 *
 * A replica leases `k` units with one atomic upsert (`points += k`, a new window once `expire` has
 * passed) and is granted `clamp(limit − (pointsAfter − k), 0, k)`: the units that were still free
 * when its upsert took the row lock. Upserts on one row are serialised, so however many replicas
 * lease at once the grants never add up to more than the limit. The replica spends its block from
 * memory and leases again when it is spent; concurrent requests on one replica share one lease
 * query. Once the row has reached the limit the replica refuses from memory until the window ends,
 * so a flood costs no database work. Units leased but not spent when the window ends are lost
 * (under-admission only).
 *
 * The contract is rate-limiter-flexible's: `consume` resolves with a `RateLimiterRes` when granted
 * and rejects with one when refused (or with an Error when the store is broken and there is no
 * memory fallback). `remainingPoints` is approximate above 1-unit blocks: the limit minus the
 * units all replicas had leased at this replica's latest lease, plus this replica's unspent units.
 * Other replicas' unspent units count as used, and their leases since are not seen.
 */
export class LeasedBudget {
  private readonly logger = new Logger(LeasedBudget.name);
  readonly blockSize: number;
  private readonly leases = new Map<string, Lease>();
  private readonly inflight = new Map<string, Promise<void>>();
  private readonly memory = new Map<string, MemoryWindow>();
  private readonly statement: string;
  private readonly statementName: string;
  private fallbacks = 0;
  private storeDown = false;

  constructor(private readonly options: LeasedBudgetOptions) {
    if (!(options.limit >= 0)) throw new Error('A leased budget needs a limit of 0 or more');
    this.blockSize = options.blockSize ?? leaseBlockSize(options.limit);
    const t = `"${options.table}"`;
    const expired = `${t}."expire" IS NULL OR ${t}."expire" <= $4`;
    this.statementName = `leased-budget:${options.table}`;
    // In SET, the table's columns are the row before this update.
    this.statement = `
      INSERT INTO ${t} ("key", "points", "expire") VALUES ($1, $2, $3)
      ON CONFLICT ("key") DO UPDATE SET
        "points" = CASE WHEN ${expired} THEN EXCLUDED."points" ELSE ${t}."points" + EXCLUDED."points" END,
        "expire" = CASE WHEN ${expired} THEN EXCLUDED."expire" ELSE ${t}."expire" END
      RETURNING "points", "expire"`;
  }

  /** Checks the database could not answer (answered from memory, or rejected with the error). */
  get storeErrors(): number {
    return this.fallbacks;
  }

  /** Takes `points` units for `key`: resolves when granted, rejects with a RateLimiterRes when not. */
  async consume(key: string, points = 1): Promise<RateLimiterRes> {
    const { limit } = this.options;
    for (;;) {
      const now = this.options.clock.now();
      const lease = this.current(key, now);
      if (lease && lease.available >= points) {
        lease.available -= points;
        const used = Math.min(limit, lease.leased) - lease.available;
        return new RateLimiterRes(Math.max(0, limit - used), lease.expire - now, used);
      }
      if (lease?.spent) {
        // rate-limiter-flexible's contract: a refusal rejects with a RateLimiterRes.
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
        return Promise.reject(new RateLimiterRes(0, lease.expire - now, lease.leased));
      }
      try {
        await (this.inflight.get(key) ??
          this.startLease(key, Math.max(this.blockSize, points - (lease?.available ?? 0))));
      } catch (err) {
        this.fallbacks++;
        if (!this.options.memoryFallback) throw err;
        return this.consumeInMemory(key, points);
      }
    }
  }

  /**
   * Milliseconds until the window ends if this replica already knows the budget for `key` is spent
   * (its block is empty and the row has reached the limit), else 0. Reads memory only.
   */
  spentFor(key: string): number {
    const now = this.options.clock.now();
    const lease = this.current(key, now);
    return lease?.spent && lease.available === 0 ? lease.expire - now : 0;
  }

  /**
   * Gives units back to this replica's block (a call that took them did not happen), for its next
   * request in the same window. The row is not touched: other replicas never see them.
   */
  reward(key: string, points = 1): Promise<RateLimiterRes> {
    const now = this.options.clock.now();
    const lease = this.current(key, now);
    if (lease) lease.available += points;
    else {
      const window = this.memory.get(key);
      if (window && now < window.expire) window.used = Math.max(0, window.used - points);
    }
    return Promise.resolve(new RateLimiterRes());
  }

  /** This replica's lease for the window in progress, if any. */
  private current(key: string, now: number): Lease | undefined {
    const lease = this.leases.get(key);
    if (lease && now >= lease.expire) {
      this.leases.delete(key);
      return undefined;
    }
    return lease;
  }

  /** One lease query per key at a time; everyone waiting for units awaits it. */
  private startLease(key: string, units: number): Promise<void> {
    const pending = this.lease(key, units).finally(() => this.inflight.delete(key));
    this.inflight.set(key, pending);
    return pending;
  }

  private async lease(key: string, units: number): Promise<void> {
    const { db, keyPrefix, limit, windowMs, clock } = this.options;
    const now = clock.now();
    let row: { points: number | string; expire: number | string };
    try {
      const result = await db.query({
        name: this.statementName,
        text: this.statement,
        values: [`${keyPrefix}:${key}`, units, now + windowMs, now],
      });
      row = result.rows[0] as typeof row;
    } catch (err) {
      if (!this.storeDown) {
        this.storeDown = true;
        this.logger.warn(
          { err: err instanceof Error ? err.message : String(err), table: this.options.table },
          this.options.memoryFallback
            ? 'Budget store unavailable; counting in memory on this replica'
            : 'Budget store unavailable',
        );
      }
      throw err;
    }
    if (this.storeDown) {
      this.storeDown = false;
      this.logger.log({ table: this.options.table }, 'Budget store answering again');
    }
    const points = Number(row.points);
    const expire = Number(row.expire);
    const granted = Math.min(units, Math.max(0, limit - (points - units)));
    let lease = this.leases.get(key);
    if (!lease || lease.expire !== expire) {
      if (this.leases.size > SWEEP_ABOVE) sweep(this.leases, now);
      lease = { expire, available: 0, leased: 0, spent: false };
      this.leases.set(key, lease);
    }
    lease.available += granted;
    lease.leased = Math.max(lease.leased, points);
    lease.spent = points >= limit;
  }

  /** The budget counted by this replica alone, while the database cannot answer. */
  private consumeInMemory(key: string, points: number): Promise<RateLimiterRes> {
    const { limit, windowMs, clock } = this.options;
    const now = clock.now();
    let window = this.memory.get(key);
    if (!window || now >= window.expire) {
      if (this.memory.size > SWEEP_ABOVE) sweep(this.memory, now);
      window = { expire: now + windowMs, used: 0 };
      this.memory.set(key, window);
    }
    if (window.used + points > limit) {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      return Promise.reject(new RateLimiterRes(0, window.expire - now, window.used + points));
    }
    window.used += points;
    return Promise.resolve(
      new RateLimiterRes(limit - window.used, window.expire - now, window.used),
    );
  }
}

function sweep(windows: Map<string, { expire: number }>, now: number): void {
  for (const [key, window] of windows) if (now >= window.expire) windows.delete(key);
}
