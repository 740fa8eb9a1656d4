import { Logger } from '@nestjs/common';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { LeasedBudget, leaseBlockSize, type LeaseDatabase } from './leased-budget';

class ManualClock {
  constructor(public current = Date.parse('2026-11-26T10:00:00Z')) {}
  now(): number {
    return this.current;
  }
}

/**
 * The upsert's semantics on rows in memory: a new window once `expire` has passed, else
 * `points += units`. Queries may be held (`hold()`) to have several in flight at once.
 */
class FakeDatabase implements LeaseDatabase {
  rows = new Map<string, { points: number; expire: number }>();
  queries = 0;
  failWith?: Error;
  private held?: Promise<void>;
  private release?: () => void;

  async query(config: { values: unknown[] }): Promise<{ rows: unknown[] }> {
    this.queries++;
    if (this.held) await this.held;
    if (this.failWith) throw this.failWith;
    const [key, units, newExpire, now] = config.values as [string, number, number, number];
    const row = this.rows.get(key);
    const next =
      !row || row.expire <= now
        ? { points: units, expire: newExpire }
        : { points: row.points + units, expire: row.expire };
    this.rows.set(key, next);
    // pg returns bigint columns as strings.
    return { rows: [{ points: next.points, expire: String(next.expire) }] };
  }

  hold(): void {
    this.held = new Promise((resolve) => (this.release = resolve));
  }

