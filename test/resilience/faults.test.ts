import { statusBody } from '../../src/emulator/status-bodies';
import { startGateway, type TestGateway } from '../support/gateway';
import {
  accountMovement,
  mtnTransactions,
  reconcile,
  storedRows,
  sumDecimals,
  violations,
  type Order,
} from './support/invariants';
import { placeOrders } from './support/orders';
import { FULL, prng, scaled, SEED } from './support/scale';

/**
 * (a) MTN misbehaving under concurrent load: 20 % of MTN's answers are 5xx (500 and 503), 10 %
 * never come (timeouts), 5 % are lost after MTN did the work (the connection drops instead of the
 * answer), 30 % of callbacks are dropped and 10 % arrive twice. Once the trouble
 * stops and a reconciliation has run, every accepted transaction is final and says what MTN says,
 * nothing was paid twice, and MTN's ledger moved exactly the gateway's SUCCESSFUL sums.
 */
describe(`resilience (a): MTN faults under load${FULL ? ' (full)' : ''}`, () => {
  let gw: TestGateway;
  let orders: Order[];
  let run: Awaited<ReturnType<typeof reconcile>>;
  const chaos = { errors: 0, timeouts: 0, lostAnswers: 0, dropped: 0, duplicated: 0 };
  const started = new Date();
  const random = prng(SEED);

  beforeAll(async () => {
    gw = await startGateway({
      emulator: { seed: SEED, callbackDropRate: 0.3 },
      env: {
        // Short enough to keep the injected timeouts cheap, long enough that a busy machine's slow
        // answer (the emulator shares this process) is not taken for a timeout once faults stop.
        MTN_MOMO_TIMEOUT_MS: '1000',
        // MTN's budget is not under test here (the bench's burst is): 600/min would pace the
        // reconciliation of the full form at 3 records a second.
        MTN_MOMO_RATE_LIMIT_PER_MINUTE: '100000',
        MTN_MOMO_BREAKER_OPEN_SECONDS: '1',
        RECONCILIATION_SCHEDULE_ENABLED: 'false',
        RECONCILIATION_PENDING_THRESHOLD_SECONDS: '0',
        RECONCILIATION_NOT_FOUND_GRACE_SECONDS: '0',
      },
    });
    const faults = gw.emulator.state.faults;
    for (const product of ['collection', 'disbursement', 'remittance']) {
      // Evaluated in order, each on what the previous ones let through: 10 %, 10 %, 10 %, 5 % of all.
      faults.add({ kind: 'error', status: 500, pathPrefix: `/${product}/v`, rate: 0.1 });
      faults.add({ kind: 'error', status: 503, pathPrefix: `/${product}/v`, rate: 0.111 });
      faults.add({ kind: 'timeout', pathPrefix: `/${product}/v`, rate: 0.125 });
      faults.add({ kind: 'lost-answer', pathPrefix: `/${product}/v`, rate: 0.0714 });
    }

    // 10 % of the callbacks MTN sends come again (seeded pick), while the load runs.
    const seen = new Set<string>();
    const duplicate = prng(SEED + 1);
    const duplicates: Array<Promise<unknown>> = [];
    const redeliver = setInterval(() => {
      for (const t of gw.emulator.state.transactions.all()) {
        if (
          seen.has(t.referenceId) ||
          !t.callbackUrl ||
          (t.status !== 'SUCCESSFUL' && t.status !== 'FAILED')
        )
          continue;
        seen.add(t.referenceId);
        if (duplicate() >= 0.1) continue;
        duplicates.push(
          fetch(t.callbackUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/json; charset=utf-8' },
            body: JSON.stringify(statusBody(t, 'object')),
          }).catch(() => undefined),
        );
      }
    }, 50);
    try {
      orders = await placeOrders({
        url: gw.url,
        apiKey: gw.apiKey,
        orders: scaled(60, 600),
        concurrency: 8,
        random,
        prefix: 'FAULT',
      });
    } finally {
      clearInterval(redeliver);
    }
    await Promise.all(duplicates);
    chaos.duplicated = duplicates.length;

    // The trouble stops; whatever is still open is settled by polling and reconciliation.
    for (const rule of gw.emulator.state.faults.list()) {
      if (rule.kind === 'error') chaos.errors += rule.hits;
      if (rule.kind === 'timeout') chaos.timeouts += rule.hits;
      if (rule.kind === 'lost-answer') chaos.lostAnswers += rule.hits;
    }
    chaos.dropped = gw.emulator.state.callbacks.records
      .toArray()
      .filter((r) => r.outcome === 'dropped').length;
    gw.emulator.state.faults.clear();
    await gw.emulator.callbacksIdle();
    run = await reconcile(gw.url, gw.apiKey, started);
    expect(run.status).toBe('COMPLETED');
  }, 300_000);

  afterAll(async () => {
    await gw?.close();
  });

  it('ran under every kind of trouble (5xx, timeouts, lost answers, dropped and duplicated callbacks)', () => {
    expect(chaos).toEqual({
      errors: expect.any(Number),
      timeouts: expect.any(Number),
      lostAnswers: expect.any(Number),
      dropped: expect.any(Number),
      duplicated: expect.any(Number),
    });
    expect(
      Math.min(chaos.errors, chaos.timeouts, chaos.lostAnswers, chaos.dropped, chaos.duplicated),
    ).toBeGreaterThan(0);
  });

  it('still accepted most orders, retrying through the trouble', () => {
    const accepted = orders.filter((o) => o.accepted.length > 0).length;
    expect(accepted).toBeGreaterThan(orders.length / 2);
  });

  it('got an answer from MTN for every record once the trouble stopped (a breaker still open is waited out)', () => {
    expect(run.outcomes).toMatchObject({ ERROR: 0 });
  });

  it('leaves every accepted transaction final and equal to MTN’s, nothing lost or doubled', async () => {
    const rows = await storedRows(gw.db.url);
    const mtn = mtnTransactions(gw.emulator, gw.emulator.state.users.list()[0]?.id ?? '');
    expect(violations(rows, mtn, orders, { final: true })).toEqual([]);
  });

  it("moves MTN's ledger by exactly the gateway's SUCCESSFUL sums, per product", async () => {
    const rows = await storedRows(gw.db.url);
    const apiUser = gw.emulator.state.users.list()[0]?.id ?? '';
    for (const product of ['collection', 'disbursement', 'remittance']) {
      const ours = sumDecimals(
        rows.filter((r) => r.product === product && r.status === 'SUCCESSFUL').map((r) => r.amount),
      );
      expect({ product, moved: accountMovement(gw.emulator, apiUser, product) }).toEqual({
        product,
        moved: ours,
      });
    }
  });
});