  async releaseAll(): Promise<void> {
    this.held = undefined;
    this.release?.();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function budget(db: FakeDatabase, clock: ManualClock, limit: number, memoryFallback = true) {
  return new LeasedBudget({
    db,
    table: 't',
    keyPrefix: 'p',
    limit,
    windowMs: 60_000,
    clock,
    memoryFallback,
  });
}

/** Settles `n` consumes started at once: how many were granted and refused. */
async function burst(b: LeasedBudget, n: number, key = 'k') {
  const results = await Promise.allSettled(Array.from({ length: n }, () => b.consume(key)));
  return {
    granted: results.filter((r) => r.status === 'fulfilled').length,
    refused: results.filter((r) => r.status === 'rejected').length,
  };
}

describe('leaseBlockSize', () => {
  it('is 1 up to 50 a window, a fiftieth of the limit above, and never more than 50', () => {
    expect([1, 3, 50].map(leaseBlockSize)).toEqual([1, 1, 1]);
    expect([51, 600, 1200, 2500, 2600, 100_000].map(leaseBlockSize)).toEqual([
      2, 12, 24, 50, 50, 50,
    ]);
  });
});

describe('LeasedBudget', () => {
  let db: FakeDatabase;
  let clock: ManualClock;
  beforeEach(() => {
    db = new FakeDatabase();
    clock = new ManualClock();
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('with a limit up to 50, costs one upsert per unit and reports what remains exactly', async () => {
    const b = budget(db, clock, 3);
    await expect(b.consume('k')).resolves.toMatchObject({
      remainingPoints: 2,
      msBeforeNext: 60_000,
    });
    clock.current += 1000;
    await expect(b.consume('k')).resolves.toMatchObject({
      remainingPoints: 1,
      msBeforeNext: 59_000,
    });
    await expect(b.consume('k')).resolves.toMatchObject({ remainingPoints: 0 });
    expect(db.queries).toBe(3);
    expect(db.rows.get('p:k')).toEqual({ points: 3, expire: Date.parse('2026-11-26T10:01:00Z') });
  });

  it('refuses once the row reaches the limit, then from memory until the window ends', async () => {
    const b = budget(db, clock, 2);
    await b.consume('k');
    await b.consume('k');
    clock.current += 20_000;
    const refusal = await b.consume('k').catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(RateLimiterRes);
    expect(refusal).toMatchObject({ remainingPoints: 0, msBeforeNext: 40_000 });
    await burst(b, 100);
    expect(db.queries).toBe(2);
  });

  it('leases a block of units with one upsert and spends it from memory', async () => {
    const b = budget(db, clock, 600);
    expect(b.blockSize).toBe(12);
    for (let i = 0; i < 12; i++) await b.consume('k');
    expect(db.queries).toBe(1);
    await b.consume('k');
    expect(db.queries).toBe(2);
    expect(db.rows.get('p:k')?.points).toBe(24);
  });

  it('reports the limit less what all replicas had leased, plus its own unspent units', async () => {
    const a = budget(db, clock, 600);
    const other = budget(db, clock, 600);
    await other.consume('k');
    await expect(a.consume('k')).resolves.toMatchObject({ remainingPoints: 600 - 24 + 11 });
  });

  it('sends one lease query for all the requests waiting for units at once', async () => {
    const b = budget(db, clock, 600);
    db.hold();
    const pending = burst(b, 30);
    await db.releaseAll();
    await expect(pending).resolves.toEqual({ granted: 30, refused: 0 });
    expect(db.queries).toBe(3);
  });

  it('never grants more than the limit between replicas leasing at once', async () => {
    const [a, b, c] = [budget(db, clock, 100), budget(db, clock, 100), budget(db, clock, 100)];
    // Each asks for the whole limit, so no replica ends with its demand met and units unspent.
    const results = await Promise.all([burst(a, 100), burst(b, 100), burst(c, 100)]);
    expect(results.reduce((sum, r) => sum + r.granted, 0)).toBe(100);
    // 50 blocks of 2, and at most one refused lease per replica.
    expect(db.queries).toBeLessThanOrEqual(53);
  });

  it('grants only the free part of a block that overlaps the limit', async () => {
    db.rows.set('p:k', { points: 599, expire: clock.now() + 30_000 });
    const b = budget(db, clock, 600);
    await expect(burst(b, 5)).resolves.toEqual({ granted: 1, refused: 4 });
    expect(db.queries).toBe(1);
  });

  it('starts afresh when the window ends, dropping the units it had not spent', async () => {
    const b = budget(db, clock, 100);
    await expect(burst(b, 200)).resolves.toEqual({ granted: 100, refused: 100 });
    expect(db.queries).toBe(50);
    clock.current += 60_000;
    // A block of 2, one of them spent: the other is dropped when this window ends too.
    await expect(b.consume('k')).resolves.toMatchObject({ remainingPoints: 99 });
    clock.current += 60_000;
    await expect(b.consume('k')).resolves.toMatchObject({ remainingPoints: 99 });
    expect(db.queries).toBe(52);
    expect(db.rows.get('p:k')).toEqual({ points: 2, expire: clock.now() + 60_000 });
  });

  it('keeps each key on its own row', async () => {
    const b = budget(db, clock, 1);
    await b.consume('a');
    await expect(b.consume('b')).resolves.toBeInstanceOf(RateLimiterRes);
    await expect(b.consume('a')).rejects.toBeInstanceOf(RateLimiterRes);
  });

  it('keeps a unit given back for its next request, without the database', async () => {
    const b = budget(db, clock, 2);
    await b.consume('k');
    await b.consume('k');
    await b.reward('k');
    await expect(b.consume('k')).resolves.toBeInstanceOf(RateLimiterRes);
    await expect(b.consume('k')).rejects.toBeInstanceOf(RateLimiterRes);
    expect(db.queries).toBe(2);
  });

  it('tells from memory whether the budget is spent, and for how long', async () => {
    const b = budget(db, clock, 100);
    expect(b.spentFor('k')).toBe(0);
    await burst(b, 99);
    expect(b.spentFor('k')).toBe(0);
    await b.consume('k');
    clock.current += 15_000;
    expect(b.spentFor('k')).toBe(45_000);
    await b.reward('k');
    expect(b.spentFor('k')).toBe(0);
    clock.current += 45_000;
    expect(b.spentFor('k')).toBe(0);
  });

  it('refuses everything with a limit of 0', async () => {
    const b = budget(db, clock, 0);
    await expect(b.consume('k')).rejects.toMatchObject({ msBeforeNext: 60_000 });
    await expect(b.consume('k')).rejects.toBeInstanceOf(RateLimiterRes);
    expect(db.queries).toBe(1);
  });

  describe('when the database cannot answer', () => {
    it('counts in memory on this replica, a budget of the same size, and counts the errors', async () => {
      const b = budget(db, clock, 3);
      db.failWith = new Error('connect ECONNREFUSED');
      await expect(b.consume('k')).resolves.toMatchObject({ remainingPoints: 2 });
      await b.consume('k');
      await b.consume('k');
      await expect(b.consume('k')).rejects.toMatchObject({ msBeforeNext: 60_000 });
      expect(b.storeErrors).toBe(4);
      clock.current += 60_000;
      await expect(b.consume('k')).resolves.toMatchObject({ remainingPoints: 2 });
    });

    it('spends a block it already holds before counting in memory', async () => {
      const b = budget(db, clock, 600);
      await b.consume('k');
      db.failWith = new Error('down');
      for (let i = 0; i < 11; i++) await b.consume('k');
      expect(b.storeErrors).toBe(0);
      await b.consume('k');
      expect(b.storeErrors).toBe(1);
    });

    it('shares one failing query between the requests waiting for it', async () => {
      const b = budget(db, clock, 600);
      db.failWith = new Error('down');
      db.hold();
      const pending = burst(b, 20);
      await db.releaseAll();
      await expect(pending).resolves.toEqual({ granted: 20, refused: 0 });
      expect(db.queries).toBe(1);
    });

    it('rejects with the error when told not to count in memory', async () => {
      const b = budget(db, clock, 3, false);
      db.failWith = new Error('connect ECONNREFUSED');
      await expect(b.consume('k')).rejects.toThrow('ECONNREFUSED');
      expect(b.storeErrors).toBe(1);
    });

    it('goes back to the database once it answers again', async () => {
      const b = budget(db, clock, 3);
      db.failWith = new Error('down');
      await b.consume('k');
      db.failWith = undefined;
      await expect(b.consume('k')).resolves.toMatchObject({ remainingPoints: 2 });
      expect(db.rows.get('p:k')?.points).toBe(1);
    });
  });
});
